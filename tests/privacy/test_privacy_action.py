"""action_delete_conversation marks a deletion only right after a yes to the confirmation question."""

from pathlib import Path
from typing import Any, Dict, List

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.safety.privacy import DELETION_SLOT, ActionDeleteConversation

REPO = Path(__file__).resolve().parents[2]
PRIVACY_DOMAIN = yaml.safe_load((REPO / "domain" / "privacy.yml").read_text())


def tracker_after(bot_action: str, intent: str) -> Tracker:
    """A conversation where the bot ran `bot_action` and the person then answered with `intent`."""
    events: List[Dict[str, Any]] = [
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "delete my data", "parse_data": {"intent": {"name": "delete_data"}}},
        {"event": "action", "name": bot_action},
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "yes", "parse_data": {"intent": {"name": intent}}},
    ]
    return Tracker(
        sender_id="someone",
        slots={DELETION_SLOT: False},
        latest_message={"text": "yes", "intent": {"name": intent}},
        events=events,
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


async def run(tracker: Tracker) -> tuple:
    dispatcher = CollectingDispatcher()
    events = await ActionDeleteConversation().run(dispatcher, tracker, {})
    return events, [message["response"] for message in dispatcher.messages]


async def test_a_yes_to_the_confirmation_marks_the_conversation_for_deletion() -> None:
    events, responses = await run(tracker_after("utter_ask_delete_data", "affirm"))
    assert events == [SlotSet(DELETION_SLOT, True)]
    assert responses == ["utter_data_deleted"]


@pytest.mark.parametrize(
    ("bot_action", "intent"),
    [("utter_ask_delete_data", "deny"), ("utter_offer_menu", "affirm"), ("utter_ask_delete_data", "greet")],
)
async def test_anything_else_deletes_nothing_and_asks_first(bot_action: str, intent: str) -> None:
    events, responses = await run(tracker_after(bot_action, intent))
    assert events == []
    assert responses == ["utter_ask_delete_data"]


def test_the_confirmation_offers_yes_and_no_buttons() -> None:
    for variation in PRIVACY_DOMAIN["responses"]["utter_ask_delete_data"]:
        assert [button["payload"] for button in variation["buttons"]] == ["/affirm", "/deny"]


def test_the_privacy_answer_covers_what_where_how_long_who_and_how_to_delete() -> None:
    responses = PRIVACY_DOMAIN["responses"]
    said = " ".join(
        variation["text"].lower()
        for name in ("utter_privacy_what_and_where", "utter_privacy_retention", "utter_privacy_access")
        for variation in responses[name]
    )
    for topic in ("conversation", "check-in", "database", "file", "30 days", "run", "read", "chart", "an hour"):
        assert topic in said, f"the privacy answer never mentions {topic!r}"
    assert "delete my data" in responses["utter_privacy_how_to_delete"][0]["text"]
