"""Accept a typed `/intent{...}` as a payload only when it is one the assistant could have sent itself.

Rasa's RegexMessageHandler (after the pipeline) treats any message starting with "/" as an intent
payload: the entities in it are taken as given, and a payload it cannot parse (unknown intent or
entity, broken JSON) is written to the log, text and all. Our buttons only ever send `/intent` or
`/intent{"entity": "short value"}` with intents and entities from the training data. Anything else
starting with "/" is answered like an unclear message (`nlu_fallback`, no entities), and the
handler gets the text without its slashes, so it neither parses nor logs it. The tracker keeps
what the person typed. Runs after the classifiers; only the crisis guard comes later.

Entities that only buttons send (never typed, so absent from the NLU examples) are listed in the
component's `button_entities` setting in config.yml.
"""

from __future__ import annotations

import json
import re
from typing import Any, Dict, FrozenSet, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.constants import DEFAULT_INTENTS
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

PAYLOAD = re.compile(r"^/(?P<intent>\w+)(?P<entities>\{.*\})?$", re.DOTALL)
LEADING_SLASHES = re.compile(r"^[\s/]+")
KNOWN_NAMES_FILE = "payload_names.json"
MAX_ENTITY_VALUE_CHARACTERS = 100
REFUSED_PAYLOAD_INTENT = "nlu_fallback"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class PayloadGuard(GraphComponent):
    """Refuses typed payloads with unknown intents, unknown entities or odd values."""

    def __init__(
        self,
        model_storage: ModelStorage,
        resource: Resource,
        intents: FrozenSet[Text] = frozenset(),
        entities: FrozenSet[Text] = frozenset(),
    ) -> None:
        self._model_storage = model_storage
        self._resource = resource
        self._intents = intents | frozenset(DEFAULT_INTENTS)
        self._entities = entities

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"button_entities": []}

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> PayloadGuard:
        return cls(model_storage, resource, entities=frozenset(config.get("button_entities") or ()))

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> PayloadGuard:
        with model_storage.read_from(resource) as directory:
            known = json.loads((directory / KNOWN_NAMES_FILE).read_text())
        return cls(model_storage, resource, frozenset(known["intents"]), frozenset(known["entities"]))

    def train(self, training_data: TrainingData) -> Resource:
        """Remember the intents and entity types the assistant knows (typed or sent by buttons)."""
        with self._model_storage.write_to(self._resource) as directory:
            entities = training_data.entities | self._entities
            known = {"intents": sorted(training_data.intents), "entities": sorted(entities)}
            (directory / KNOWN_NAMES_FILE).write_text(json.dumps(known))
        return self._resource

    def is_acceptable_payload(self, text: Text) -> bool:
        """True for `/known_intent` optionally followed by a JSON object of known entities with short scalar values."""
        match = PAYLOAD.match(text)
        if not match or match.group("intent") not in self._intents:
            return False
        if match.group("entities") is None:
            return True
        try:
            entities = json.loads(match.group("entities"))
        except ValueError:
            return False
        return isinstance(entities, dict) and all(
            name in self._entities and _is_short_scalar(value) for name, value in entities.items()
        )

    def is_refused(self, text: Text) -> bool:
        """True when `text` starts with "/" but is not a payload our buttons could send."""
        stripped = text.strip()
        return stripped.startswith("/") and not self.is_acceptable_payload(stripped)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text: Optional[Any] = message.get(TEXT)
            if not isinstance(text, str) or not self.is_refused(text):
                continue
            ranking = [{"name": REFUSED_PAYLOAD_INTENT, "confidence": 1.0}]
            message.set(TEXT, LEADING_SLASHES.sub("", text))
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
            message.set(ENTITIES, [], add_to_output=True)
        return messages


def _is_short_scalar(value: Any) -> bool:
    if isinstance(value, str):
        return len(value) <= MAX_ENTITY_VALUE_CHARACTERS
    return isinstance(value, (int, float, bool))
