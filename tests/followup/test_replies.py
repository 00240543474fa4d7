"""The follow-up table: each follow-up after each kind of context gets the answer a person expects."""

from typing import List, Optional

import pytest

from actions.context import (
    COACHING,
    OFFER_CHOOSE,
    OFFER_COACH,
    OFFER_MORE_SIGNS,
    OFFER_NEXT_STEP,
    RESULT,
    SELF_ASSESSMENT,
    SIGN,
    SITUATION,
    TERM,
    Context,
)
from actions.followup.replies import (
    CONTINUE_SITUATION,
    FOLLOW_UP_INTENTS,
    SHOW_PENDING_SIGNS,
    Answer,
    answer,
)

SIGN_SHOWN = Context(SIGN, pattern="codependency", sign_name="putting their needs first", topic="boundaries", offer=OFFER_COACH)
TERM_SHOWN = Context(TERM, term="counterdependency")
STEP_SHOWN = Context(COACHING, topic="listening", step=1, offer=OFFER_NEXT_STEP)
RESULT_SHOWN = Context(RESULT, pattern="codependency", topics=["boundaries", "self_esteem"], topic="boundaries", offer=OFFER_COACH)
STORY_BEGUN = Context(SITUATION, told=["we argue about his mother a lot"])
ASKED_AM_I = Context(SELF_ASSESSMENT, pattern="counterdependency", topic="communication", offer=OFFER_CHOOSE)


def names(decided: Answer) -> List[str]:
    return [say.response for say in decided.said]


def coached(decided: Answer) -> Optional[str]:
    """The topic whose first step the answer gives, if it does."""
    topics = [n[len("utter_coach_"):-len("_exercise")] for n in names(decided) if n.endswith("_exercise")]
    return topics[0] if topics else None


@pytest.mark.parametrize(
    "intent, context, topic",
    [
        ("affirm", SIGN_SHOWN, "boundaries"),  # "sure, show me" after "Shall I show you how?"
        ("ask_how", SIGN_SHOWN, "boundaries"),  # "ok so how do I fix it"
        ("ask_more", SIGN_SHOWN, "boundaries"),
        ("ask_how", TERM_SHOWN, "communication"),  # "where would I begin" after counterdependency
        ("affirm", RESULT_SHOWN, "boundaries"),  # the plan's first step
        ("ask_how", RESULT_SHOWN, "boundaries"),
        ("ask_more", RESULT_SHOWN, "self_esteem"),  # the plan's next step
        ("ask_how", ASKED_AM_I, "communication"),  # "so how do I change that"
    ],
)
def test_follow_ups_that_ask_to_start_lead_to_a_first_step(intent: str, context: Context, topic: str) -> None:
    decided = answer(intent, context)
    assert names(decided)[0] == "utter_follow_up_step_intro"
    assert coached(decided) == topic
    assert decided.context is not None and decided.context.kind == COACHING and decided.context.topic == topic


@pytest.mark.parametrize(
    "context, expected",
    [
        (SIGN_SHOWN, ["utter_why_sign_codependency"]),
        (TERM_SHOWN, ["utter_why_term_counterdependency"]),
        (STEP_SHOWN, ["utter_coach_listening_why"]),
        (RESULT_SHOWN, ["utter_why_result_codependency"]),
        (STORY_BEGUN, ["utter_follow_up_why_situation"]),
        (None, ["utter_reflection_why_general"]),
    ],
)
def test_why_explains_what_was_just_said(context: Optional[Context], expected: List[str]) -> None:
    assert names(answer("ask_why", context)) == expected


def test_why_after_a_sign_names_the_sign() -> None:
    (say,) = answer("ask_why", SIGN_SHOWN).said
    assert say.variables == {"sign_name": "putting their needs first"}


@pytest.mark.parametrize(
    "context, expected",
    [
        (SIGN_SHOWN, ["utter_example_term_codependency"]),
        (TERM_SHOWN, ["utter_example_term_counterdependency"]),
        (STEP_SHOWN, ["utter_coach_listening_example"]),
        (RESULT_SHOWN, ["utter_example_term_codependency"]),
        (None, ["utter_example_reciprocated_move", "utter_example_beyond_couples"]),
    ],
)
def test_an_example_fits_what_was_just_said(context: Optional[Context], expected: List[str]) -> None:
    assert names(answer("ask_example", context)) == expected


def test_more_after_a_step_is_the_same_topics_next_step_once_then_the_menu() -> None:
    first = answer("ask_more", STEP_SHOWN)
    assert names(first) == ["utter_coach_listening_next", "utter_follow_up_next_done"]
    assert first.said[1].variables["topic_name"]
    assert names(answer("affirm", first.context)) == ["utter_coaching_menu"]


def test_how_after_a_step_gives_practical_tips_for_it() -> None:
    assert names(answer("ask_how", STEP_SHOWN)) == ["utter_coach_listening_how"]


def test_yes_after_more_signs_were_offered_shows_them() -> None:
    offered = SIGN_SHOWN.but(offer=OFFER_MORE_SIGNS)
    assert answer("affirm", offered).then == SHOW_PENDING_SIGNS


def test_more_about_a_term_offers_a_step_that_a_yes_then_takes() -> None:
    more = answer("ask_more", TERM_SHOWN)
    assert names(more) == ["utter_more_term_counterdependency"]
    assert coached(answer("affirm", more.context)) == "communication"


