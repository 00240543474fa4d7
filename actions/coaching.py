"""`action_coach`: answers a coaching request with the chosen topic, or offers the topic menu.

All wording lives in domain/coaching.yml; this module only decides which responses to send.
"""

import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.context import COACHING, OFFER_NEXT_STEP, SITUATION, Context, forget, recall, remember

TOPIC_SLOT = "topic"

# The coaching topics of the public contract; each has utter_coach_<topic> and
# utter_coach_<topic>_exercise in domain/coaching.yml.
TOPICS = (
    "boundaries",
    "self_esteem",
    "alone_time",
    "listening",
    "communication",
    "goals",
    "attachment",
    "professional_help",
    "community",
    "identity",
    "compromise",
)


def normalise_topic(value: Any) -> Optional[Text]:
    """The contract name for a topic value, or None when it is not a known topic.

    Values reach us from button payloads and entity extraction, so spacing, case and hyphens
    vary ("Self-Esteem", "alone time").
    """
    if not isinstance(value, str):
        return None
    name = value.strip().lower().replace("-", "_").replace(" ", "_")
    return name if name in TOPICS else None


def topic_in_message(tracker: Tracker) -> Optional[Text]:
    """A topic named in the latest message ("how do I say no?" names boundaries)."""
    for value in tracker.get_latest_entity_values(TOPIC_SLOT):
        topic = normalise_topic(value)
        if topic:
            return topic
    return None


def topic_from_signs(text: Text) -> Optional[Text]:
    """The topic of the first sign in a typed question that names no topic ("how do I stop
    giving in to him all the time?"), so it gets an answer rather than the menu."""
    # Imported here: the sign detector loads spaCy, which only typed questions need.
    from actions.signs.catalogue import catalogue
    from actions.signs import detect_signs

    book = catalogue()
    signs = [sign for sign in detect_signs(text) if sign.label in book.signs]
    return book.step_topic(signs[0].label, signs[0].subject, signs[0].evidence) if signs else None


def is_typed(text: Optional[Text]) -> bool:
    """Words the person typed, not a button payload such as '/ask_coaching{"topic": …}'."""
    return bool(text and text.strip()) and not text.strip().startswith("/")


QUESTION_STARTS = ("how", "what", "why", "is", "are", "am", "can", "could", "should", "do", "does", "would", "any")


def is_typed_question(text: Optional[Text]) -> bool:
    """A question in the person's own words ("how do I say no without a fight?", "ok what can i do")."""
    if not is_typed(text):
        return False
    from actions.signs.situation import substance  # actions.signs imports this module's topics

    # Read after the words a reply opens with ("ok what can i do", "so how do i start").
    words = (substance(text) or text).strip().lower().split()
    return text.rstrip().endswith("?") or words[0] in QUESTION_STARTS


def asks_what_to_do(text: Optional[Text]) -> bool:
    """A question about the writer's own next step ("what can i do", "so what should i do"), not
    about what the assistant offers ("what can you help with?")."""
    words = set(re.findall(r"[a-z']+", (text or "").lower()))
    return is_typed_question(text) and bool(words & {"i", "we"}) and not words & {"you", "u"}


def is_statement_of_a_sign(tracker: Tracker) -> bool:
    """Typed words that name no topic and ask nothing, but show a sign."""
    text = tracker.latest_message.get("text")
    if not is_typed(text) or is_typed_question(text) or topic_in_message(tracker):
        return False
    return topic_from_signs(text) is not None


def topic_in_context(tracker: Tracker) -> Optional[Text]:
    """The topic the conversation was last on: a sign's step, a coaching step, a plan's first."""
    context = recall(tracker)
    if context is None:
        return None
    return context.topic or (context.topics[0] if context.topics else None)


def is_telling_a_situation(tracker: Tracker) -> bool:
    context = recall(tracker)
    return context is not None and context.kind == SITUATION


def is_more_of_a_story(tracker: Tracker) -> bool:
    """Typed words that ask nothing, while the person is telling a situation."""
    text = tracker.latest_message.get("text")
    return is_telling_a_situation(tracker) and is_typed(text) and not is_typed_question(text)


