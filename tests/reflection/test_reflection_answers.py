"""Reading replies to check-in questions: buttons, frequency words, skips, signs, and re-asking."""

from dataclasses import dataclass
from typing import List

import pytest

from actions.reflection.answers import interpret, phrase_value, quote
from actions.reflection.catalogue import load_catalogue

CATALOGUE = load_catalogue()
PARTNER_FIRST = CATALOGUE.by_theme("partner_first")  # "how often do you put them first" (strain = often)
SAYING_NO = CATALOGUE.by_theme("saying_no")  # reverse: "how often do you say no" (strain = never)
OWN_LIFE = CATALOGUE.by_theme("own_life")  # reverse


@dataclass(frozen=True)
class FakeSign:
    label: str
    subject: str = "self"


def detector_finding(*signs: FakeSign):
    def detect(text: str) -> List[FakeSign]:
        return list(signs)

    return detect


def no_detector_expected(text: str):
    raise AssertionError(f"the sign detector should not be needed for {text!r}")


@pytest.mark.parametrize(
    "reply, value",
    [
        ("all the time", 5),
        ("ALL THE TIME!!", 5),
        ("Always", 5),
        ("most of the time", 4),
        ("yeah, pretty much", 4),
        ("sometimes", 3),
        ("it depends", 3),
        ("not always", 3),
        ("I don't always", 3),
        ("hardly ever", 2),
        ("not really", 2),
        ("Not often.", 2),
        ("almost never", 2),
        ("never", 1),
        ("no", 1),
        ("3", 3),
    ],
)
def test_frequency_words_map_onto_the_scale(reply, value):
    answer = interpret(reply, PARTNER_FIRST, CATALOGUE, detector=no_detector_expected)

    assert answer is not None
    assert (answer.value, answer.source) == (value, "phrase")
    assert answer.said == quote(reply)


def test_the_longest_phrase_wins():
    assert phrase_value("not very often at all", CATALOGUE) == 2
    assert phrase_value("yes, always", CATALOGUE) == 5


def test_a_button_payload_gives_its_value_and_quotes_the_button_title():
    answer = interpret('/answer_reflection{"reflection_level": "4"}', SAYING_NO, CATALOGUE)

    assert (answer.value, answer.said, answer.source) == (4, "Often", "button")


@pytest.mark.parametrize(
    "payload", ['/answer_reflection{"reflection_level": "9"}', "/answer_reflection", "/stop"]
)
def test_other_payloads_are_not_answers(payload):
    assert interpret(payload, SAYING_NO, CATALOGUE, detector=no_detector_expected) is None


@pytest.mark.parametrize("reply", ["skip", "Skip this one please", "I'd rather not say", "pass"])
def test_skipping_is_an_answer_without_a_value(reply):
    answer = interpret(reply, SAYING_NO, CATALOGUE, detector=no_detector_expected)

    assert (answer.value, answer.source) == (None, "skip")


def test_a_long_reply_mentioning_next_is_not_a_skip():
    reply = "next week I will probably cancel my own plans again because he wants me home"
    answer = interpret(
        reply, PARTNER_FIRST, CATALOGUE, detector=detector_finding(FakeSign("self_sacrifice"))
    )

    assert (answer.value, answer.source) == (4, "signs")


def test_a_described_strain_sign_counts_towards_the_pattern():
    reply = "I keep dropping my own plans whenever he asks me to stay in"
    one = interpret(reply, PARTNER_FIRST, CATALOGUE, detector_finding(FakeSign("self_sacrifice")))
    two = interpret(
        reply,
        PARTNER_FIRST,
        CATALOGUE,
        detector_finding(FakeSign("self_sacrifice"), FakeSign("external_focus")),
    )

    assert (one.value, one.source, one.said) == (4, "signs", reply)
    assert two.value == 5


def test_on_a_reverse_question_a_strain_sign_means_rarely_and_a_healthy_sign_often():
    reply = "honestly I go along with whatever she wants so she isn't upset"
    strained = interpret(reply, SAYING_NO, CATALOGUE, detector_finding(FakeSign("people_pleasing")))
    healthy = interpret(
        "I told her I need my Sunday mornings to myself and she respects it",
        SAYING_NO,
        CATALOGUE,
        detector_finding(FakeSign("healthy_boundaries")),
    )

    assert strained.value == 2
    assert healthy.value == 4


def test_signs_in_a_long_reply_win_over_a_stray_frequency_word():
    reply = "I always cancel on my friends now, I barely remember my old hobbies"
    answer = interpret(reply, OWN_LIFE, CATALOGUE, detector_finding(FakeSign("lost_identity")))

    # "always" alone would have said the healthy end of this reverse-scored question.
    assert (answer.value, answer.source) == (2, "signs")


def test_mixed_signs_on_one_theme_mean_sometimes():
    answer = interpret(
        "sometimes I give in and sometimes I tell her clearly what I won't do",
        SAYING_NO,
        CATALOGUE,
        detector_finding(FakeSign("poor_boundaries"), FakeSign("healthy_boundaries")),
    )

    assert answer.value == 3


def test_signs_about_the_partner_or_other_themes_are_not_counted():
    reply = "he checks my phone every night and then we argue about it"
    answer = interpret(
        reply,
        SAYING_NO,
        CATALOGUE,
        detector_finding(FakeSign("poor_boundaries", subject="partner"), FakeSign("control")),
    )

    # Nothing about the person's own no: fall back to the frequency word "every night"? none → re-ask.
    assert answer is None


def test_a_long_reply_without_signs_still_uses_a_frequency_word():
    reply = "to be honest with you I would say that happens most of the time lately"
    answer = interpret(reply, PARTNER_FIRST, CATALOGUE, detector_finding())

    assert (answer.value, answer.source) == (4, "phrase")


@pytest.mark.parametrize("reply", ["banana", "we went hiking on saturday", "", "   "])
def test_nothing_usable_means_ask_again(reply):
    assert interpret(reply, PARTNER_FIRST, CATALOGUE, detector_finding()) is None


def test_without_a_detector_free_text_falls_back_to_frequency_words():
    assert interpret("we went hiking on saturday", PARTNER_FIRST, CATALOGUE, None) is None
    assert interpret("I'd say it happens quite often", PARTNER_FIRST, CATALOGUE, None).value == 4


def test_quotes_are_plain_text_and_short():
    assert quote("*always* <b>[link](x)</b>") == "always b link (x) /b"
    long_reply = "word " * 60
    quoted = quote(long_reply)
    assert len(quoted) <= 121 and quoted.endswith("…")


def test_with_the_real_sign_detector_a_described_never_refuse_reads_as_a_strained_no():
    pytest.importorskip("actions.signs")
    from actions.signs import detect_signs

    answer = interpret(
        "Even when it's too much for me I never refuse her anything",
        SAYING_NO,
        CATALOGUE,
        detect_signs,
    )

    assert answer.source == "signs"
    assert answer.value <= 2
