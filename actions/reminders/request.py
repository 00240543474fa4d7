"""What a request for a reminder asks for: the time in words, and whether it is about the exercise."""

from __future__ import annotations

from typing import Optional, Text

from rasa_sdk import Tracker

from actions.context import COACHING, recall
from reminding.timeparse import phrases

TIME_ENTITY = "reminder_time"
CHECKIN, EXERCISE = "checkin", "exercise"


def time_words(tracker: Tracker) -> Text:
    """The time entity when there is one (buttons send it), else the typed words themselves."""
    value: Optional[Text] = next(tracker.get_latest_entity_values(TIME_ENTITY), None)
    if value:
        return value
    text = tracker.latest_message.get("text") or ""
    return "" if text.startswith("/") else text


def reminder_kind(tracker: Tracker) -> Text:
    """"exercise" when the words or the conversation are about a coaching step, else "checkin"."""
    text = (tracker.latest_message.get("text") or "").lower()
    words = set(text.replace("-", " ").split())
    if words & set(phrases()["exercise_words"]):
        return EXERCISE
    context = recall(tracker)
    return EXERCISE if context is not None and context.kind == COACHING else CHECKIN


def what_words(kind: Text) -> Text:
    return phrases()["what"][kind]
