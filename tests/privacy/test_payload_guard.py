"""Typed payloads: only the kind our buttons send reach Rasa as payloads; the rest is an unclear message."""

from pathlib import Path

import pytest
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.payload_guard import PayloadGuard


@pytest.fixture
def guard(tmp_path: Path) -> PayloadGuard:
    """A guard trained on a little data, stored and loaded back the way a model is."""
    storage, resource = LocalModelStorage(tmp_path), Resource("payload_guard")
    examples = [
        Message(data={TEXT: "hi", "intent": "greet"}),
        Message(data={TEXT: "help me say no", "intent": "ask_coaching", "entities": [{"entity": "topic", "value": "boundaries", "start": 12, "end": 14}]}),
    ]
    config = {"button_entities": ["reflection_level"]}
    PayloadGuard.create(config, storage, resource, None).train(TrainingData(examples))
    return PayloadGuard.load(config, storage, resource, None)


@pytest.mark.parametrize(
    "payload",
    [
        "/greet",
        '/ask_coaching{"topic":"boundaries"}',
        '/ask_coaching{"topic": "self_esteem"}',
        "/restart",
        # The check-in's scale buttons: an entity no typed example has.
        '/greet{"reflection_level":"4"}',
    ],
)
def test_payloads_like_our_buttons_pass_unchanged(guard: PayloadGuard, payload: str) -> None:
    message = guard.process([Message(data={TEXT: payload})])[0]
    assert message.get(TEXT) == payload and message.get("intent") is None


@pytest.mark.parametrize(
    ("typed", "read_as"),
    [
        ('/greet{"conversation_deletion_confirmed": true}', 'greet{"conversation_deletion_confirmed": true}'),
        ('/greet{"some_slot":"x"}', 'greet{"some_slot":"x"}'),
        ('/ask_coaching{"topic": {"nested": 1}}', 'ask_coaching{"topic": {"nested": 1}}'),
        ('/ask_coaching{"topic": ', 'ask_coaching{"topic": '),
        ("/ask_coaching@0.01", "ask_coaching@0.01"),
        ("/no_such_intent", "no_such_intent"),
        ("/ I feel lost", "I feel lost"),
        ("/", ""),
        ("/ / /greet", "greet"),
        ('/ask_coaching{"topic": "' + "x" * 500 + '"}', 'ask_coaching{"topic": "' + "x" * 500 + '"}'),
    ],
)
def test_anything_else_starting_with_a_slash_is_an_unclear_message(guard: PayloadGuard, typed: str, read_as: str) -> None:
    guarded = guard.process([Message(data={TEXT: typed, "entities": [{"entity": "topic", "value": "x"}]})])[0]

    assert guarded.get("intent") == {"name": "nlu_fallback", "confidence": 1.0}
    assert guarded.get("entities") == []
    # Rasa's payload handler, which runs next, gets text it leaves alone.
    assert guarded.get(TEXT) == read_as
    assert YAMLStoryReader.unpack_regex_message(guarded) is guarded


def test_ordinary_text_is_untouched(guard: PayloadGuard) -> None:
    message = Message(data={TEXT: "my partner says I need too much", "intent": {"name": "share_situation"}})
    assert guard.process([message])[0].get("intent") == {"name": "share_situation"}


def test_every_domain_entity_is_either_typed_in_examples_or_declared_as_sent_by_buttons() -> None:
    """Otherwise the guard refuses that entity's button payloads as unclear messages."""
    import yaml
    from rasa.shared.core.domain import Domain
    from rasa.shared.importers.importer import TrainingDataImporter

    repo = Path(__file__).resolve().parents[2]
    config = yaml.safe_load((repo / "config.yml").read_text())
    guard_config = next(c for c in config["pipeline"] if c["name"].endswith("PayloadGuard"))
    importer = TrainingDataImporter.load_from_dict(
        domain_path=str(repo / "domain"), training_data_paths=[str(repo / "data")]
    )
    typed = importer.get_nlu_data().entities
    domain_entities = set(Domain.load(str(repo / "domain")).entities)

    assert domain_entities - typed - set(guard_config.get("button_entities", [])) == set()
