"""A situation told over several messages is said back in the person's own words, as "you"."""

import pytest

from actions.signs.situation import (
    MAX_MESSAGES,
    read_together,
    second_person,
    means_to_say_it,
    states_a_wish,
    substance,
    summary,
    told_so_far,
)


@pytest.mark.parametrize(
    "message, means_to",
    [
        ("i want to talk to him about money but i don't know how", True),
        ("I'm going to tell him how I feel about his mum's comments tonight", True),
        ("i wish i could tell her how i feel", True),
        ("I have decided to tell my husband about the debt", True),
        ("gonna talk to her this weekend about the kids", True),
        ("I need to talk about my husband", False),  # to the assistant, about him
        ("I want to tell you about my relationship", False),
        ("i don't want to talk to him anymore", False),
        ("i told him yesterday and he laughed", False),
    ],
)
def test_a_wish_or_plan_to_say_something_to_the_partner_is_recognised(message: str, means_to: bool) -> None:
    assert means_to_say_it(message) is means_to


@pytest.mark.parametrize(
    "said, back",
    [
        ("I've stopped seeing my friends", "you've stopped seeing your friends"),
        ("I feel I can't bring it up", "you feel you can't bring it up"),
        ("I am tired and I was scared", "you are tired and you were scared"),
        ("he never asks me how I am", "he never asks you how you are"),
        ("we argue about our money", "you two argue about your money"),
        ("i'd want us to talk again", "you'd want the two of you to talk again"),
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


@pytest.mark.parametrize(
    "said, kept",
    [
        ("yeah go on then", ""),
        ("nah that isn't it", ""),
        ("No, that’s not it at all. He just works late", "He just works late"),
        ("no it's not like that, i just hide how upset i am", "i just hide how upset i am"),
        ("well, it's not that simple, someone has to pay the bills", "someone has to pay the bills"),
        ("no one listens to me", "no one listens to me"),
        ("Noah never asks how I am", "Noah never asks how I am"),
    ],
)
def test_words_that_answer_the_assistant_are_not_part_of_the_story(said: str, kept: str) -> None:
    assert substance(said) == kept


def test_the_summary_repeats_what_happened_not_the_yes_or_the_push_back() -> None:
    told = ["things are tense with my boyfriend", "yeah go on then", "nah that isn't it, I just stay home a lot"]
    assert summary(told) == "things are tense with your boyfriend, and you just stay home a lot"


@pytest.mark.parametrize(
    "message, wish",
    [
        ("honestly i just want him to back me up when she starts", True),
        ("i guess i'd want us to actually talk about how we feel again", True),
        ("i wish he'd ask how my day was", True),
        ("I’d like more time together", True),
        ("I don't want a fight", False),  # a negated wish
        ("i don't even know what i want from this", False),  # not knowing what one wants
        ("I want to leave", False),  # a wish about leaving needs a question, not a step
        ("he wants me home every night", False),  # the partner's wish
    ],
)
def test_a_wish_about_the_two_of_them_is_recognised(message: str, wish: bool) -> None:
    assert states_a_wish(message) is wish
