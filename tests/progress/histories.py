"""Check-in histories for the progress tests: real scoring of made-up answers, one per date."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from actions.progress.history import CheckIn, check_ins, with_check_in
from actions.reflection.catalogue import Catalogue, load_catalogue
from actions.reflection.memory import result_record
from actions.reflection.scoring import score

FIRST_DAY = date(2026, 11, 3)


def answers_for(catalogue: Catalogue, saying_no: int, default: int = 3) -> dict[str, int]:
    """Everything "Sometimes" except how often the person says no (1 Never … 5 Always)."""
    return {q.theme: (saying_no if q.theme == "saying_no" else default) for q in catalogue.questions}


def records(count: int, days_apart: int = 3) -> list[dict[str, Any]]:
    """`count` check-ins in which saying no gets easier: Never at first, Always at the end."""
    catalogue, history = load_catalogue(), []
    for number in range(count):
        saying_no = 1 + round(4 * number / (count - 1)) if count > 1 else 1
        result = score(answers_for(catalogue, saying_no), catalogue.questions)
        day = FIRST_DAY + timedelta(days=days_apart * number)
        history = with_check_in(history, result_record(result, {}, day))
    return history


def history(count: int) -> list[CheckIn]:
    return check_ins(records(count), list(load_catalogue().questions))
