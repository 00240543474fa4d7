"""What a follow-up is answered with, decided from the context without sending anything.

`answer(intent, context, links)` is pure: it returns the responses to send (wording in
domain/followups.yml and domain/coaching.yml), the context the conversation is about afterwards,
and whether another part must continue (the signs not shown yet, a situation being told).
Keeping it pure lets tests read the whole decision table.
"""

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Mapping, Optional, Tuple

import yaml

from actions.coaching import coaching_context, is_typed_question, topic_responses
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
from actions.signs.situation import substance

LINKS_PATH = Path(__file__).with_name("links.yml")

AFFIRM, DENY, ASK_HOW, ASK_WHY, ASK_EXAMPLE, ASK_MORE, PUSH_BACK, SELF_CHECK = (
    "affirm",
    "deny",
    "ask_how",
    "ask_why",
    "ask_example",
    "ask_more",
    "push_back",
    "ask_self_assessment",
)
FOLLOW_UP_INTENTS = (AFFIRM, DENY, ASK_HOW, ASK_WHY, ASK_EXAMPLE, ASK_MORE, PUSH_BACK, SELF_CHECK)
UNCLEAR = "nlu_fallback"

# What another part does after (or instead of) the responses here.
SHOW_PENDING_SIGNS = "show_pending_signs"
CONTINUE_SITUATION = "continue_situation"

# While a situation is being told, a reply with this few words besides its "yeah", "go on" or "nah
# that isn't it" (situation.substance) is not more of the story.
SHORT_REPLY_WORDS = 3


@dataclass(frozen=True)
class Say:
    """One response to send, with the values it fills in."""

    response: str
    variables: Dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Answer:
    """The responses, the context afterwards (None: nothing to follow up on), what comes next."""

    said: Tuple[Say, ...] = ()
    context: Optional[Context] = None
    then: Optional[str] = None


@dataclass(frozen=True)
class Links:
    """links.yml: the topic and term each term and pattern leads to, and each term's intent."""

    term_topics: Mapping[str, str]
    term_intents: Mapping[str, str]
    pattern_topics: Mapping[str, str]
    pattern_terms: Mapping[str, str]
    topic_names: Mapping[str, str]


@lru_cache(maxsize=1)
def links() -> Links:
    from actions.signs.catalogue import catalogue

    data = yaml.safe_load(LINKS_PATH.read_text(encoding="utf-8"))
    patterns = data["patterns"]
    return Links(
        term_topics=data["terms"],
        term_intents=data["term_intents"],
        pattern_topics={name: entry["topic"] for name, entry in patterns.items()},
        pattern_terms={name: entry["term"] for name, entry in patterns.items()},
        topic_names=catalogue().topic_names,
    )


def says(*responses: str) -> Tuple[Say, ...]:
    return tuple(Say(response) for response in responses)


def coach(topic: str, book: Links) -> Answer:
    """The first step of a topic, introduced as the answer to what was asked."""
    intro = Say("utter_follow_up_step_intro", {"topic_name": book.topic_names.get(topic, topic)})
    return Answer((intro, *says(*topic_responses(topic))), coaching_context(topic))


def next_step(context: Context, book: Links) -> Answer:
    """The topic's next step, once; after it, the choice of another theme."""
    if context.offer != OFFER_NEXT_STEP or not context.topic:
        return Answer(says("utter_coaching_menu"))
    done = Say("utter_follow_up_next_done", {"topic_name": book.topic_names.get(context.topic, "")})
    return Answer(
        (Say(f"utter_coach_{context.topic}_next"), done), context.but(step=2, offer=None)
    )


def declined(context: Context) -> Answer:
    return Answer(says("utter_follow_up_declined"), context.but(offer=None))


def self_assessment(text: str, book: Links) -> Answer:
    """"Am I codependent?": patterns, not a label, and two ways to look at it together."""
    pattern = "counterdependency" if "counter" in text.lower() else "codependency"
    return Answer(
        says(f"utter_self_assessment_{pattern}", "utter_self_assessment_offer"),
        Context(SELF_ASSESSMENT, pattern=pattern, topic=book.pattern_topics[pattern], offer=OFFER_CHOOSE),
    )


def without_context(intent: str, asked_to_rephrase: bool = False) -> Answer:
    """A follow-up to nothing in particular: a helpful question, never a guess or a goodbye."""
    if intent == UNCLEAR and asked_to_rephrase:
        # A second message the classifier cannot place: what the assistant can do, as buttons.
        return Answer(says("utter_default"))
    if intent == ASK_EXAMPLE:
        # The contract's ask_example: examples of interdependence, which "how?" can then follow.
        return Answer(
            says("utter_example_reciprocated_move", "utter_example_beyond_couples"),
            Context(TERM, term="interdependence"),
        )
    return Answer(
        says(
            *{
                AFFIRM: ("utter_affirm_unclear",),
                DENY: ("utter_deny_ack",),
                ASK_HOW: ("utter_follow_up_unclear_how",),
                ASK_MORE: ("utter_follow_up_unclear_more",),
                ASK_WHY: ("utter_reflection_why_general",),
                PUSH_BACK: ("utter_push_back_unclear",),
            }.get(intent, ("utter_ask_rephrase",))
        )
    )


