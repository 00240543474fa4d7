"""The follow-up actions: answering from the context, remembering a term, and a guarded farewell.

Which responses to send is decided in replies.py; these classes read the tracker, send, and
record what the conversation is about afterwards.
"""

import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.coaching import opens_a_story, reads_as_a_situation, reflect_situation, topic_in_message
from actions.context import TERM, Context, forget, last_response, recall, remember
from actions.followup.replies import (
    CONTINUE_SITUATION,
    PUSH_BACK,
    SELF_CHECK,
    SHOW_PENDING_SIGNS,
    Answer,
    answer,
    links,
)

# A goodbye is taken as meant when it is a button, names a farewell, or the classifier is sure.
FAREWELL_WORDS = re.compile(
    r"\b(bye|goodbye|good night|goodnight|night night|see (you|ya)|cya|ttyl|talk later|"
    r"speak (soon|later)|later|farewell|take care|i'?m off|gotta go|got to go|that'?s all)\b",
    re.IGNORECASE,
)
SURE_GOODBYE = 0.9


def latest_intent(tracker: Tracker) -> Text:
    return ((tracker.latest_message.get("intent") or {}).get("name")) or ""


def latest_text(tracker: Tracker) -> Text:
    return tracker.latest_message.get("text") or ""


def carry_out(dispatcher: CollectingDispatcher, tracker: Tracker, decided: Answer) -> List[EventType]:
    """Send what was decided, let another part go on where it must, and record the context."""
    for say in decided.said:
        dispatcher.utter_message(response=say.response, **say.variables)
    # Imported here: the signs action loads spaCy, which only these two paths need.
    if decided.then == SHOW_PENDING_SIGNS:
        from actions.signs.action import show_pending

        return show_pending(dispatcher, tracker)
    if decided.then == CONTINUE_SITUATION:
        from actions.signs.action import analyse_told

        return analyse_told(dispatcher, tracker, latest_text(tracker))
    return remember(tracker, decided.context) if decided.context else forget()


class ActionFollowUp(Action):
    """Answer "how?", "why?", "for example?", "more", a typed yes or no, push-back, "am I …?" or
    words the classifier cannot place, from what was just said; with nothing said, ask a helpful
    question."""

    def name(self) -> Text:
        return "action_follow_up"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        context = recall(tracker)
        intent = latest_intent(tracker)
        if context is None and intent != SELF_CHECK and (reads_as_a_situation(tracker) or opens_a_story(tracker)):
            # With nothing to follow up on, "I dropped out of my course because she didn't like me
            # being busy" or "we're fine but honestly no one asks how I am" is heard as the situation
            # it describes, not as push-back on a thing never said.
            return reflect_situation(dispatcher, tracker)
        decided = answer(
            intent,
            context,
            text=latest_text(tracker),
            named_topic=topic_in_message(tracker),
            asked_to_rephrase=last_response(tracker) == "utter_ask_rephrase",
        )
        return carry_out(dispatcher, tracker, decided)


class ActionRememberTerm(Action):
    """Note which term was just explained, so "why does that matter?" knows what "that" is."""

    def name(self) -> Text:
        return "action_remember_term"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        term: Optional[Text] = links().term_intents.get(latest_intent(tracker))
        return remember(tracker, Context(TERM, term=term)) if term else forget()


def goodbye_is_meant(tracker: Tracker) -> bool:
    text = latest_text(tracker).strip()
    confidence = float((tracker.latest_message.get("intent") or {}).get("confidence") or 0.0)
    return text.startswith("/") or bool(FAREWELL_WORDS.search(text)) or confidence >= SURE_GOODBYE


class ActionFarewell(Action):
    """Say goodbye only when it is meant. "well somebody has to pay the bills" can look like an
    ending to the classifier; while a subject is open it is answered as push-back, otherwise
    the person is asked to say more."""

    def name(self) -> Text:
        return "action_farewell"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        if goodbye_is_meant(tracker):
            dispatcher.utter_message(response="utter_goodbye")
            return forget()
        context = recall(tracker)
        if context is None:
            dispatcher.utter_message(response="utter_ask_rephrase")
            return []
        return carry_out(dispatcher, tracker, answer(PUSH_BACK, context, text=latest_text(tracker)))