@pytest.mark.parametrize(
    "context, acknowledgement",
    [
        (SIGN_SHOWN, "utter_push_back_ack_sign"),
        (STEP_SHOWN, "utter_push_back_ack_step"),
        (RESULT_SHOWN, "utter_push_back_ack_result"),
        (TERM_SHOWN, "utter_push_back_ack"),
    ],
)
def test_push_back_is_acknowledged_with_a_reflective_question(context: Optional[Context], acknowledgement: str) -> None:
    assert names(answer("push_back", context)) == [acknowledgement, "utter_push_back_question"]


def test_push_back_with_nothing_said_before_asks_about_their_side_without_taking_anything_back() -> None:
    assert names(answer("push_back", None)) == ["utter_push_back_unclear"]


def test_after_push_back_a_yes_no_longer_takes_the_old_offer() -> None:
    after = answer("push_back", SIGN_SHOWN).context
    assert after is not None and after.offer is None


@pytest.mark.parametrize("context", [SIGN_SHOWN, TERM_SHOWN, STEP_SHOWN, RESULT_SHOWN, ASKED_AM_I])
def test_disagreeing_twice_stops_pressing_the_point_and_offers_a_choice(context: Context) -> None:
    first = answer("push_back", context)
    second = answer("push_back", first.context)

    assert names(second) == ["utter_push_back_again"]
    assert names(answer("affirm", second.context)) == ["utter_follow_up_choose"]


@pytest.mark.parametrize("context", [SIGN_SHOWN, TERM_SHOWN, STEP_SHOWN, RESULT_SHOWN, ASKED_AM_I])
def test_no_declines_kindly_and_keeps_the_subject(context: Context) -> None:
    decided = answer("deny", context)
    assert names(decided) == ["utter_follow_up_declined"]
    assert decided.context is not None and decided.context.kind == context.kind


@pytest.mark.parametrize(
    "intent, expected",
    [
        ("affirm", ["utter_affirm_unclear"]),
        ("deny", ["utter_deny_ack"]),
        ("ask_how", ["utter_follow_up_unclear_how"]),
        ("ask_more", ["utter_follow_up_unclear_more"]),
    ],
)
def test_without_context_a_follow_up_gets_a_clarifying_question(intent: str, expected: List[str]) -> None:
    assert names(answer(intent, None)) == expected


@pytest.mark.parametrize("intent", FOLLOW_UP_INTENTS)
@pytest.mark.parametrize("context", [None, SIGN_SHOWN, TERM_SHOWN, STEP_SHOWN, RESULT_SHOWN, STORY_BEGUN, ASKED_AM_I])
def test_no_follow_up_is_ever_answered_with_goodbye_or_rephrase(intent: str, context: Optional[Context]) -> None:
    said = names(answer(intent, context, text="nah that isn't it at all"))
    assert not {"utter_goodbye", "utter_ask_rephrase", "utter_default"} & set(said)


@pytest.mark.parametrize(
    "text, pattern",
    [("maybe I'm a codependent person?", "codependency"), ("is that counterdependency, me?", "counterdependency")],
)
def test_am_i_gets_patterns_not_a_label_and_two_ways_in(text: str, pattern: str) -> None:
    decided = answer("ask_self_assessment", SIGN_SHOWN, text=text)
    assert names(decided) == [f"utter_self_assessment_{pattern}", "utter_self_assessment_offer"]
    assert names(answer("affirm", decided.context)) == ["utter_follow_up_choose"]


def test_a_topic_named_in_a_follow_up_wins_over_the_context() -> None:
    assert coached(answer("ask_how", SIGN_SHOWN, named_topic="goals")) == "goals"


def test_more_words_while_a_situation_is_told_are_read_with_the_rest() -> None:
    assert answer("push_back", STORY_BEGUN, text="he's the one with the problem").then == CONTINUE_SITUATION
    assert answer("deny", STORY_BEGUN, text="no, he just never listens to me").then == CONTINUE_SITUATION
    assert names(answer("deny", STORY_BEGUN, text="no")) == ["utter_situation_go_on"]


def test_an_answer_the_classifier_took_for_how_while_a_situation_is_told_is_read_with_it() -> None:
    said = "i guess i'd want us to actually talk about how we feel again"
    assert answer("ask_how", STORY_BEGUN, text=said).then == CONTINUE_SITUATION
    assert names(answer("ask_how", STORY_BEGUN, text="ok so how do i start?")) == ["utter_follow_up_how_situation"]


def test_a_short_answer_to_the_open_question_is_not_asked_the_same_question_again() -> None:
    asked = Context(SITUATION, told=["we argue about his mother a lot", "he takes her side every time"])
    assert names(answer("deny", asked, text="maybe")) == ["utter_situation_short_reply"]


def test_a_long_yes_or_a_bare_push_back_while_a_situation_is_told_asks_for_more() -> None:
    assert names(answer("affirm", STORY_BEGUN, text="yeah go on then")) == ["utter_situation_go_on"]
    assert names(answer("push_back", STORY_BEGUN, text="nah that isn't it")) == ["utter_situation_go_on"]


def test_words_the_classifier_cannot_place_right_after_a_sign_are_heard_as_push_back() -> None:
    assert names(answer("nlu_fallback", SIGN_SHOWN, text="oh well, what's done is done")) == names(
        answer("push_back", SIGN_SHOWN, text="oh well, what's done is done")
    )
    assert "utter_ask_rephrase" not in names(answer("nlu_fallback", SIGN_SHOWN, text="it is what it is"))
