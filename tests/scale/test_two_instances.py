"""Two Rasa instances sharing Rasa's production stores: PostgreSQL tracker store, Redis lock store.

This is how a deployment scales out (deploy/): several instances behind a load balancer, any of
which may receive any message of a conversation. Here a real PostgreSQL and a real Redis run on
private loopback ports, and both instances get the same TRACKER_DB_URL and LOCK_STORE_URL.
One pair of instances serves the whole module; the test that stops an instance runs last.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import json
import os
import signal
import time
import uuid
from pathlib import Path
from typing import Any, Iterator

import pytest
import sqlalchemy as sa

from tests.channels.conftest import telegram_env
from tests.channels.fake_bot_api import FakeBotApi
from tests.privacy.postgres import PostgresServer, server_bin_dir, throwaway_postgres
from tests.servers import RunningAssistant, start_assistant

ANSWER = '/answer_reflection{"reflection_level":"%d"}'
QUESTION_COUNT = 10
CONCURRENT_MESSAGES = 10
RESULT_LEANS = {
    f"utter_reflection_result_lean_{lean}"
    for lean in ("codependency", "counterdependency", "interdependence", "mixed", "none")
}


@pytest.fixture(scope="module")
def postgres() -> Iterator[PostgresServer]:
    bin_dir = server_bin_dir()
    if bin_dir is None:
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) are missing: install the Debian package `postgresql`")
    with throwaway_postgres(bin_dir) as server:
        yield server


@pytest.fixture(scope="module")
def database_url(postgres: PostgresServer) -> str:
    """An empty database whose tables exist before two instances race to create them."""
    url = postgres.new_database()
    from stores.tracker_store import PrivacySQLTrackerStore  # imports Rasa: only when the servers run

    PrivacySQLTrackerStore(host=url).engine.dispose()
    return url


@pytest.fixture(scope="module")
def fake_api() -> Iterator[FakeBotApi]:
    with FakeBotApi() as fake:
        yield fake


@pytest.fixture(scope="module")
def instances(
    tmp_path_factory: pytest.TempPathFactory, database_url: str, redis_url: str, fake_api: FakeBotApi
) -> Iterator[tuple[RunningAssistant, RunningAssistant]]:
    """Two assistants (Rasa + action server each) on the same PostgreSQL and Redis, started side by side."""
    env = {"TRACKER_DB_URL": database_url, "LOCK_STORE_URL": redis_url, **telegram_env(fake_api.base_url)}
    managers = [start_assistant(Path(tmp_path_factory.mktemp(f"instance-{name}")), env=env) for name in "ab"]
    with contextlib.ExitStack() as stack, concurrent.futures.ThreadPoolExecutor(len(managers)) as pool:
        starts = [pool.submit(manager.__enter__) for manager in managers]
        for manager, start in zip(managers, starts):
            # Registered even when this start failed, so the other instance is stopped too.
            stack.push(manager.__exit__)
        first, second = (start.result() for start in starts)
        yield first, second


def new_sender(purpose: str) -> str:
    return f"scale-{purpose}-{uuid.uuid4().hex[:8]}"


def utterances(tracker: dict[str, Any]) -> list[str]:
    return [(event.get("metadata") or {}).get("utter_action") for event in tracker["events"] if event["event"] == "bot"]


def user_texts(tracker: dict[str, Any]) -> list[str]:
    return [event.get("text") for event in tracker["events"] if event["event"] == "user"]


def utterances_after(sender_to: RunningAssistant, read_from: RunningAssistant, sender: str, text: str) -> list[str]:
    """Send a message to one instance; the bot messages it caused, read back through the other."""
    before = len(utterances(read_from.tracker(sender)))
    sender_to.send(sender, text)
    return utterances(read_from.tracker(sender))[before:]


def test_a_check_in_alternating_between_instances_finishes(
    instances: tuple[RunningAssistant, RunningAssistant],
) -> None:
    first, second = instances
    sender = new_sender("alternate")

    assert "utter_reflection_intro" in utterances_after(first, second, sender, "/start_reflection")
    for number in range(1, QUESTION_COUNT):
        serving, other = (second, first) if number % 2 else (first, second)
        assert utterances_after(serving, other, sender, ANSWER % 3) == ["utter_reflection_question"], number
    result = utterances_after(second if QUESTION_COUNT % 2 else first, first, sender, ANSWER % 3)

    assert RESULT_LEANS & set(result), result
    assert user_texts(first.tracker(sender)) == user_texts(second.tracker(sender))
    assert len(user_texts(first.tracker(sender))) == QUESTION_COUNT + 1


def stored_events(database_url: str, sender: str) -> list[dict[str, Any]]:
    """The sender's events as the database holds them, in the order they were written."""
    engine = sa.create_engine(database_url)
    with engine.connect() as connection:
        rows = connection.execute(
            sa.text("SELECT type_name, action_name, timestamp, data FROM events WHERE sender_id = :sender ORDER BY id"),
            {"sender": sender},
        ).all()
    engine.dispose()
    return [{**json.loads(row.data), "event": row.type_name, "action": row.action_name} for row in rows]