def alike(intent: str, context: Context, why: Say, example: str, push_back_ack: str) -> Answer:
    """What every kind of context answers in the same way: why, an example, push-back, a no."""
    if intent == ASK_WHY:
        return Answer((why,), context)
    if intent == ASK_EXAMPLE:
        return Answer(says(example), context)
    if intent == PUSH_BACK and context.pushed_back:
        # Disagreeing twice: stop pressing the point and let the person choose where to go.
        return Answer(says("utter_push_back_again"), context.but(offer=OFFER_CHOOSE, pushed_back=False))
    if intent == PUSH_BACK:
        return Answer(says(push_back_ack, "utter_push_back_question"), context.but(offer=None, pushed_back=True))
    return declined(context)


def after_sign(intent: str, context: Context, book: Links) -> Answer:
    if intent in (AFFIRM, ASK_MORE) and context.offer == OFFER_MORE_SIGNS:
        return Answer(then=SHOW_PENDING_SIGNS)
    if intent in (AFFIRM, ASK_MORE, ASK_HOW) and context.topic:
        return coach(context.topic, book)
    why = Say(f"utter_why_sign_{context.pattern}", {"sign_name": context.sign_name or ""})
    example = f"utter_example_term_{book.pattern_terms.get(context.pattern or '', 'interdependence')}"
    return alike(intent, context, why, example, "utter_push_back_ack_sign")


def after_term(intent: str, context: Context, book: Links) -> Answer:
    term = context.term or "interdependence"
    if intent == ASK_HOW or (intent in (AFFIRM, ASK_MORE) and context.offer == OFFER_COACH):
        return coach(book.term_topics.get(term, "communication"), book)
    if intent in (AFFIRM, ASK_MORE):
        # One more idea about the term, which ends by offering a first step.
        return Answer(says(f"utter_more_term_{term}"), context.but(offer=OFFER_COACH))
    return alike(intent, context, Say(f"utter_why_term_{term}"), f"utter_example_term_{term}", "utter_push_back_ack")


def after_coaching(intent: str, context: Context, book: Links) -> Answer:
    topic = context.topic
    if intent in (AFFIRM, ASK_MORE):
        return next_step(context, book)
    if intent == ASK_HOW:
        return Answer(says(f"utter_coach_{topic}_how"), context)
    return alike(intent, context, Say(f"utter_coach_{topic}_why"), f"utter_coach_{topic}_example", "utter_push_back_ack_step")


def after_result(intent: str, context: Context, book: Links) -> Answer:
    lean = context.pattern or "mixed"
    topics = list(context.topics) or [book.pattern_topics.get(lean, "communication")]
    if intent in (AFFIRM, ASK_HOW):
        return coach(topics[0], book)
    if intent == ASK_MORE:
        return coach(topics[1] if len(topics) > 1 else topics[0], book)
    example = f"utter_example_term_{book.pattern_terms.get(lean, 'difference')}"
    return alike(intent, context, Say(f"utter_why_result_{lean}"), example, "utter_push_back_ack_result")


def during_situation(intent: str, context: Context, text: str) -> Answer:
    """While a situation is being told, words that say more of it are read with the rest, whatever
    the classifier made of them ("i guess i'd want us to talk about how we feel again" is an answer,
    not a "how?")."""
    long_answer = len(substance(text).split()) > SHORT_REPLY_WORDS
    if long_answer and not is_typed_question(text):
        return Answer(context=context, then=CONTINUE_SITUATION)
    if intent == ASK_HOW:
        return Answer(says("utter_follow_up_how_situation"), context)
    if intent == ASK_WHY:
        return Answer(says("utter_follow_up_why_situation"), context)
    if intent == ASK_EXAMPLE:
        return Answer(says("utter_example_term_interdependence"), context)
    if long_answer:
        return Answer(context=context, then=CONTINUE_SITUATION)
    if len(context.told) > 1:
        # The last reply already asked an open question: a short answer to it ("maybe") gets a
        # gentler prompt, not the same question again.
        return Answer(says("utter_situation_short_reply"), context)
    return Answer(says("utter_situation_go_on"), context)


def after_self_assessment(intent: str, context: Context, book: Links) -> Answer:
    term = book.pattern_terms.get(context.pattern or "", "codependency")
    if intent in (ASK_HOW, ASK_MORE) and context.topic:
        return coach(context.topic, book)
    if intent == AFFIRM:
        return Answer(says("utter_follow_up_choose"), context)
    return alike(intent, context, Say(f"utter_why_term_{term}"), f"utter_example_term_{term}", "utter_push_back_ack")


AFTER = {
    SIGN: after_sign,
    TERM: after_term,
    COACHING: after_coaching,
    RESULT: after_result,
    SELF_ASSESSMENT: after_self_assessment,
}


def answer(
    intent: str,
    context: Optional[Context],
    text: str = "",
    named_topic: Optional[str] = None,
    book: Optional[Links] = None,
    asked_to_rephrase: bool = False,
) -> Answer:
    """The answer to one follow-up, given what the conversation is about (`asked_to_rephrase`:
    the assistant's last reply asked the person to say it another way)."""
    book = book or links()
    if named_topic:
        # "ok but how do I say no?" names its topic: that wins over anything said before.
        return coach(named_topic, book)
    if intent == SELF_CHECK:
        return self_assessment(text, book)
    if context is None:
        return without_context(intent, asked_to_rephrase)
    if context.kind == SITUATION:
        return during_situation(intent, context, text)
    if intent == UNCLEAR:
        # Words the classifier cannot place, right after a subject ("oh well, what's done is
        # done"), are the person's view of it: heard as push-back, never "please rephrase".
        intent = PUSH_BACK
    if intent == AFFIRM and context.offer == OFFER_CHOOSE:
        # "Yes" to a choice of two: ask which one.
        return Answer(says("utter_follow_up_choose"), context)
    return AFTER[context.kind](intent, context, book)
