"""The crisis reply: real numbers from the helplines file, honest wording, and the safety question."""

from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.safety.crisis_support import (
    DEFAULT_HELPLINES_FILE,
    HELPLINES_ENV,
    ActionLoadHelplines,
)

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = Domain.load(str(ROOT / "domain" / "safety.yml"))


def shipped_contacts() -> list[str]:
    data = yaml.safe_load(DEFAULT_HELPLINES_FILE.read_text(encoding="utf-8"))
    return [entry["contact"] for entry in data["helplines"]]


async def run_load_helplines() -> tuple[list[dict[str, Any]], CollectingDispatcher]:
    dispatcher = CollectingDispatcher()
    tracker = Tracker("someone", {}, {}, [], False, None, {}, "action_listen")
    events = await ActionLoadHelplines().run(dispatcher, tracker, {})
    return events, dispatcher


async def render(response: str, events: list[dict[str, Any]]) -> dict[str, Any]:
    """The reply a person would see after the rule ran action_load_helplines."""
    slot_events = [SlotSet(event["name"], event["value"]) for event in events]
    tracker = DialogueStateTracker.from_events("someone", slot_events, slots=DOMAIN.slots)
    generator = TemplatedNaturalLanguageGenerator(DOMAIN.responses)
    return await generator.generate(response, tracker, "rest")


async def test_crisis_reply_gives_the_numbers_from_the_helplines_file() -> None:
    events, dispatcher = await run_load_helplines()
    assert dispatcher.messages == []  # the response itself follows in the rule
    reply = await render("utter_crisis_support", events)
    for number in ("112", "911", "999", "988", "116 123", "findahelpline.com"):
        assert number in reply["text"]
    for contact in shipped_contacts():
        assert contact in reply["text"]


async def test_crisis_reply_is_honest_and_asks_if_the_person_is_safe() -> None:
    events, _ = await run_load_helplines()
    reply = await render("utter_crisis_support", events)
    assert reply["text"].startswith("What you've told me sounds serious, and you deserve help right now")
    assert "not a crisis service" in reply["text"]
    assert reply["text"].rstrip().endswith("Are you safe right now?")
    assert [(b["title"], b["payload"]) for b in reply["buttons"]] == [
        ("Yes", "/affirm"),
        ("No", "/deny"),
    ]


async def test_not_safe_reply_urges_the_emergency_number_now() -> None:
    events, _ = await run_load_helplines()
    reply = await render("utter_crisis_not_safe", events)
    assert reply["text"].startswith("Please call your local emergency number (112")
    assert "988" in reply["text"]


async def test_safe_now_reply_leaves_the_choice_to_continue_with_the_person() -> None:
    replies = DOMAIN.responses["utter_crisis_safe_now"]
    assert len(replies) >= 2
    for reply in replies:
        assert "trust" in reply["text"]
        assert "if you want to" in reply["text"] or "only if and when you want to" in reply["text"]
        assert "buttons" not in reply


async def test_a_deployment_uses_its_own_helplines_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    own = tmp_path / "helplines.yml"
    own.write_text(
        "emergency: '000'\n"
        "helplines:\n"
        "  - {name: Lifeline Australia, contact: call 13 11 14}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv(HELPLINES_ENV, str(own))
    events, _ = await run_load_helplines()
    reply = await render("utter_crisis_support", events)
    assert "call 000" in reply["text"]
    assert "• Lifeline Australia: call 13 11 14" in reply["text"]
    assert "116 123" not in reply["text"]


@pytest.mark.parametrize("content", [None, "emergency: ''\n", "helplines: [unclosed\n"])
async def test_a_missing_or_broken_file_falls_back_to_the_shipped_numbers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str | None
) -> None:
    configured = tmp_path / "helplines.yml"
    if content is not None:
        configured.write_text(content, encoding="utf-8")
    monkeypatch.setenv(HELPLINES_ENV, str(configured))
    events, _ = await run_load_helplines()
    reply = await render("utter_crisis_support", events)
    assert "116 123" in reply["text"]


async def test_without_the_action_server_the_reply_still_points_to_emergency_help() -> None:
    reply = await render("utter_crisis_support", [])
    assert "call your local emergency number" in reply["text"]
    assert "None" not in reply["text"]
