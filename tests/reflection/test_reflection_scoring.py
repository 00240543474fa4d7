"""Scoring: answers → strains, pattern lean, weakest themes, strengths, and change since last time."""

from typing import Dict, Optional

import pytest

from actions.reflection.catalogue import Question, load_catalogue
from actions.reflection.scoring import (
    EASIER,
    HARDER,
    compare,
    lean,
    score,
    strain,
    weakest_themes,
)

QUESTIONS = load_catalogue().questions
THEMES = [q.theme for q in QUESTIONS]


def question(theme: str, informs=("codependency",), weight=1.0, reverse=False) -> Question:
    """A minimal question for boundary tests that must not depend on the real catalogue."""
    return Question(
        slot=f"reflection_{theme}", theme=theme, label=theme, asked=theme, text="?", why="",
        informs=tuple(informs), weight=weight, reverse=reverse, topic="boundaries",
        strain_signs=(), healthy_signs=(), strength="", plan_step="", exercise="",
    )


def answers_where(strained: Dict[str, bool]) -> Dict[str, Optional[int]]:
    """Answers giving each listed real theme full strain (True) or none (False)."""
    by_theme = {q.theme: q for q in QUESTIONS}
    values = {}
    for theme, is_strained in strained.items():
        reverse = by_theme[theme].reverse
        values[theme] = (1 if reverse else 5) if is_strained else (5 if reverse else 1)
    return values


def test_strain_runs_from_never_to_always():
    assert [strain(value, reverse=False) for value in range(1, 6)] == [0, 0.25, 0.5, 0.75, 1]


def test_reverse_items_put_always_at_the_healthy_end():
    assert [strain(value, reverse=True) for value in range(1, 6)] == [1, 0.75, 0.5, 0.25, 0]


@pytest.mark.parametrize("value", [0, 6])
def test_values_off_the_scale_are_refused(value):
    with pytest.raises(ValueError):
        strain(value, reverse=False)


def test_all_neutral_answers_show_a_mixed_picture_led_by_the_core_themes():
    result = score({theme: 3 for theme in THEMES}, QUESTIONS)

    assert set(result.strains.values()) == {0.5}
    assert result.indices == {"codependency": 0.5, "counterdependency": 0.5}
    assert result.lean == "mixed"
    # Every theme sits on the threshold; the heavier-weighted core themes come first.
    assert result.weakest == ["partner_first", "self_worth", "needing"]
    assert result.strengths == []


def test_all_skipped_answers_give_no_lean_and_nothing_to_report():
    result = score({theme: None for theme in THEMES}, QUESTIONS)

    assert result.lean is None
    assert result.strains == {}
    assert result.indices == {"codependency": None, "counterdependency": None}
    assert result.weakest == [] and result.strengths == []


def test_no_answers_at_all_is_the_same_as_all_skipped():
    assert score({}, QUESTIONS).lean is None


def test_healthy_answers_lean_to_interdependence_with_strengths_and_nothing_weak():
    result = score(answers_where({theme: False for theme in THEMES}), QUESTIONS)

    assert result.lean == "interdependence"
    assert result.weakest == []
    assert len(result.strengths) == 3
    assert result.strengths[0] in {"partner_first", "self_worth", "needing"}


def test_strained_codependency_themes_lean_to_codependency():
    strained = {theme: False for theme in THEMES}
    strained.update(partner_first=True, saying_no=True, self_worth=True, feelings=True, own_life=True)

    result = score(answers_where(strained), QUESTIONS)

    assert result.lean == "codependency"
    assert result.weakest == ["partner_first", "self_worth", "saying_no"]
    assert "needing" in result.strengths


def test_strained_counterdependency_themes_lean_to_counterdependency():
    strained = {theme: False for theme in THEMES}
    strained.update(needing=True, closeness=True, talking_needs=True)

    result = score(answers_where(strained), QUESTIONS)

    assert result.lean == "counterdependency"
    assert result.weakest == ["needing", "closeness", "talking_needs"]


def test_reverse_scored_always_is_a_strength_and_never_is_a_sign():
    healthy = score({"saying_no": 5, "partner_first": 1}, QUESTIONS)
    strained = score({"saying_no": 1, "partner_first": 1}, QUESTIONS)

    assert healthy.strains["saying_no"] == 0 and "saying_no" in healthy.strengths
    assert strained.strains["saying_no"] == 1 and strained.weakest == ["saying_no"]


