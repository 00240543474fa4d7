"""What the reflection keeps in slots, and how to read it back from a tracker.

Each question's slot holds {"value": 1–5 or None when skipped, "said": what to quote back}.
`reflection_last_result` holds the last finished check-in (see `memory.py`); like every slot it
is carried over to new sessions, so the next check-in can compare with it.
"""

from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from actions.reflection.answers import Answer
from actions.reflection.catalogue import Catalogue

FORM_NAME = "reflection_form"
LAST_RESULT_SLOT = "reflection_last_result"


def answer_slot_value(answer: Answer) -> Dict[str, Any]:
    return {"value": answer.value, "said": answer.said}


def stored_answers(tracker: Tracker, catalogue: Catalogue) -> Dict[str, Dict[str, Any]]:
    """The answers given so far in this check-in, by theme (skipped ones included)."""
    answers = {}
    for question in catalogue.questions:
        stored = tracker.get_slot(question.slot)
        if isinstance(stored, dict) and "said" in stored:
            answers[question.theme] = stored
    return answers


def answer_values(answers: Dict[str, Dict[str, Any]]) -> Dict[str, Optional[int]]:
    return {theme: stored.get("value") for theme, stored in answers.items()}


def next_unanswered(tracker: Tracker, catalogue: Catalogue) -> Optional[int]:
    """1-based number of the first question without an answer, None when all are answered."""
    for position, question in enumerate(catalogue.questions, start=1):
        if tracker.get_slot(question.slot) is None:
            return position
    return None


def clear_answers(catalogue: Catalogue) -> List[EventType]:
    """Events that empty every question slot, so a new check-in starts from question 1."""
    return [SlotSet(question.slot, None) for question in catalogue.questions]


def last_result(tracker: Tracker) -> Optional[Dict[str, Any]]:
    stored = tracker.get_slot(LAST_RESULT_SLOT)
    return stored if isinstance(stored, dict) and stored.get("strains") is not None else None
