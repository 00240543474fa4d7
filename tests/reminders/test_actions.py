"""Asking for a reminder, giving the time zone, listing and cancelling: what the person is told."""

import asyncio
from pathlib import Path
from typing import Any, Optional

import pytest
import yaml
import sqlalchemy as sa
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.reminders import actions
from actions.reminders.actions import (
    ActionCancelReminders,
    ActionListReminders,
    ActionScheduleReminder,
    ActionSetTimezone,
)
from reminding import clock
from reminding.store import ReminderStore

# Wednesday 3 June 2026, 10:00 UTC (12:00 in Berlin).
NOW = 1_780_480_800.0


@pytest.fixture(autouse=True)
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ReminderStore:
    reminder_store = ReminderStore(sa.create_engine(f"sqlite:///{tmp_path / 'tracker.db'}"))
    monkeypatch.setattr(actions, "store", lambda: reminder_store)
    monkeypatch.setattr(clock, "now_ts", lambda: NOW)
    return reminder_store


def tracker(text: str, intent: str, slots: Optional[dict[str, Any]] = None, entities: Optional[list] = None,
            events: Optional[list] = None) -> Tracker:
    return Tracker(
        sender_id="sam",
        slots=slots or {},
        latest_message={"text": text, "intent": {"name": intent}, "entities": entities or []},
        events=events or [{"event": "user", "text": text, "input_channel": "rest"}],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def run(action: Any, tracker_: Tracker) -> tuple[list[dict[str, Any]], list[Any]]:
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, tracker_, {})
    return dispatcher.messages, events


def said(messages: list[dict[str, Any]]) -> list[str]:
    return [message["response"] for message in messages]


BERLIN = {"reminder_timezone": "Europe/Berlin", "reminder_pending": ""}


def test_the_first_request_asks_for_the_time_zone_and_sets_the_reminder_once_told(store: ReminderStore) -> None:
    messages, events = run(ActionScheduleReminder(), tracker("remind me tomorrow at 8", "ask_reminder"))
    assert said(messages) == ["utter_ask_reminder_timezone"] and store.pending("sam") == []
    pending = next(event["value"] for event in events if event["name"] == "reminder_pending")
    messages, events = run(ActionSetTimezone(), tracker("I'm in Berlin", "give_timezone", {"reminder_pending": pending}))
    assert said(messages) == ["utter_timezone_set", "utter_reminder_set", "utter_reminder_how_to_stop"]
    assert messages[0]["zone"] == "Europe/Berlin"
    assert messages[1]["when"] == "tomorrow at 08:00" and messages[1]["zone"] == "Europe/Berlin"
    assert SlotSet("reminder_timezone", "Europe/Berlin") in events
    [reminder] = store.pending("sam")
    assert reminder.zone == "Europe/Berlin" and reminder.channel == "rest"


def test_asked_once_and_not_told_uses_utc_and_says_so(store: ReminderStore) -> None:
    messages, _ = run(ActionScheduleReminder(), tracker("remind me in 3 days", "ask_reminder", {"reminder_pending": "checkin|next week"}))
    assert said(messages)[0] == "utter_reminder_default_zone"
    assert messages[1]["zone"] == "UTC" and store.pending("sam")[0].zone == "UTC"


def test_the_confirmation_repeats_the_time_in_words_and_the_zone(store: ReminderStore) -> None:
    messages, _ = run(ActionScheduleReminder(), tracker("remind me every Sunday evening", "ask_reminder", BERLIN))
    assert messages[0]["response"] == "utter_reminder_set_repeating"
    assert (messages[0]["repeat"], messages[0]["when"], messages[0]["zone"]) == ("every Sunday", "on Sunday 7 June at 19:00", "Europe/Berlin")


def test_a_button_sends_the_time_as_an_entity(store: ReminderStore) -> None:
    entities = [{"entity": "reminder_time", "value": "in 3 days"}]
    messages, _ = run(ActionScheduleReminder(), tracker('/ask_reminder{"reminder_time": "in 3 days"}', "ask_reminder", BERLIN, entities))
    assert messages[0]["when"] == "on Saturday 6 June at 12:00"


def test_a_past_time_is_refused_kindly(store: ReminderStore) -> None:
    messages, _ = run(ActionScheduleReminder(), tracker("remind me today at 8", "ask_reminder", BERLIN))
    assert said(messages) == ["utter_reminder_in_past"] and store.pending("sam") == []


def test_the_sixth_reminder_is_refused(store: ReminderStore) -> None:
    for _ in range(5):
        run(ActionScheduleReminder(), tracker("remind me in 3 days", "ask_reminder", BERLIN))
    messages, _ = run(ActionScheduleReminder(), tracker("remind me in 4 days", "ask_reminder", BERLIN))
    assert said(messages) == ["utter_reminder_limit"] and len(store.pending("sam")) == 5


def test_list_and_cancel(store: ReminderStore) -> None:
    run(ActionScheduleReminder(), tracker("remind me to try this tomorrow at 9", "ask_reminder", BERLIN))
    messages, _ = run(ActionListReminders(), tracker("what reminders do I have", "list_reminders", BERLIN))
    assert messages[0]["items"] == "• tomorrow at 09:00: to try this week's exercise"
    messages, _ = run(ActionCancelReminders(), tracker("stop reminding me", "cancel_reminders", BERLIN))
    assert said(messages) == ["utter_reminders_cancelled"] and messages[0]["count"] == 1
    messages, _ = run(ActionListReminders(), tracker("what reminders do I have", "list_reminders", BERLIN))
    assert said(messages) == ["utter_reminders_none"]


def test_a_reminder_is_offered_only_after_a_coaching_exercise_and_in_the_reminder_itself() -> None:
    repo = Path(__file__).resolve().parents[2]
    offering = set()
    for path in (repo / "domain").glob("*.yml"):
        for name, variations in ((yaml.safe_load(path.read_text()) or {}).get("responses") or {}).items():
            if any("/ask_reminder" in b.get("payload", "") for v in variations for b in v.get("buttons") or []):
                offering.add(name)
    assert offering == {"utter_coach_followup", "utter_reminder_due_checkin", "utter_reminder_due_exercise"}
