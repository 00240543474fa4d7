"""The scheduler: what reaches the person when a reminder comes due, and what happens on failures."""

import logging
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import sqlalchemy as sa
import yaml
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from channels.telegram_api import TelegramApiError
from reminding import clock
from reminding.scheduler import Scheduler
from reminding.store import ReminderStore

REPO = Path(__file__).resolve().parents[2]
RESPONSES = yaml.safe_load((REPO / "domain/reminders.yml").read_text())["responses"]
RESPONSES.update(yaml.safe_load((REPO / "domain/safety.yml").read_text())["responses"])
DAY = 24 * 3600


class FakeTelegram:
    def __init__(self) -> None:
        self.sent: list[tuple[str, list[dict[str, Any]]]] = []
        self.errors: list[TelegramApiError] = []

    async def send(self, chat_id: str, messages: list[dict[str, Any]]) -> None:
        if self.errors:
            raise self.errors.pop(0)
        self.sent.append((chat_id, messages))


class FakeTrackers:
    def __init__(self) -> None:
        self.trackers: dict[str, DialogueStateTracker] = {}

    async def retrieve(self, sender_id: str) -> Any:
        return self.trackers.get(sender_id)


class Collecting:
    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []

    async def send_text_with_buttons(self, recipient: str, text: str, buttons: list, **_: Any) -> None:
        self.messages.append({"text": text, "buttons": buttons})

    async def send_text_message(self, recipient: str, text: str, **_: Any) -> None:
        self.messages.append({"text": text, "buttons": []})


@pytest.fixture
def clock_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "clock"
    path.write_text("0")
    monkeypatch.setenv(clock.CLOCK_FILE_ENV, str(path))
    return path


@pytest.fixture
def store(tmp_path: Path) -> ReminderStore:
    return ReminderStore(sa.create_engine(f"sqlite:///{tmp_path / 'tracker.db'}"))


def scheduler(store: ReminderStore, telegram: FakeTelegram, trackers: FakeTrackers | None = None) -> Scheduler:
    agent = SimpleNamespace(domain=SimpleNamespace(responses=RESPONSES), tracker_store=trackers or FakeTrackers())
    return Scheduler(store, agent, telegram)


def add(store: ReminderStore, sender: str, in_seconds: float, channel: str = "telegram", repeat: str | None = None) -> None:
    now = clock.now_ts()
    store.add(sender, channel, "exercise", "Europe/Berlin", now + in_seconds, repeat, now)


def button_titles(message: dict[str, Any]) -> list[str]:
    return [button["title"] for button in message["buttons"]]


async def test_a_due_telegram_reminder_is_sent_once_with_its_four_buttons(store: ReminderStore, clock_file: Path) -> None:
    telegram = FakeTelegram()
    add(store, "42", 3 * DAY)
    assert await scheduler(store, telegram).tick() == 0 and telegram.sent == []
    clock.advance(clock_file, 3 * DAY + 1)
    running = scheduler(store, telegram)
    await running.tick()
    await running.tick()
    [(chat, [message])] = telegram.sent
    assert chat == "42" and "try this week's exercise" in message["text"]
    assert button_titles(message) == ["Start the check-in", "Done the exercise", "Remind me later", "Stop reminders"]
    assert store.pending("42") == []


async def test_after_a_crisis_message_the_helplines_come_first(store: ReminderStore, clock_file: Path) -> None:
    telegram, trackers = FakeTelegram(), FakeTrackers()
    trackers.trackers["42"] = DialogueStateTracker.from_events(
        "42", [UserUttered("I want to end it all", {"name": "crisis", "confidence": 1.0}, timestamp=time.time() - 3600)]
    )
    add(store, "42", 60)
    clock.advance(clock_file, 61)
    await scheduler(store, telegram, trackers).tick()
    [(_, [helplines, reminder])] = telegram.sent
    assert "helplines" in helplines["text"] and "{" not in helplines["text"]
    assert "reminder you asked for" in reminder["text"]


async def test_a_blocked_bot_cancels_every_reminder_of_that_chat(store: ReminderStore, clock_file: Path) -> None:
    telegram = FakeTelegram()
    telegram.errors.append(TelegramApiError("sendMessage refused (403): Forbidden: bot was blocked by the user", 403))
    add(store, "42", 60)
    add(store, "42", 5 * DAY)
    add(store, "43", 5 * DAY)
    clock.advance(clock_file, 61)
    await scheduler(store, telegram).tick()
    assert store.pending("42") == [] and len(store.pending("43")) == 1


async def test_a_failed_send_is_retried_with_backoff(store: ReminderStore, clock_file: Path) -> None:
    telegram = FakeTelegram()
    telegram.errors += [TelegramApiError("sendMessage refused (429): Too Many Requests", 429), TelegramApiError("network")]
    add(store, "42", 60)
    clock.advance(clock_file, 61)
    running = scheduler(store, telegram)
    await running.tick()  # 429: next try in 30 s
    clock.advance(clock_file, 29)
    await running.tick()
    assert telegram.sent == [] and len(telegram.errors) == 1
    clock.advance(clock_file, 2)
    await running.tick()  # network error: next try in 60 s
    clock.advance(clock_file, 61)
    await running.tick()
    assert len(telegram.sent) == 1


async def test_missed_while_down_fires_once_if_less_than_a_day_late_and_is_dropped_if_older(
    store: ReminderStore, clock_file: Path, caplog: pytest.LogCaptureFixture
) -> None:
    add(store, "recent", 60)
    add(store, "old", -2 * DAY)
    clock.advance(clock_file, 20 * 3600)
    telegram = FakeTelegram()
    with caplog.at_level(logging.INFO, logger="reminding.scheduler"):
        await scheduler(store, telegram).tick()
        await scheduler(store, telegram).tick()
    assert [chat for chat, _ in telegram.sent] == ["recent"]
    assert store.pending("old") == []
    assert any("dropped" in record.getMessage() and "h late" in record.getMessage() for record in caplog.records)
    assert not any("exercise" in record.getMessage() for record in caplog.records), "no message text in the log"


async def test_web_and_rest_reminders_come_with_the_next_reply_once(store: ReminderStore, clock_file: Path) -> None:
    telegram = FakeTelegram()
    add(store, "web-person", 60, channel="rest")
    clock.advance(clock_file, 61)
    running = scheduler(store, telegram)
    await running.tick()
    assert telegram.sent == []
    first, second = Collecting(), Collecting()
    await running.show_waiting("web-person", first)
    await running.show_waiting("web-person", second)
    assert [button_titles(m) for m in first.messages] == [["Start the check-in", "Done the exercise", "Remind me later", "Stop reminders"]]
    assert second.messages == []
