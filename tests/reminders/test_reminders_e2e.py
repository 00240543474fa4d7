"""Reminders end to end: the real servers, the controllable clock (COACH_CLOCK_FILE), REST,
Telegram (fake Bot API) and the chat page's socket.io channel. Schedule, let the clock pass the
time, see exactly one message arrive with its buttons; stop the Rasa server, move the clock, start it again: the reminder fires once."""

from __future__ import annotations

import itertools
import sqlite3
import time
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

from reminding import clock
from tests.channels.chat_page import ChatPage
from tests.channels.conftest import message_update, post_update, telegram_env
from tests.channels.fake_bot_api import FakeBotApi
from tests.servers import RunningAssistant, start_assistant

DAY = 24 * 3600
POLL_SECONDS = "0.2"
DUE_TEXT = "reminder you asked for"
BUTTONS = ["Start the check-in", "Done the exercise", "Remind me later", "Stop reminders"]
_chats = itertools.count(int(time.time()) % 100000 * 10)


def reminder_env(clock_file: Path, api_url: str) -> dict[str, str]:
    return {clock.CLOCK_FILE_ENV: str(clock_file), "REMINDER_POLL_SECONDS": POLL_SECONDS, **telegram_env(api_url)}


def wait_for(condition: Callable[[], Any], what: str, seconds: float = 20) -> Any:
    """Wait for the scheduler's next rounds (it polls every 0.2 s), not for the reminder's time."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def statuses(assistant: RunningAssistant, sender: str) -> list[str]:
    with sqlite3.connect(assistant.tracker_db) as db:
        return [row[0] for row in db.execute("SELECT status FROM reminders WHERE sender_id = ? ORDER BY id", (sender,))]


def advance_past_due(clock_file: Path, assistant: RunningAssistant, sender: str, by: float = 60) -> None:
    """Move the clock to `by` seconds after the sender's first reminder was due."""
    with sqlite3.connect(assistant.tracker_db) as db:
        due = db.execute("SELECT min(due_at) FROM reminders WHERE sender_id = ?", (sender,)).fetchone()[0]
    clock.advance(clock_file, due + by - (time.time() + float(clock_file.read_text())))


def texts(replies: list[dict[str, Any]]) -> str:
    return "\n".join(reply.get("text", "") for reply in replies)


def due_messages(fake: FakeBotApi, chat: int) -> list[Any]:
    return [call for call in fake.calls("sendMessage", chat) if DUE_TEXT in call.params.get("text", "")]


def telegram_says(assistant: RunningAssistant, chat: int, text: str) -> None:
    assert post_update(assistant, message_update(chat, text)).status_code == 200


@pytest.fixture(scope="module")
def fake_api() -> Iterator[FakeBotApi]:
    with FakeBotApi() as fake:
        yield fake


@pytest.fixture(scope="module")
def clock_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("clock") / "offset"
    path.write_text("0")
    return path


@pytest.fixture(scope="module")
def coach(tmp_path_factory: pytest.TempPathFactory, fake_api: FakeBotApi, clock_file: Path) -> Iterator[RunningAssistant]:
    """The servers with the repo's credentials.yml: REST, Telegram and the reminder scheduler."""
    with start_assistant(tmp_path_factory.mktemp("reminders"), env=reminder_env(clock_file, fake_api.base_url)) as running:
        yield running


def test_over_rest_the_reminder_comes_with_the_next_reply_exactly_once(coach: RunningAssistant, clock_file: Path) -> None:
    asked = coach.send("rest-ana", "remind me tomorrow at 8")
    assert "time zone" in texts(asked)
    confirmed = texts(coach.send("rest-ana", "I'm in Berlin"))
    assert "tomorrow at 08:00" in confirmed and "Europe/Berlin" in confirmed
    assert statuses(coach, "rest-ana") == ["active"]

    advance_past_due(clock_file, coach, "rest-ana")
    wait_for(lambda: statuses(coach, "rest-ana") == ["waiting"], "the scheduler to hold the REST reminder")
    replies = coach.send("rest-ana", "hi")
    due = [reply for reply in replies if DUE_TEXT in reply.get("text", "")]
    assert len(due) == 1 and [button["title"] for button in due[0]["buttons"]] == BUTTONS
    assert DUE_TEXT not in texts(coach.send("rest-ana", "hi"))
    assert statuses(coach, "rest-ana") == ["fired"]


