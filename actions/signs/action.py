"""`action_analyse_situation`: reflects back the signs in what the person wrote.

It quotes their words as plain text, names at most two signs (most important first) as *signs* of
a pattern, says why each matters and offers the matching coaching step; the rest are kept for a
"show me" button. A message with no clear sign gets an open question, and the answer is read
together with it (actions/signs/situation.py). All wording is in domain/signs.yml,
domain/followups.yml and actions/signs/catalogue.yml.
"""

import json
import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.context import (
    OFFER_COACH,
    OFFER_MORE_SIGNS,
    SIGN,
    SITUATION,
    Context,
    forget,
    recall,
    remember,
)
from actions.signs.catalogue import Catalogue, catalogue
from actions.signs import Sign
from actions.signs.reader import read_signs
from actions.signs.situation import (
    MAX_MESSAGES,
    means_to_say_it,
    read_together,
    states_a_wish,
    summary,
    told_so_far,
)

SIGNS_PER_REPLY = 2
MAX_QUOTE_CHARS = 160
PENDING_SLOT = "pending_signs"
TEXT_SLOT = "situation_text"
ASKED_SLOT = "situation_pending"
MORE_INTENT = "more_signs"
# A story that ends with a wish about the two of them and no sign ("honestly i just want him to
# back me up") is offered the step of putting that wish into words for the partner.
WISH_TOPIC = "communication"

# Characters that chat channels may read as markup (HTML, Markdown, Telegram), swapped for
# look-alikes so the person's words always show as typed text and never as formatting or links.
MARKUP_LOOKALIKES = str.maketrans(
    {"<": "‹", ">": "›", "*": "∗", "_": "ˍ", "`": "ʹ", "[": "(", "]": ")", "|": "¦", "~": "∼", "#": "♯"}
)
CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]+")


def plain_quote(evidence: str) -> str:
    """The person's words, safe to show as plain text in any channel, on one line."""
    text = CONTROL_CHARS.sub(" ", evidence)
    text = " ".join(text.split()).translate(MARKUP_LOOKALIKES)
    if len(text) > MAX_QUOTE_CHARS:
        text = text[: MAX_QUOTE_CHARS - 1].rsplit(" ", 1)[0] + "…"
    return text


def is_payload(text: Optional[str]) -> bool:
    """A button payload such as "/share_situation" rather than words the person typed."""
    return bool(text) and text.strip().startswith("/")


def most_important_first(signs: List[Sign], book: Catalogue) -> List[Sign]:
    """Catalogue priority first, then where the words appear."""
    return sorted(signs, key=lambda sign: (book.signs[sign.label].priority, sign.start))


def step_payload(topic: str) -> str:
    return "/ask_coaching" + json.dumps({"topic": topic}, separators=(",", ":"))


def sign_message(sign: Sign, book: Catalogue) -> Dict[str, Any]:
    """The response name and variables that present one sign."""
    entry = book.signs[sign.label]
    kind = "healthy" if entry.healthy else "concern"
    return {
        "response": f"utter_sign_{kind}_{sign.subject}",
        "quote": plain_quote(sign.evidence),
        "sign_name": entry.name,
        "pattern_name": book.pattern_names[entry.pattern],
        "why": entry.why,
    }


def offer_message(sign: Sign, book: Catalogue) -> Dict[str, Any]:
    """The coaching step that fits the most important sign shown."""
    entry = book.signs[sign.label]
    subject = book.step_subject(sign.subject, sign.evidence)
    topic = entry.topic_for(subject)
    if entry.healthy:
        response = "utter_sign_offer_build"
    elif subject == "other":
        response = "utter_sign_offer_step_other"  # someone else's pattern, watched by the writer
    else:
        response = "utter_sign_offer_step"
    return {
        "response": response,
        "topic_name": book.topic_names[topic],
        "step_payload": step_payload(topic),
    }


def reply_messages(signs: List[Sign], book: Catalogue) -> List[Dict[str, Any]]:
    """Everything one reply says about these signs, in order."""
    if not signs:
        return [{"response": "utter_sign_none"}]
    ordered = most_important_first(signs, book)
    shown, rest = ordered[:SIGNS_PER_REPLY], ordered[SIGNS_PER_REPLY:]
    messages = [sign_message(sign, book) for sign in shown]
    messages.append(offer_message(shown[0], book))
    if rest:
        messages.append({"response": "utter_sign_more", "count": len(rest)})
    return messages


def sign_context(signs: List[Sign], book: Catalogue) -> Context:
    """What a follow-up refers to after these signs were shown: the first sign and its step, and
    whether a typed yes means "the other signs" (asked last) or "that step"."""
    ordered = most_important_first(signs, book)
    first = book.signs[ordered[0].label]
    return Context(
        SIGN,
        pattern=first.pattern,
        sign_name=first.name,
        topic=book.step_topic(ordered[0].label, ordered[0].subject, ordered[0].evidence),
        offer=OFFER_MORE_SIGNS if len(ordered) > SIGNS_PER_REPLY else OFFER_COACH,
    )


