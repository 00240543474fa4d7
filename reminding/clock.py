"""The time reminders are measured against, which tests can move forward without sleeping.

`COACH_CLOCK_FILE` names a file holding seconds to add to the real time; both servers read it at
every call, so a test writes a new offset and a week passes at once. Unset, this is the real time.
"""

from __future__ import annotations

import os
import time
from datetime import datetime, timezone
from pathlib import Path

CLOCK_FILE_ENV = "COACH_CLOCK_FILE"


def offset_seconds() -> float:
    """Seconds the test clock is ahead of the real one (0 without a clock file)."""
    path = os.environ.get(CLOCK_FILE_ENV)
    if not path:
        return 0.0
    try:
        return float(Path(path).read_text().strip() or 0)
    except (OSError, ValueError):
        return 0.0


def now_ts() -> float:
    """Seconds since the epoch, on the reminders' clock."""
    return time.time() + offset_seconds()


def now() -> datetime:
    """The current time in UTC, on the reminders' clock."""
    return datetime.fromtimestamp(now_ts(), tz=timezone.utc)


def advance(path: Path, seconds: float) -> None:
    """Move a clock file's time forward (tests and scripts/reminder_latency.py)."""
    current = float(path.read_text().strip() or 0) if path.exists() else 0.0
    path.write_text(str(current + seconds))
