"""The catalogue is complete data: every label of the contract, valid topics, and phrasings that
compile; a new phrasing is picked up without code changes."""

from pathlib import Path

import pytest
import yaml

from actions.signs import detector as detector_module
from actions.signs.catalogue import TOPICS, CatalogueError, catalogue, compile_phrasing, load_catalogue

CONTRACT_LABELS = {
    "codependency": {
        "external_focus", "self_sacrifice", "emotional_suppression", "control",
        "people_pleasing", "validation_seeking", "poor_boundaries", "lost_identity",
    },
    "counterdependency": {"rejects_needing_others", "need_as_weakness", "avoids_intimacy"},
    "interdependence": {"mutual_support", "own_identity", "healthy_boundaries", "open_communication"},
}

DIAGNOSES = ("you are codependent", "you're codependent", "you are counterdependent", "diagnos")


def test_every_contract_label_is_in_the_catalogue_with_its_pattern() -> None:
    book = catalogue()
    found = {}
    for entry in book.signs.values():
        found.setdefault(entry.pattern, set()).add(entry.label)
    assert found == CONTRACT_LABELS


def test_every_sign_has_wording_a_topic_and_phrasings() -> None:
    book = catalogue()
    for entry in book.signs.values():
        assert entry.name and entry.why and entry.phrasings
        assert entry.topic in TOPICS
        assert not any(word in (entry.name + entry.why).lower() for word in DIAGNOSES)
    assert set(book.topic_names) == set(TOPICS)


def test_every_phrasing_compiles() -> None:
    book = catalogue()
    for entry in book.signs.values():
        for phrasing in entry.phrasings:
            assert compile_phrasing(phrasing.text, book.classes)


def test_an_unknown_class_is_reported() -> None:
    with pytest.raises(CatalogueError):
        compile_phrasing("@NOPE say no", catalogue().classes)


def test_a_new_phrasing_needs_no_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = yaml.safe_load(Path(detector_module.__file__).with_name("catalogue.yml").read_text())
    raw["signs"]["control"]["match"].append("install|installed a tracker")
    custom = tmp_path / "catalogue.yml"
    custom.write_text(yaml.safe_dump(raw))
    detector = detector_module.SignDetector(load_catalogue(custom))
    assert [sign.label for sign in detector.detect("He installed a tracker")] == ["control"]
    assert detector_module.detector().detect("He installed a tracker") == []