def turns(events: list[dict[str, Any]]) -> list[tuple[str, list[str]]]:
    """Each user message with the actions that followed it, up to the next user message."""
    grouped: list[tuple[str, list[str]]] = []
    for event in events:
        if event["event"] == "user":
            grouped.append((event["text"], []))
        elif event["event"] == "action" and grouped:
            grouped[-1][1].append(event["action"])
    return grouped


def test_fifty_reminders_due_at_the_same_moment_fire_exactly_fifty_times_in_total(
    instances: tuple[RunningAssistant, RunningAssistant], database_url: str, fake_api: FakeBotApi
) -> None:
    """Both instances' schedulers race for the same due rows (SKIP LOCKED): each chat gets one."""
    from reminding.store import ReminderStore

    store = ReminderStore(sa.create_engine(database_url))
    chats = [str(700000 + number) for number in range(50)]
    due = time.time() + 2
    for chat in chats:
        store.add(chat, "telegram", "checkin", "UTC", due, None, time.time())

    def reminders_sent() -> list[str]:
        return [call.chat_id for call in fake_api.calls("sendMessage") if call.chat_id in chats]

    deadline = time.monotonic() + 60
    while len(reminders_sent()) < len(chats) and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(3)  # a few more rounds of both schedulers: nothing more may come
    assert sorted(reminders_sent()) == chats


def test_concurrent_messages_for_one_sender_are_all_recorded_one_turn_at_a_time(
    instances: tuple[RunningAssistant, RunningAssistant], database_url: str
) -> None:
    sender = new_sender("concurrent")
    texts = [f"hello, this is message number {number}" for number in range(1, CONCURRENT_MESSAGES + 1)]

    with concurrent.futures.ThreadPoolExecutor(CONCURRENT_MESSAGES) as pool:
        replies = list(pool.map(lambda number: instances[number % 2].send(sender, texts[number]), range(len(texts))))

    assert all(replies), "a message got no reply"
    events = stored_events(database_url, sender)
    recorded = turns(events)
    assert sorted(text for text, _ in recorded) == sorted(texts), "a message was lost or recorded twice"
    # The Redis lock lets one instance at a time handle the sender: each turn ends with exactly
    # one action_listen before the next message is recorded, and time only moves forward.
    assert all(actions[-1:] == ["action_listen"] and actions.count("action_listen") == 1 for _, actions in recorded), recorded
    timestamps = [event["timestamp"] for event in events]
    assert timestamps == sorted(timestamps), "events were stored out of order"
    assert user_texts(instances[0].tracker(sender)) == user_texts(instances[1].tracker(sender)) == [t for t, _ in recorded]


def test_when_one_instance_stops_the_other_continues_the_conversation(
    instances: tuple[RunningAssistant, RunningAssistant],
) -> None:
    first, second = instances
    sender = new_sender("failover")
    assert "utter_reflection_intro" in utterances_after(first, first, sender, "/start_reflection")
    assert utterances_after(first, first, sender, ANSWER % 2) == ["utter_reflection_question"]

    for process in first.processes:  # a crash: no goodbye, no clean shutdown
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    for _ in range(2, QUESTION_COUNT):
        assert utterances_after(second, second, sender, ANSWER % 4) == ["utter_reflection_question"]
    result = utterances_after(second, second, sender, ANSWER % 4)
    assert RESULT_LEANS & set(result), result
    assert len(user_texts(second.tracker(sender))) == QUESTION_COUNT + 1