# A first statement must be this long to be taken as the start of a situation (see opens_a_story).
MIN_OPENING_WORDS = 6
THE_TWO_OF_US = frozenset({"we", "us", "our"})


def opens_a_story(tracker: Tracker) -> bool:
    """With nothing said before, typed words that ask nothing and tell of someone close ("I love
    her but no, I don't think we talk enough"). The classifier may call them push-back or a no, but
    there is nothing yet to push back on: they begin a situation."""
    text = tracker.latest_message.get("text")
    if recall(tracker) is not None or not is_typed(text) or is_typed_question(text):
        return False
    if "{" in text:
        # A refused payload ('/greet{"partner_code_pending": …}') arrives without its slash
        # (components/payload_guard.py); words inside braces tell nothing.
        return False
    # Imported here: the catalogue imports this module's topics.
    from actions.signs.catalogue import catalogue
    from actions.signs.situation import substance

    words = re.findall(r"[a-zé]+", substance(text).lower())
    people = catalogue().subject_words
    close = people["partner"] | people["other"] | THE_TWO_OF_US
    return len(words) >= MIN_OPENING_WORDS and any(word in close for word in words)


def reads_as_a_situation(tracker: Tracker) -> bool:
    """The one check of whether typed words tell a situation rather than ask for something, whatever
    the classifier made of them: they show a sign without naming a topic or asking ("I agree with
    everything she says to avoid a fight"), or they carry on a situation being told without asking
    for a topic ("it's usually about money and who pays for what")."""
    return is_statement_of_a_sign(tracker) or (is_more_of_a_story(tracker) and requested_topic(tracker) is None)


def reflect_situation(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    """Reflect the person's words back as a described situation is, forgetting any coaching topic."""
    from actions.signs.action import analyse_told  # signs replies import this module's helpers

    return [SlotSet(TOPIC_SLOT, None), *analyse_told(dispatcher, tracker, tracker.latest_message.get("text"))]


def requested_topic(tracker: Tracker) -> Optional[Text]:
    """The topic of this request: an entity in the latest message, then an older slot value, then
    the sign a typed question describes."""
    text = tracker.latest_message.get("text")
    return (
        topic_in_message(tracker)
        or normalise_topic(tracker.get_slot(TOPIC_SLOT))
        or (topic_from_signs(text) if is_typed(text) else None)
    )


def topic_responses(topic: Text) -> List[Text]:
    """What explaining one topic says: the idea, this week's exercise, and what next."""
    return [f"utter_coach_{topic}", f"utter_coach_{topic}_exercise", "utter_coach_followup"]


def coaching_context(topic: Text) -> Context:
    """After a topic's first step, "more" or a typed yes means the topic's next step."""
    return Context(COACHING, topic=topic, step=1, offer=OFFER_NEXT_STEP)


class ActionCoach(Action):
    """Explain a coaching topic and give one exercise, or show the menu when no topic is known."""

    def name(self) -> Text:
        return "action_coach"

    def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: Dict[Text, Any],
    ) -> List[EventType]:
        if reads_as_a_situation(tracker):
            return reflect_situation(dispatcher, tracker)
        text = tracker.latest_message.get("text")
        topic = requested_topic(tracker)
        # Forget the topic so a later request without one shows the menu again.
        events: List[EventType] = [SlotSet(TOPIC_SLOT, None)]
        if topic is None and asks_what_to_do(text):
            # "ok what can i do" asks for the writer's own next step: after a sign, step or result
            # it is that topic; halfway through telling, steps need a little more of the story.
            # "what can you coach me on?" asks about the assistant and gets the menu.
            if is_telling_a_situation(tracker):
                dispatcher.utter_message(response="utter_follow_up_how_situation")
                return events
            topic = topic_in_context(tracker)
        if topic is None:
            dispatcher.utter_message(response="utter_coaching_menu")
            return events + forget()
        if is_typed_question(text):
            # A question in the person's own words is acknowledged before it is answered.
            dispatcher.utter_message(response="utter_coach_ack")
        for response in topic_responses(topic):
            dispatcher.utter_message(response=response)
        return events + remember(tracker, coaching_context(topic))
