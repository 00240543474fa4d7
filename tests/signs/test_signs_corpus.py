"""The sign corpus format, the clause units and the model's compiled scorer."""

from pathlib import Path

import numpy as np
import pytest

from actions.signs.corpus import CorpusError, load, load_dev, load_train, overlap
from actions.signs.detector import detector
from actions.signs.model import load_config, load_model
from actions.signs.training import fit, training_units
from actions.signs.units import unit_labels, units

BAD = """version: "1"
examples:
  - text: "i say yes to everything he asks"
    signs:
      - {label: people_pleasing, subject: self, evidence: "I say yes"}
      - {label: pleasing, subject: self, evidence: "i say yes"}
      - {label: control, subject: him, evidence: "he asks"}
  - text: "I say yes to everything he asks"
    signs: []
"""


def test_every_problem_of_a_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "bad.yml"
    path.write_text(BAD)
    with pytest.raises(CorpusError) as error:
        load([path])
    message = str(error.value)
    for problem in ("not an exact substring", "unknown label 'pleasing'", "unknown subject 'him'", "duplicate"):
        assert problem in message


def test_the_project_corpus_is_valid_and_dev_is_never_trained_on() -> None:
    train, dev = load_train(), load_dev()
    assert train and dev
    assert overlap(train, dev) == []
    for example in train[:50]:
        for sign in example.signs:
            assert example.text[sign.start : sign.end] == sign.evidence


def test_a_coordinated_clause_with_its_own_subject_is_its_own_unit() -> None:
    text = "I check his phone every night and he hates it. We went hiking."
    found = units(detector().parse(text))
    assert [unit.text for unit in found] == ["I check his phone every night", "he hates it", "We went hiking"]
    assert unit_labels(found, [("control", 0, 17)]) == [frozenset({"control"}), frozenset(), frozenset()]


def test_reasons_stay_with_their_clause() -> None:
    text = "I cancel my plans because he wants me home"
    assert [unit.text for unit in units(detector().parse(text))] == [text]


def test_the_compiled_scorer_gives_sklearns_figures_and_so_does_the_saved_model(tmp_path: Path) -> None:
    examples = load_train()[::10]
    learned = fit(examples, load_config())
    spans, _ = training_units(load_dev()[:40], clauses=True)
    expected = learned.sklearn_scores(spans)
    assert np.allclose(learned.scores(spans), expected, atol=1e-5)
    learned.save(tmp_path)
    saved = load_model(tmp_path)
    assert saved.classifier is None and not saved.words.vocabulary_  # only the compact gram tables are kept
    assert np.allclose(saved.scores(spans), expected, atol=1e-5)
