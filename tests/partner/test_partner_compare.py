"""The wording of a comparison on tricky cases: it names themes and never a person or a verdict."""

from typing import Dict, Optional

import pytest

from actions.partner.compare import compare_levels
from actions.reflection.catalogue import load_catalogue

QUESTIONS = load_catalogue().questions
THEMES = [question.theme for question in QUESTIONS]
FORBIDDEN = ("codependent", "counterdependent", "the problem", "your partner is", "you are the", "diagnos")


def levels(value: Optional[int], **overrides: Optional[int]) -> Dict[str, Optional[int]]:
    return {**{theme: value for theme in THEMES}, **overrides}


def all_text(comparison) -> str:
    return "\n".join(comparison.agreements + comparison.differences + comparison.skipped).lower()


def label(theme: str) -> str:
    return next(question.label for question in QUESTIONS if question.theme == theme)


@pytest.mark.parametrize("value", [1, 3, 5])
def test_identical_answers_are_all_agreement_and_never_a_difference(value: int) -> None:
    comparison = compare_levels(levels(value), levels(value), QUESTIONS)
    assert comparison.differences == []
    assert comparison.skipped == []
    assert len(comparison.agreements) == 3
    assert all("you both" in line or "much the same way" in line for line in comparison.agreements)


def test_identical_strain_on_every_theme_is_said_as_shared_effort_and_suggests_a_counsellor() -> None:
    strained = {q.theme: (1 if q.reverse else 5) for q in QUESTIONS}
    comparison = compare_levels(strained, strained, QUESTIONS)
    assert all("you both find this takes effort" in line for line in comparison.agreements)
    assert comparison.suggest_counsellor


def test_identical_calm_answers_suggest_no_counsellor_and_give_the_exercise_for_two() -> None:
    calm = {q.theme: (5 if q.reverse else 1) for q in QUESTIONS}
    comparison = compare_levels(calm, calm, QUESTIONS)
    assert all("goes fairly well" in line for line in comparison.agreements)
    assert not comparison.suggest_counsellor
    assert comparison.exercise_label == label("talking_needs")


def test_opposite_answers_are_opposite_ends_and_conversation_starters_not_verdicts() -> None:
    comparison = compare_levels(levels(1), levels(5), QUESTIONS)
    assert comparison.agreements == []
    assert len(comparison.differences) == 3
    assert all("opposite ends" in line and "talk about" in line for line in comparison.differences)
    assert not any(word in all_text(comparison) for word in FORBIDDEN)


def test_the_largest_difference_comes_first_and_gives_the_shared_exercise() -> None:
    mine = levels(3, saying_no=1, feelings=2)
    theirs = levels(3, saying_no=5, feelings=4)
    comparison = compare_levels(mine, theirs, QUESTIONS)
    assert comparison.differences[0].startswith("Saying no: you see this from opposite ends")
    assert comparison.differences[1].startswith("Expressing your feelings: you see this differently")
    assert comparison.exercise_label == "saying no"
    assert comparison.exercise == next(q.exercise for q in QUESTIONS if q.theme == "saying_no")


def test_the_same_comparison_reads_the_same_from_either_side() -> None:
    mine, theirs = levels(2, own_life=5), levels(4, own_life=1)
    assert compare_levels(mine, theirs, QUESTIONS) == compare_levels(theirs, mine, QUESTIONS)


def test_skipped_questions_are_named_as_not_compared_without_saying_who_skipped() -> None:
    comparison = compare_levels(levels(3, saying_no=None), levels(3, control=None), QUESTIONS)
    assert comparison.skipped == [
        f"{label(theme)[0].upper()}{label(theme)[1:]}: one of you left this out, so there's nothing to set side by side. "
        "You can always talk about it anyway."
        for theme in THEMES
        if theme in ("saying_no", "control")
    ]
    assert not any("Saying no" in line for line in comparison.agreements + comparison.differences)


def test_everything_skipped_compares_nothing() -> None:
    comparison = compare_levels(levels(None), levels(3), QUESTIONS)
    assert comparison.agreements == comparison.differences == []
    assert len(comparison.skipped) == len(QUESTIONS)
