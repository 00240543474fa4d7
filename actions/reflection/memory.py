"""The record of a finished check-in that is kept for next time, and reading it back.

The record is plain JSON (it lives in the `reflection_last_result` slot, stored by the tracker
store and carried over to new sessions). It keeps strains rather than raw answers so a later
check-in can be compared even if the wording of a question changes.
"""

from datetime import date
from typing import Any, Dict, List, Optional

from actions.reflection.catalogue import Catalogue
from actions.reflection.scoring import Change, Result, compare

RECORD_VERSION = 1


def result_record(
    result: Result, answers: Dict[str, Dict[str, Any]], on: date
) -> Dict[str, Any]:
    """What is kept of one check-in: when, the lean, strains, and the words worth quoting."""
    return {
        "version": RECORD_VERSION,
        "date": on.isoformat(),
        "lean": result.lean,
        "strains": dict(result.strains),
        "said": {theme: stored.get("said") for theme, stored in answers.items()},
        "weakest": list(result.weakest),
        "strengths": list(result.strengths),
    }


def result_from_record(record: Dict[str, Any]) -> Result:
    """A stored record as a Result, so summaries of the past use the same code as today's."""
    return Result(
        strains={theme: float(value) for theme, value in record.get("strains", {}).items()},
        indices={},
        lean=record.get("lean"),
        weakest=list(record.get("weakest", [])),
        strengths=list(record.get("strengths", [])),
    )


def changes_since(
    previous: Optional[Dict[str, Any]], current: Result, catalogue: Catalogue
) -> Optional[List[Change]]:
    """Themes that moved since the previous check-in; None when there is nothing to compare with."""
    if not previous or not previous.get("strains"):
        return None
    return compare(result_from_record(previous).strains, current.strains, catalogue.questions)


def display_date(record: Dict[str, Any]) -> str:
    """The record's date for people ("22 November 2026"); the raw value if it is not a date."""
    raw = str(record.get("date", ""))
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        return raw
    return f"{day.day} {day:%B %Y}"
