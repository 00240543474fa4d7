"""`action_analyse_situation`: reflects back the signs in what the person wrote.

It quotes their words as plain text, names at most two signs (most important first) as *signs* of
a pattern, says why each matters and offers the matching coaching step; the rest are kept for a
"show me" button. All wording is in domain/signs.yml and actions/signs/catalogue.yml.
"""

import json
import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.signs.catalogue import Catalogue, catalogue
from actions.signs.detector import Sign, detect_signs

SIGNS_PER_REPLY = 2
MAX_QUOTE_CHARS = 160
PENDING_SLOT = "pending_signs"
TEXT_SLOT = "situation_text"
ASKED_SLOT = "situation_pending"
MORE_INTENT = "more_signs"

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
    topic = entry.topic_for(sign.subject)
    return {
        "response": "utter_sign_offer_build" if entry.healthy else "utter_sign_offer_step",
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


def sign_from_dict(data: Dict[str, Any]) -> Optional[Sign]:
    try:
        return Sign(**{field: data[field] for field in ("label", "pattern", "subject", "evidence", "start", "end")})
    except (KeyError, TypeError):
        return None


class ActionAnalyseSituation(Action):
    """Answer a described situation with the signs in it, or ask for a description."""

    def name(self) -> Text:
        return "action_analyse_situation"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        book = catalogue()
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent == MORE_INTENT:
            return self._show_pending(dispatcher, tracker, book)
        text = tracker.latest_message.get("text") or ""
        if is_payload(text) or not text.strip():
            # Only the button: situation_form asks for the description (see data/rules/signs.yml).
            return [SlotSet(ASKED_SLOT, True)]
        signs = detect_signs(text)
        return self._send(dispatcher, signs, book)

    def _show_pending(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, book: Catalogue
    ) -> List[EventType]:
        stored = tracker.get_slot(PENDING_SLOT) or []
        signs = [sign for sign in map(sign_from_dict, stored) if sign and sign.label in book.signs]
        if not signs:
            dispatcher.utter_message(response="utter_sign_none_pending")
            return [SlotSet(ASKED_SLOT, False), SlotSet(PENDING_SLOT, None)]
        return self._send(dispatcher, signs, book)

    @staticmethod
    def _send(dispatcher: CollectingDispatcher, signs: List[Sign], book: Catalogue) -> List[EventType]:
        for message in reply_messages(signs, book):
            dispatcher.utter_message(**message)
        rest = most_important_first(signs, book)[SIGNS_PER_REPLY:]
        return [
            SlotSet(ASKED_SLOT, False),
            SlotSet(TEXT_SLOT, None),
            SlotSet(PENDING_SLOT, [sign.to_dict() for sign in rest] or None),
        ]