def test_a_skipped_theme_is_neither_weak_nor_strong():
    answers = {theme: 3 for theme in THEMES}
    answers["partner_first"] = None

    result = score(answers, QUESTIONS)

    assert "partner_first" not in result.strains
    assert "partner_first" not in result.weakest


def test_an_index_exactly_on_the_threshold_counts_as_a_sign():
    questions = [question("a"), question("b", informs=("counterdependency",))]

    assert score({"a": 3, "b": 1}, questions).lean == "codependency"
    assert score({"a": 2, "b": 1}, questions).lean == "interdependence"


def test_weighted_mean_on_the_threshold_is_not_lost_to_rounding():
    questions = [question("a", weight=1.5), question("b", weight=1.0), question("c", weight=1.5)]

    # (1.5·0.25 + 1·0.5 + 1.5·0.75) / 4 = 0.5 exactly
    result = score({"a": 2, "b": 3, "c": 4}, questions)

    assert result.indices["codependency"] == 0.5
    assert result.lean == "codependency"


@pytest.mark.parametrize(
    "codependency, counterdependency, showing, expected",
    [
        (None, None, set(), None),
        (0.4, 0.2, set(), "interdependence"),
        (0.5, 0.0, {"codependency"}, "codependency"),
        (None, 0.5, {"counterdependency"}, "counterdependency"),
        (0.75, 0.5, {"codependency", "counterdependency"}, "codependency"),  # a full step ahead
        (0.5, 0.75, {"codependency", "counterdependency"}, "counterdependency"),
        (0.7, 0.5, {"codependency", "counterdependency"}, "mixed"),  # ahead by less than a step
        (1.0, 1.0, {"codependency", "counterdependency"}, "mixed"),
    ],
)
def test_lean_boundaries(codependency, counterdependency, showing, expected):
    indices = {"codependency": codependency, "counterdependency": counterdependency}

    assert lean(indices, showing) == expected


def test_a_few_strong_signs_are_not_averaged_away():
    questions = [question(name) for name in "abcdef"] + [
        question("z", informs=("counterdependency",))
    ]
    # Two of six answered "Always" (a third), four "Never": the mean is only 0.33.
    two_strong = {"a": 5, "b": 5, "c": 1, "d": 1, "e": 1, "f": 1, "z": 1}
    one_strong = {**two_strong, "b": 1}

    result = score(two_strong, questions)

    assert result.indices["codependency"] < 0.5
    assert result.lean == "codependency"
    assert score(one_strong, questions).lean == "interdependence"


def test_strong_signs_are_often_or_always_in_the_strained_direction():
    questions = [question("a"), question("b"), question("c", informs=("counterdependency",))]

    assert score({"a": 4, "b": 1, "c": 1}, questions).lean == "codependency"  # "Often": strong
    assert score({"a": 3, "b": 1, "c": 1}, questions).lean == "interdependence"  # mean 0.25


def test_weakest_ties_go_to_the_heavier_theme_then_question_order():
    questions = [question("a"), question("b", weight=1.5), question("c"), question("d")]
    strains = {"a": 0.75, "b": 0.75, "c": 0.75, "d": 1.0}

    assert weakest_themes(strains, questions) == ["d", "b", "a"]
    assert weakest_themes(strains, questions, limit=2) == ["d", "b"]


def test_compare_names_what_got_easier_and_what_got_harder():
    previous = {"saying_no": 0.75, "own_life": 0.25, "control": 0.5, "feelings": 0.0}
    current = {"saying_no": 0.25, "own_life": 0.75, "control": 0.5, "needing": 1.0}

    changes = compare(previous, current, QUESTIONS)

    assert [(c.theme, c.direction) for c in changes] == [
        ("saying_no", EASIER),
        ("own_life", HARDER),
    ]


@pytest.mark.parametrize(
    "before, after, direction",
    [
        (0.5, 0.25, EASIER),  # was a sign, one step better
        (0.75, 0.5, EASIER),  # still a sign, but a step better
        (0.25, 0.0, None),  # was never a sign: not worth announcing
        (0.25, 0.5, HARDER),  # now a sign
        (0.0, 0.25, None),  # a step worse but still no sign
        (0.5, 0.5, None),
    ],
)
def test_compare_boundaries(before, after, direction):
    changes = compare({"control": before}, {"control": after}, QUESTIONS)

    assert [c.direction for c in changes] == ([direction] if direction else [])
