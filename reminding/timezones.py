"""A person's time zone from what they typed: a city ("I'm in Berlin"), a zone name or a UTC offset.

Cities come from the zone database's own names ("America/New_York" → "new york") plus
reminding/cities.yml for common places and names it lacks. UTC is the default the assistant says.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Optional
from zoneinfo import ZoneInfo, available_timezones

import yaml

DEFAULT_ZONE = "UTC"
CITIES_FILE = Path(__file__).with_name("cities.yml")
OFFSET_PREFIXES = ("utc", "gmt")
LONGEST_NAME_WORDS = 3
# The zone database has fixed zones for whole hours only; an offset with minutes is the zone of
# the places that keep it.
OFFSETS_WITH_MINUTES = {
    "-9:30": "Pacific/Marquesas", "-3:30": "America/St_Johns", "+3:30": "Asia/Tehran",
    "+4:30": "Asia/Kabul", "+5:30": "Asia/Kolkata", "+5:45": "Asia/Kathmandu", "+6:30": "Asia/Yangon",
    "+8:45": "Australia/Eucla", "+9:30": "Australia/Darwin", "+10:30": "Australia/Lord_Howe",
    "+12:45": "Pacific/Chatham",
}
# "UTC +5:30" is one offset, however it is spaced.
_SPACED_OFFSET = re.compile(r"\b(utc|gmt)\s+([+-])", re.IGNORECASE)


@lru_cache(maxsize=1)
def known_places() -> dict[str, str]:
    """Lower-case place or zone name → IANA zone."""
    places: dict[str, str] = {}
    for zone in sorted(available_timezones()):
        if "/" in zone and not zone.startswith(("Etc/", "SystemV/", "US/")):
            places.setdefault(zone.rsplit("/", 1)[1].replace("_", " ").lower(), zone)
        places[zone.lower()] = zone
    places.update(yaml.safe_load(CITIES_FILE.read_text(encoding="utf-8")))
    return places


def zone_for_offset(word: str) -> Optional[str]:
    """"utc+2", "gmt-5", "+03:00" → a fixed-offset zone ("Etc/GMT-2": POSIX signs are inverted);
    "utc+5:30" → the zone of the places on that offset."""
    word = word.lower()
    for prefix in OFFSET_PREFIXES:
        if word.startswith(prefix):
            word = word[len(prefix):]
            if not word:
                return DEFAULT_ZONE
    if word[:1] not in "+-" or not word[1:]:
        return None
    hours, _, minutes = word[1:].partition(":")
    if hours.isdigit() and minutes not in ("", "00"):
        return OFFSETS_WITH_MINUTES.get(f"{word[0]}{int(hours)}:{minutes}")
    if not hours.isdigit() or int(hours) > 14:
        return None
    if int(hours) == 0:
        return DEFAULT_ZONE
    return f"Etc/GMT{'-' if word[0] == '+' else '+'}{int(hours)}"


def resolve_zone(text: str) -> Optional[str]:
    """The IANA zone named in `text`, or None when it names none."""
    words = [word.strip(",.!?;\"'()") for word in _SPACED_OFFSET.sub(r"\1\2", text).split()]
    for word in words:
        zone = zone_for_offset(word)
        if zone:
            return zone
    lowered = [word.lower() for word in words]
    places = known_places()
    for size in range(LONGEST_NAME_WORDS, 0, -1):
        for start in range(len(lowered) - size + 1):
            zone = places.get(" ".join(lowered[start:start + size]))
            if zone:
                return zone
    return None


def is_known(zone: Optional[str]) -> bool:
    """Whether a remembered slot value is still a zone this machine knows."""
    try:
        return bool(zone) and ZoneInfo(zone) is not None
    except (ValueError, KeyError, OSError):
        return False


def zone_label(zone: str) -> str:
    """How a zone is said back: "Europe/Berlin", or "UTC+2" for a fixed offset."""
    if zone.startswith("Etc/GMT") and zone[7:]:
        sign = "+" if zone[7] == "-" else "-"
        return f"UTC{sign}{zone[8:]}"
    return zone
