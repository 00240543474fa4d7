"""The server's own words for limits and faults, kept as data in texts.yml."""

from __future__ import annotations

import functools
import random
from pathlib import Path

import yaml

TEXTS_FILE = Path(__file__).with_name("texts.yml")


@functools.lru_cache(maxsize=1)
def _texts() -> dict[str, list[str]]:
    return yaml.safe_load(TEXTS_FILE.read_text(encoding="utf-8"))


def say(kind: str, **values: object) -> str:
    """One wording of `kind` (a key of texts.yml) with its {placeholders} filled in."""
    return random.choice(_texts()[kind]).format(**values)