def situation_messages(
    told: List[str], signs: List[Sign], book: Catalogue, wished: bool, changed: bool = False
) -> List[Dict[str, Any]]:
    """The reply to a situation told over `told` messages: said back once there is more than one,
    then its signs; without signs, the step of saying what the person `wished` for, a first message
    that tells a pattern as over (`changed`) noticed as a change, or another open question until the
    last one sums up."""
    heard = [{"response": "utter_situation_summary", "summary": plain_quote_long(summary(told))}]
    if signs:
        return (heard if len(told) > 1 else []) + reply_messages(signs, book)
    if wished:
        return (heard if len(told) > 1 else []) + [wish_message(book)]
    if len(told) == 1:
        return [{"response": "utter_sign_none_changed" if changed else "utter_sign_none"}]
    if len(told) < MAX_MESSAGES:
        return [{"response": "utter_situation_go_on"}]
    return heard + [{"response": "utter_situation_no_pattern"}]


def ends_with_a_wish(told: List[str]) -> bool:
    """The latest of several messages says what the person would like between them, or a first
    message means to say something to the partner ("i want to talk to him about money"); a first
    message's other wishes ("I need to talk about my husband") are an opening, met with a question."""
    return states_a_wish(told[-1]) if len(told) > 1 else means_to_say_it(told[0])


def wish_message(book: Catalogue) -> Dict[str, Any]:
    return {
        "response": "utter_situation_wish",
        "topic_name": book.topic_names[WISH_TOPIC],
        "step_payload": step_payload(WISH_TOPIC),
    }


def wish_context(book: Catalogue) -> Context:
    """After a wish was heard, "how do I start?" or a yes means the step of saying it."""
    return Context(
        SIGN, pattern="interdependence", sign_name=book.topic_names[WISH_TOPIC], topic=WISH_TOPIC, offer=OFFER_COACH
    )


def plain_quote_long(text: str) -> str:
    """Like plain_quote, for a summary of several messages (room for a clause of each)."""
    return " ".join(CONTROL_CHARS.sub(" ", text).split()).translate(MARKUP_LOOKALIKES)


def analyse_told(
    dispatcher: CollectingDispatcher, tracker: Tracker, message: str
) -> List[EventType]:
    """Read `message` with what the person told of this situation before, and answer it."""
    book = catalogue()
    earlier = recall(tracker)
    told = told_so_far(earlier.told if earlier and earlier.kind == SITUATION else [], message)
    reading = read_signs(read_together(told))
    signs = reading.signs
    wished = ends_with_a_wish(told)
    changed = not signs and reading.told_as_over
    for reply in situation_messages(told, signs, book, wished, changed):
        dispatcher.utter_message(**reply)
    rest = most_important_first(signs, book)[SIGNS_PER_REPLY:]
    events: List[EventType] = [
        SlotSet(ASKED_SLOT, False),
        SlotSet(TEXT_SLOT, None),
        SlotSet(PENDING_SLOT, [sign.to_dict() for sign in rest] or None),
    ]
    if signs:
        return events + remember(tracker, sign_context(signs, book))
    if wished:
        return events + remember(tracker, wish_context(book))
    if len(told) < MAX_MESSAGES:
        return events + remember(tracker, Context(SITUATION, told=told))
    return events + forget()


def sign_from_dict(data: Dict[str, Any]) -> Optional[Sign]:
    try:
        fields = {field: data[field] for field in ("label", "pattern", "subject", "evidence", "start", "end")}
        extra = {field: data[field] for field in ("source", "score") if field in data}
        return Sign(**fields, **extra)
    except (KeyError, TypeError):
        return None


def show_pending(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    """Show the signs found earlier that the last reply had no room for."""
    book = catalogue()
    stored = tracker.get_slot(PENDING_SLOT) or []
    signs = [sign for sign in map(sign_from_dict, stored) if sign and sign.label in book.signs]
    if not signs:
        dispatcher.utter_message(response="utter_sign_none_pending")
        return [SlotSet(ASKED_SLOT, False), SlotSet(PENDING_SLOT, None)]
    for message in reply_messages(signs, book):
        dispatcher.utter_message(**message)
    rest = most_important_first(signs, book)[SIGNS_PER_REPLY:]
    return [
        SlotSet(ASKED_SLOT, False),
        SlotSet(PENDING_SLOT, [sign.to_dict() for sign in rest] or None),
        *remember(tracker, sign_context(signs, book)),
    ]


class ActionAnalyseSituation(Action):
    """Answer a described situation with the signs in it, or ask for a description."""

    def name(self) -> Text:
        return "action_analyse_situation"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent == MORE_INTENT:
            return show_pending(dispatcher, tracker)
        text = tracker.latest_message.get("text") or ""
        if is_payload(text) or not text.strip():
            # Only the button: situation_form asks for the description (see data/rules/signs.yml).
            return [SlotSet(ASKED_SLOT, True)]
        return analyse_told(dispatcher, tracker, text)
