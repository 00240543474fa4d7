"""Cut very long messages before NLU so a 20,000-character paste cannot stall the server.

Only the text the pipeline reads is shortened; the tracker keeps what the person wrote.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER], is_trainable=False)
class MessageLengthLimiter(GraphComponent):
    """Keeps at most `max_characters` of a message's text, ending on a whole word."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"max_characters": 2000}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._max_characters = int(config["max_characters"])

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> MessageLengthLimiter:
        return cls(config)

    def shorten(self, text: Text) -> Text:
        """The text itself when short enough, else its start cut back to the last space."""
        if len(text) <= self._max_characters:
            return text
        head = text[: self._max_characters]
        cut = head.rfind(" ")
        return head[:cut] if cut > self._max_characters // 2 else head

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if isinstance(text, str):
                message.set(TEXT, self.shorten(text))
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data
