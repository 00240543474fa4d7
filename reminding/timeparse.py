"""When a reminder should come, from the words a person used ("every Sunday evening").

dateparser does the reading (relative phrases, weekdays, clock times); reminding/phrases.yml turns
the everyday words it does not know ("evening", "a fortnight") into words it does. Times are read
as wall-clock times in the person's zone and only then given that zone, so "in 3 days" across a
daylight-saving change keeps its hour (dateparser itself would keep the old UTC offset).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional, Union
from zoneinfo import ZoneInfo

import yaml
from dateparser.date import DateDataParser
from dateparser.search import search_dates

PHRASES_FILE = Path(__file__).with_name("phrases.yml")
WEEKDAYS = tuple(name.lower() for name in calendar.day_name)
QUIET_START_HOUR, QUIET_END_HOUR = 22, 8
LONGEST_AHEAD = timedelta(days=366)
REPEAT_DAYS = {"daily": 1, "weekly": 7}


@dataclass(frozen=True)
class When:
    """A reminder's first time (aware, in the person's zone) and how it repeats."""

    due: datetime
    repeat: Optional[str] = None  # "daily" | "weekly"
    explicit: bool = False  # the person named the clock time, so quiet hours do not apply
    moved_out_of_night: bool = False
    defaulted: bool = False  # no time was said; the default delay was used


@dataclass(frozen=True)
class Refusal:
    """Why no reminder can be set for these words: "unclear", "past" or "too_far"."""

    reason: str


@lru_cache(maxsize=1)
def phrases() -> dict[str, Any]:
    return yaml.safe_load(PHRASES_FILE.read_text(encoding="utf-8"))


def _words(text: str) -> list[str]:
    return [word.strip(",.!?;\"'()") for word in text.lower().split() if word.strip(",.!?;\"'()")]


def _replace_phrases(words: list[str]) -> list[str]:
    """Swap known word sequences for dateparser's words, longest sequence first."""
    table = {tuple(key.split()): value for key, value in phrases()["replace"].items()}
    longest = max(len(key) for key in table)
    out, i = [], 0
    while i < len(words):
        for size in range(longest, 0, -1):
            key = tuple(words[i:i + size])
            if len(key) == size and key in table:
                out.extend(table[key].split())
                i += size
                break
        else:
            out.append(words[i])
            i += 1
    return out


def normalise(text: str) -> tuple[str, Optional[str]]:
    """The words dateparser should read, and "daily"/"weekly" when the person asked for a repeat."""
    words, table = _words(text), phrases()
    repeat, kept, i = None, [], 0
    while i < len(words):
        word, following = words[i], words[i + 1] if i + 1 < len(words) else ""
        if word in ("every", "each") and following in table["every"]:
            repeat = table["every"][following]["repeat"]
            kept.extend(table["every"][following]["keep"].split())
            i += 2
            continue
        if word in table["alone"]:
            repeat = table["alone"][word]
        elif word in ("every", "each") and following in WEEKDAYS:
            repeat = "weekly"
        elif not (word in ("next", "on") and following in WEEKDAYS):
            kept.append(word)
        i += 1
    out: list[str] = []
    for word in _replace_phrases(kept):
        out.append(f"{word}:00" if word.isdigit() and out[-1:] == ["at"] and int(word) <= 23 else word)
    return " ".join(out), repeat


def _settings(base: datetime) -> dict[str, Any]:
    return {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "future", "RETURN_TIME_AS_PERIOD": True}


def _read(phrase: str, base: datetime) -> tuple[Optional[datetime], Optional[str]]:
    """dateparser's reading of the time words in `phrase`, relative to the naive local `base`."""
    found = search_dates(phrase, languages=["en"], settings=_settings(base)) if phrase else None
    if not found:
        return None, None
    span = max((text for text, _ in found), key=len)
    data = DateDataParser(languages=["en"], settings=_settings(base)).get_date_data(span)
    return data.date_obj, data.period


def _out_of_night(local: datetime) -> datetime:
    """The next 08:00 when a time falls between 22:00 and 08:00, else the time itself."""
    if local.hour >= QUIET_START_HOUR:
        local = local + timedelta(days=1)
    if local.hour >= QUIET_START_HOUR or local.hour < QUIET_END_HOUR:
        return local.replace(hour=QUIET_END_HOUR, minute=0, second=0, microsecond=0)
    return local


def parse_when(text: str, zone: str, now: datetime) -> Union[When, Refusal]:
    """When to remind for these words, said at `now` by someone in `zone`; or why not."""
    tz = ZoneInfo(zone)
    base = now.astimezone(tz).replace(tzinfo=None, second=0, microsecond=0)
    phrase, repeat = normalise(text)
    read, period = _read(phrase, base)
    defaulted = read is None
    if read is None:
        if phrase and not repeat and any(word.isdigit() for word in phrase.replace(":", " ").split()):
            return Refusal("unclear")
        read, period = base + timedelta(days=repeat and REPEAT_DAYS[repeat] or phrases()["default_delay_days"]), "day"
    if period != "time" and read.time() == datetime.min.time():
        read = read.replace(hour=base.hour, minute=base.minute)  # a day was named, not a time
    explicit = period == "time" and _read(phrase, base + timedelta(minutes=1))[0] == read
    local = read if explicit else _out_of_night(read)
    due = local.replace(tzinfo=tz)
    if due <= now:
        return Refusal("past")
    if due - now > LONGEST_AHEAD:
        return Refusal("too_far")
    return When(due, repeat, explicit, moved_out_of_night=local != read, defaulted=defaulted and not repeat)


def next_time(due: datetime, repeat: str, zone: str) -> datetime:
    """The next time a repeating reminder comes: same wall-clock time, whatever the UTC offset."""
    tz = ZoneInfo(zone)
    local = due.astimezone(tz).replace(tzinfo=None)
    return (local + timedelta(days=REPEAT_DAYS[repeat])).replace(tzinfo=tz)


def in_words(due: datetime, zone: str, now: datetime) -> str:
    """"today at 19:00", "tomorrow at 08:00" or "on Sunday 29 March at 19:00", in the person's zone."""
    tz = ZoneInfo(zone)
    local, today = due.astimezone(tz), now.astimezone(tz).date()
    clock = local.strftime("%H:%M")
    if local.date() == today:
        return f"today at {clock}"
    if local.date() == today + timedelta(days=1):
        return f"tomorrow at {clock}"
    return f"on {local.strftime('%A')} {local.day} {local.strftime('%B')} at {clock}"


def repeat_in_words(repeat: str, due: datetime, zone: str) -> str:
    """"every day" or "every Sunday", for the confirmation."""
    weekday = due.astimezone(ZoneInfo(zone)).strftime("%A")
    return phrases()["repeat_words"][repeat].format(weekday=weekday)
