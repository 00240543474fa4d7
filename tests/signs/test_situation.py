"""A situation told over several messages is said back in the person's own words, as "you"."""

import pytest

from actions.signs.situation import MAX_MESSAGES, read_together, second_person, summary, told_so_far


@pytest.mark.parametrize(
    "said, back",
    [
        ("I've stopped seeing my friends", "you've stopped seeing your friends"),
        ("I feel I can't bring it up", "you feel you can't bring it up"),
        ("I am tired and I was scared", "you are tired and you were scared"),
        ("he never asks me how I am", "he never asks you how you are"),
        ("we argue about our money", "you two argue about your money"),
        ("im always the one who apologises", "you're always the one who apologises"),
    ],
)
def test_the_writers_words_are_turned_to_you(said: str, back: str) -> None:
    assert second_person(said) == back


def test_a_summary_joins_the_first_sentence_of_each_message() -> None:
    told = ["I've stopped seeing my friends. It just happened.", "And I feel I can't bring it up!"]
    assert summary(told) == "you've stopped seeing your friends, and you feel you can't bring it up"


def test_a_long_message_is_shortened_in_the_summary() -> None:
    said = summary(["I " + "really " * 60 + "miss my sister"])
    assert len(said) <= 120 and said.endswith("…")


def test_only_the_latest_messages_are_kept_and_each_is_bounded() -> None:
    told = told_so_far(["one", "two", "three"], "four " * 1000)
    assert len(told) == MAX_MESSAGES and told[:2] == ["two", "three"] and len(told[-1]) <= 1000


def test_messages_are_read_as_separate_sentences() -> None:
    assert read_together(["he checks my phone", "and I go quiet."]) == "he checks my phone. and I go quiet."
