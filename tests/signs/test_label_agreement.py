"""scripts/label_agreement.py: the signs most people gave, and pairwise scoring of two labellings."""

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))

from label_agreement import compare, majority  # noqa: E402

TEXTS = ["he reads my texts", "we went bowling", "i say yes to everything"]


def test_a_sign_counts_for_most_people_only_when_more_than_half_gave_it() -> None:
    writer = [{"control": "partner"}, {}, {"people_pleasing": "self"}]
    first = [{"control": "partner"}, {"mutual_support": "self"}, {"poor_boundaries": "self"}]
    second = [{"control": "other"}, {}, {"people_pleasing": "self", "poor_boundaries": "self"}]
    assert majority([writer, first, second]) == [
        {"control": "partner"}, {}, {"people_pleasing": "self", "poor_boundaries": "self"}]
    # Two labellings: a sign needs both.
    assert majority([writer, first]) == [{"control": "partner"}, {}, {}]


def test_one_labelling_is_scored_against_another() -> None:
    reference = [{"control": "partner"}, {}, {"people_pleasing": "self"}]
    other = [{"control": "self"}, {"mutual_support": "self"}, {"people_pleasing": "self"}]
    figures = compare(reference, other, TEXTS)
    assert figures["micro_precision"] == 2 / 3 and figures["micro_recall"] == 1.0
    assert figures["subject_accuracy"] == 0.5 and figures["false_alarm_rate"] == 1.0
    assert compare(reference, reference, TEXTS)["micro_f1"] == 1.0
