"""CrisisGuard: the last NLU step, so danger is never missed because a classifier was unsure.

When the deterministic crisis matcher (actions/safety/crisis.py) fires on a message, the intent
becomes `crisis` with confidence 1.0 and the classifiers' ranking follows it. It reads the doc that
SpacyNLP already made for the message, so the Rasa server holds a single spaCy pipeline.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import SPACY_DOCS
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from spacy.tokens import Doc

from actions.safety.crisis import CrisisMatch, find_crisis

logger = logging.getLogger(__name__)

# Added to the parse data so actions and logs can see why the intent was set (never the text).
CRISIS_KEY = "crisis"


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class CrisisGuard(GraphComponent):
    """Overrides the predicted intent with `crisis` whenever the crisis matcher fires."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"intent": "crisis"}

    @staticmethod
    def required_packages() -> List[Text]:
        return ["spacy"]

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._intent = str(config["intent"])

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> CrisisGuard:
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            match = self._find(message)
            if match is not None:
                self._mark_crisis(message, match)
        return messages

    @staticmethod
    def _find(message: Message) -> Optional[CrisisMatch]:
        doc = message.get(SPACY_DOCS[TEXT])
        if isinstance(doc, Doc):
            return find_crisis(doc)
        text = message.get(TEXT)
        if not isinstance(text, str) or not text.strip():
            return None
        # No SpacyNLP doc (pipeline changed?): still check, with the shared pipeline.
        logger.warning("CrisisGuard found no spaCy doc on the message; parsing it itself.")
        return find_crisis(text)

    def _mark_crisis(self, message: Message, match: CrisisMatch) -> None:
        ranking = [
            entry
            for entry in message.get(INTENT_RANKING_KEY) or []
            if entry.get(INTENT_NAME_KEY) != self._intent
        ]
        crisis = {INTENT_NAME_KEY: self._intent, PREDICTED_CONFIDENCE_KEY: 1.0}
        message.set(INTENT, crisis, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [crisis, *ranking], add_to_output=True)
        message.set(CRISIS_KEY, {"kind": match.kind, "rule": match.rule}, add_to_output=True)
        logger.debug("Crisis matcher fired (%s); intent set to '%s'.", match.kind, self._intent)
