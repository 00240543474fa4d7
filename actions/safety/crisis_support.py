"""Crisis support: the deployment's emergency number and helplines, for the crisis responses.

Why an action: emergency numbers differ per country, so they live in one data file (helplines.yml,
or the copy that HELPLINES_FILE names), never in the domain. `action_load_helplines` reads it and
sets the slots `crisis_emergency` and `crisis_helplines`, which `utter_crisis_support` and
`utter_crisis_not_safe` (domain/safety.yml) fill in; the rules run it right before them.
Another action that notices danger (sign analysis, reflection) can send the same reply with
``dispatcher.utter_message(response="utter_crisis_support", **crisis_response_variables())``.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

logger = logging.getLogger(__name__)

HELPLINES_ENV = "HELPLINES_FILE"
DEFAULT_HELPLINES_FILE = Path(__file__).with_name("helplines.yml")
# Last resort if even the shipped file cannot be read: a crisis reply must never fail.
EMERGENCY_FALLBACK = "your local emergency number"
EMERGENCY_SLOT = "crisis_emergency"
HELPLINES_SLOT = "crisis_helplines"


def helplines_file() -> Path:
    """The deployment's helplines file if HELPLINES_FILE is set, else the shipped defaults."""
    configured = os.environ.get(HELPLINES_ENV, "").strip()
    return Path(configured) if configured else DEFAULT_HELPLINES_FILE


def _read(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    if not isinstance(data, dict) or not str(data.get("emergency", "")).strip():
        raise ValueError(f"{path} has no 'emergency' entry")
    if not isinstance(data.get("helplines", []), list):
        raise ValueError(f"{path}: 'helplines' must be a list")
    return data


def load_helplines() -> dict[str, Any]:
    """Read the helplines on every call, so an edited file applies to the next crisis reply."""
    for path in dict.fromkeys([helplines_file(), DEFAULT_HELPLINES_FILE]):
        try:
            return _read(path)
        except (OSError, ValueError, yaml.YAMLError):
            logger.exception("Cannot use helplines file %s", path)
    return {"emergency": EMERGENCY_FALLBACK, "helplines": []}


def _helpline_line(entry: dict[str, Any]) -> str:
    line = f"• {entry['name']}: {entry['contact']}"
    return f"{line} ({entry['for']})" if entry.get("for") else line


def crisis_response_variables() -> dict[str, str]:
    """The values of the crisis responses' {crisis_emergency} and {crisis_helplines}."""
    data = load_helplines()
    lines = [
        _helpline_line(entry)
        for entry in data.get("helplines", [])
        if isinstance(entry, dict) and entry.get("name") and entry.get("contact")
    ]
    return {
        EMERGENCY_SLOT: str(data["emergency"]).strip(),
        HELPLINES_SLOT: "\n".join(lines),
    }


class ActionLoadHelplines(Action):
    """Fills the crisis responses' slots from the helplines file; it sends no message itself."""

    def name(self) -> str:
        return "action_load_helplines"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        return [SlotSet(slot, value) for slot, value in crisis_response_variables().items()]
