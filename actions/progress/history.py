"""Every finished check-in of a conversation, oldest first, kept in the `reflection_history` slot.

Why a slot and not the tracker's events: Rasa hands actions only the current session's events, and
slots are carried over to new sessions, so the history survives a session ending. Each entry is the
record the check-in already keeps (actions/reflection/memory.py) without the quoted answers, which
only the latest result needs. Bounded: the oldest entries go first.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker

from actions.reflection.catalogue import PATTERNS, Question
from actions.reflection.scoring import pattern_index
from actions.reflection.state import last_result

HISTORY_SLOT = "reflection_history"
MAX_CHECK_INS = 60
KEPT_FIELDS = ("version", "date", "lean", "strains", "weakest", "strengths")


@dataclass(frozen=True)
class CheckIn:
    """One past check-in, as the chart and the summary show it."""

    day: date
    lean: Optional[str]
    strains: Dict[str, float]
    indices: Dict[str, Optional[float]]
    weakest: List[str]  # the themes its plan starts from, most important first


def with_check_in(history: List[Dict[str, Any]], record: Dict[str, Any]) -> List[Dict[str, Any]]:
    """The history with a new record at the end (the oldest dropped past MAX_CHECK_INS)."""
    entry = {name: record[name] for name in KEPT_FIELDS if name in record}
    return (history + [entry])[-MAX_CHECK_INS:]


def stored_history(tracker: Tracker) -> List[Dict[str, Any]]:
    """The kept records; a conversation from before the history existed starts from its last result."""
    stored = tracker.get_slot(HISTORY_SLOT)
    if isinstance(stored, list) and stored:
        return [entry for entry in stored if isinstance(entry, dict) and entry.get("strains") is not None]
    latest = last_result(tracker)
    return with_check_in([], latest) if latest else []


def check_ins(records: List[Dict[str, Any]], questions: List[Question]) -> List[CheckIn]:
    """Records as CheckIns, skipping any without a readable date."""
    result = []
    for record in records:
        try:
            day = date.fromisoformat(str(record.get("date")))
        except ValueError:
            continue
        strains = {theme: float(value) for theme, value in record["strains"].items()}
        indices = {pattern: pattern_index(strains, questions, pattern) for pattern in PATTERNS}
        result.append(CheckIn(day, record.get("lean"), strains, indices, list(record.get("weakest") or [])))
    return result