def test_on_the_chat_page_the_reminder_is_shown_when_the_page_comes_back(coach: RunningAssistant, clock_file: Path) -> None:
    page = ChatPage(coach)
    page.say("remind me tomorrow at 8")
    page.wait_for(1)
    page.say("I'm in Berlin")
    assert any("tomorrow at 08:00" in text for text in page.wait_for(2))
    page.client.disconnect()

    advance_past_due(clock_file, coach, page.session_id)
    wait_for(lambda: statuses(coach, page.session_id) == ["waiting"], "the scheduler to hold the web reminder")
    back = ChatPage(coach, session_id=page.session_id)  # the closed tab is opened again; nothing typed
    try:
        [text] = back.wait_for(1, seconds=20)
        assert DUE_TEXT in text and back.buttons[0] == BUTTONS
        time.sleep(1)
        assert len(back.received) == 1, "shown once"
    finally:
        back.client.disconnect()
    assert statuses(coach, page.session_id) == ["fired"]


def test_on_telegram_the_reminder_is_pushed_once_with_its_buttons(
    coach: RunningAssistant, fake_api: FakeBotApi, clock_file: Path
) -> None:
    chat = next(_chats)
    telegram_says(coach, chat, "remind me in 3 days")
    telegram_says(coach, chat, "UTC+2")
    assert any("in 3 days" not in call.params["text"] and "UTC+2 time" in call.params["text"] for call in fake_api.calls("sendMessage", chat))

    advance_past_due(clock_file, coach, str(chat))
    [pushed] = wait_for(lambda: due_messages(fake_api, chat), "the reminder on Telegram")
    keyboard = pushed.params["reply_markup"]["inline_keyboard"]
    assert [row[0]["text"] for row in keyboard] == BUTTONS
    time.sleep(1)  # five more scheduler rounds: nothing more may come
    assert len(due_messages(fake_api, chat)) == 1
    assert statuses(coach, str(chat)) == ["fired"]


def test_a_blocked_bot_cancels_the_chats_reminders(coach: RunningAssistant, fake_api: FakeBotApi, clock_file: Path) -> None:
    chat = next(_chats)
    telegram_says(coach, chat, "remind me in 3 days")
    telegram_says(coach, chat, "I'm in London")
    telegram_says(coach, chat, "remind me next week")
    assert statuses(coach, str(chat)) == ["active", "active"]
    fake_api.fail_next("sendMessage", status=403)
    advance_past_due(clock_file, coach, str(chat))
    wait_for(lambda: statuses(coach, str(chat)) == ["cancelled", "cancelled"], "both reminders to be cancelled")


def test_after_delete_my_data_nothing_fires_and_no_row_is_left(coach: RunningAssistant, clock_file: Path) -> None:
    coach.send("rest-del", "remind me in 3 days")
    coach.send("rest-del", "UTC")
    assert statuses(coach, "rest-del") == ["active"]
    coach.send("rest-del", "delete my data")
    coach.send("rest-del", "/affirm")
    assert statuses(coach, "rest-del") == []
    clock.advance(clock_file, 4 * DAY)
    time.sleep(1)
    assert DUE_TEXT not in texts(coach.send("rest-del", "hi"))


def test_a_reminder_due_while_the_server_was_down_fires_once_after_the_restart(
    tmp_path: Path, fake_api: FakeBotApi
) -> None:
    clock_file = tmp_path / "offset"
    clock_file.write_text("0")
    env, chat = reminder_env(clock_file, fake_api.base_url), next(_chats)
    with start_assistant(tmp_path / "run", env=env) as first:
        telegram_says(first, chat, "remind me tomorrow at 9")
        telegram_says(first, chat, "I'm in Tokyo")
        assert statuses(first, str(chat)) == ["active"]
        assert not due_messages(fake_api, chat)
    advance_past_due(clock_file, first, str(chat), by=20 * 3600)  # while stopped: now 20 h late
    with start_assistant(tmp_path / "run", env=env) as second:
        wait_for(lambda: due_messages(fake_api, chat), "the missed reminder after the restart", seconds=60)
        time.sleep(1)
        assert len(due_messages(fake_api, chat)) == 1
        assert statuses(second, str(chat)) == ["fired"]
