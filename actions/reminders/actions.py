"""`action_schedule_reminder`, `action_set_timezone`, `action_list_reminders`, `action_cancel_reminders`.

The reminders live in the tracker store's database (reminding/store.py); the Rasa server's
scheduler sends them. The time zone is asked once, the first time a reminder is asked for; a
request made meanwhile waits in a slot and is set as soon as the zone is known. Wording:
domain/reminders.yml.
"""

from __future__ import annotations

from datetime import datetime, timezone
from functools import lru_cache
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.reminders.request import reminder_kind, time_words, what_words
from reminding import clock
from reminding.store import ReminderStore, engine_from_env
from reminding.timeparse import Refusal, When, in_words, parse_when, repeat_in_words
from reminding.timezones import DEFAULT_ZONE, is_known, resolve_zone, zone_label

ZONE_SLOT = "reminder_timezone"
PENDING_SLOT = "reminder_pending"
REFUSALS = {"past": "utter_reminder_in_past", "unclear": "utter_reminder_not_understood", "too_far": "utter_reminder_too_far"}


@lru_cache(maxsize=1)
def store() -> ReminderStore:
    """The reminders table in the tracker store's database (TRACKER_DB_URL, else tracker.db)."""
    return ReminderStore(engine_from_env())


def schedule(dispatcher: CollectingDispatcher, tracker: Tracker, words: Text, zone: Text, kind: Text) -> None:
    """Parse the time, store the reminder and confirm it in words, or say kindly why not."""
    now = clock.now()
    when = parse_when(words, zone, now)
    if isinstance(when, Refusal):
        dispatcher.utter_message(response=REFUSALS[when.reason])
        return
    channel = tracker.get_latest_input_channel() or "rest"
    added = store().add(tracker.sender_id, channel, kind, zone, when.due.timestamp(), when.repeat, now.timestamp())
    if added is None:
        dispatcher.utter_message(response="utter_reminder_limit")
        return
    confirm(dispatcher, when, zone, kind, now)


def confirm(dispatcher: CollectingDispatcher, when: When, zone: Text, kind: Text, now: Any) -> None:
    """Say back when, in words and in the person's zone, and what was assumed."""
    said = dict(what=what_words(kind), when=in_words(when.due, zone, now), zone=zone_label(zone))
    if when.repeat:
        dispatcher.utter_message(response="utter_reminder_set_repeating", repeat=repeat_in_words(when.repeat, when.due, zone), **said)
    else:
        dispatcher.utter_message(response="utter_reminder_set", **said)
    if when.defaulted:
        dispatcher.utter_message(response="utter_reminder_default_time")
    if when.moved_out_of_night:
        dispatcher.utter_message(response="utter_reminder_moved_out_of_night", when=said["when"])
    dispatcher.utter_message(response="utter_reminder_how_to_stop")


def known_zone(tracker: Tracker) -> Optional[Text]:
    zone = tracker.get_slot(ZONE_SLOT)
    return zone if is_known(zone) else None


class ActionScheduleReminder(Action):
    """Set a reminder; the first time, ask for the time zone before setting it."""

    def name(self) -> Text:
        return "action_schedule_reminder"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        words, kind = time_words(tracker), reminder_kind(tracker)
        zone = known_zone(tracker)
        if zone is None and tracker.get_slot(PENDING_SLOT) is None:
            dispatcher.utter_message(response="utter_ask_reminder_timezone")
            return [SlotSet(PENDING_SLOT, f"{kind}|{words}")]
        if zone is None:
            # Asked once already and not told: the default, said out loud.
            dispatcher.utter_message(response="utter_reminder_default_zone")
        schedule(dispatcher, tracker, words, zone or DEFAULT_ZONE, kind)
        return [SlotSet(PENDING_SLOT, "")] if zone is None else []


class ActionSetTimezone(Action):
    """Remember the person's time zone (UTC when it cannot be placed) and set a waiting reminder."""

    def name(self) -> Text:
        return "action_set_timezone"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        text = tracker.latest_message.get("text") or ""
        zone = resolve_zone(text)
        if zone is None:
            dispatcher.utter_message(response="utter_timezone_unknown")
            zone = DEFAULT_ZONE
        else:
            dispatcher.utter_message(response="utter_timezone_set", zone=zone_label(zone))
        pending = tracker.get_slot(PENDING_SLOT) or ""
        if "|" in pending:
            kind, words = pending.split("|", 1)
            schedule(dispatcher, tracker, words, zone, kind)
        return [SlotSet(ZONE_SLOT, zone), SlotSet(PENDING_SLOT, "")]


class ActionListReminders(Action):
    """Say each reminder still to come, soonest first, in the person's zone."""

    def name(self) -> Text:
        return "action_list_reminders"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        pending = store().pending(tracker.sender_id)
        if not pending:
            dispatcher.utter_message(response="utter_reminders_none")
            return []
        zone, now = known_zone(tracker) or pending[0].zone, clock.now()
        lines = []
        for reminder in pending:
            due = datetime.fromtimestamp(reminder.due_at, tz=timezone.utc)
            repeat = f" ({repeat_in_words(reminder.repeat, due, zone)})" if reminder.repeat else ""
            lines.append(f"• {in_words(due, zone, now)}: {what_words(reminder.kind)}{repeat}")
        dispatcher.utter_message(response="utter_reminders_list", zone=zone_label(zone), items="\n".join(lines))
        return []


class ActionCancelReminders(Action):
    """Cancel all of the person's reminders ("stop reminding me", the Stop button)."""

    def name(self) -> Text:
        return "action_cancel_reminders"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        cancelled = store().cancel(tracker.sender_id)
        if cancelled:
            dispatcher.utter_message(response="utter_reminders_cancelled", count=cancelled)
        else:
            dispatcher.utter_message(response="utter_reminders_none")
        return []
