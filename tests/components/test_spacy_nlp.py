"""LeanSpacyNLP switches off spaCy's entity recogniser and changes nothing our pipeline reads."""

from __future__ import annotations

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.utils.spacy_utils import SpacyNLP
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from actions.nlp import SPACY_MODEL
from components.spacy_nlp import LeanSpacyNLP

TEXTS = ["I always put my partner's needs before mine and I can't say no to John in London.", "hi"]


def create(component: type, config: dict, tmp_path) -> SpacyNLP:
    return component.create(
        {**component.get_default_config(), **config},
        LocalModelStorage(tmp_path),
        Resource("spacy"),
        ExecutionContext(GraphSchema({}), "test"),
    )


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> tuple:
    path = tmp_path_factory.mktemp("spacy")
    return create(SpacyNLP, {"model": SPACY_MODEL}, path), create(LeanSpacyNLP, {"model": SPACY_MODEL}, path)


def docs(component: SpacyNLP) -> list:
    messages = component.process([Message(data={TEXT: text}) for text in TEXTS], component.provide())
    return [message.get("text_spacy_doc") for message in messages]


def test_the_entity_recogniser_is_off_and_the_rest_runs(both: tuple) -> None:
    rasa_docs, lean_docs = docs(both[0]), docs(both[1])
    assert rasa_docs[0].ents  # Rasa's SpacyNLP finds entities here (it lowercases: "london")
    assert lean_docs[0].ents == ()
    assert "ner" not in both[1].provide().model.pipe_names
    assert {"tok2vec", "tagger", "lemmatizer"} <= set(both[1].provide().model.pipe_names)


def test_tokens_tags_lemmas_and_vectors_are_unchanged(both: tuple) -> None:
    for rasa_doc, lean_doc in zip(docs(both[0]), docs(both[1])):
        assert [(t.text, t.tag_, t.pos_, t.lemma_) for t in rasa_doc] == [(t.text, t.tag_, t.pos_, t.lemma_) for t in lean_doc]
        np.testing.assert_array_equal(rasa_doc.tensor, lean_doc.tensor)


def test_the_pipes_to_switch_off_come_from_the_config(tmp_path) -> None:
    kept = create(LeanSpacyNLP, {"model": SPACY_MODEL, "disabled_pipes": []}, tmp_path)
    assert "ner" in kept.provide().model.pipe_names
