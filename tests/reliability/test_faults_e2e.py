"""Against the real servers: the rate limit, the action server going away and coming back, a
locked tracker database, and the health report."""

from __future__ import annotations

import sqlite3
import time
import uuid
from typing import Any

import requests

from tests.reliability.conftest import Client
from tests.servers import RunningAssistant

ANSWER = '/answer_reflection{"reflection_level":"%d"}'
APOLOGY = "try again in a minute"
CRISIS = "I don't want to live anymore"


def new_sender(kind: str) -> str:
    return f"{kind}-{uuid.uuid4().hex[:8]}"


def bot_names(assistant: RunningAssistant, sender: str) -> list[Any]:
    return [
        (event.get("metadata") or {}).get("utter_action")
        for event in assistant.tracker(sender)["events"]
        if event["event"] == "bot"
    ]


def test_a_burst_is_answered_up_to_the_limit_then_refused_but_a_crisis_is_answered(client: Client) -> None:
    sender = new_sender("burst")
    statuses = [client.post(sender, f"hello {n}") for n in range(30)]
    assert [r.status_code for r in statuses] == [200] * 20 + [429] * 10
    assert all(1 <= int(r.headers["Retry-After"]) <= 30 for r in statuses[20:])
    assert all(r.json() for r in statuses[:20]), "each answered message got a reply"

    crisis = client.post(sender, CRISIS)
    assert crisis.status_code == 200 and any("112" in reply.get("text", "") for reply in crisis.json())
    assert client.post(new_sender("other"), "hello").status_code == 200, "another sender is unaffected"


def test_the_action_server_down_gets_an_apology_then_the_check_in_works_once_it_is_back(
    fragile_assistant: RunningAssistant, client: Client
) -> None:
    sender, in_check_in = new_sender("down"), new_sender("down-crisis-in-check-in")
    for person in (sender, in_check_in):
        assert client.texts(person, "start a check-in")
        assert client.texts(person, ANSWER % 3), "the first question is answered"
    fragile_assistant.stop_action_server()
    try:
        for text in (
            ANSWER % 2,  # inside the check-in
            "start a check-in",
            "I cancel plans with my friends whenever he is upset",
            "how can I set boundaries with my mother?",
        ):
            replies = client.texts(sender, text)
            assert replies and APOLOGY in replies[-1], (text, replies)
        for person in (new_sender("down-crisis"), in_check_in):
            crisis = client.texts(person, CRISIS)
            assert "112" in crisis[0] and "sounds serious" in crisis[0], crisis
            assert bot_names(fragile_assistant, person)[-1] == "utter_crisis_support"
        health = requests.get(f"{fragile_assistant.rasa_url}/health", timeout=30)
        assert health.status_code == 503 and health.json()["action_server"] is False
    finally:
        fragile_assistant.start_action_server()

    # The check-in carries on at the question that was open, and finishes with a result.
    names_before = len(bot_names(fragile_assistant, sender))
    for _ in range(9):
        client.texts(sender, ANSWER % 3)
    names = bot_names(fragile_assistant, sender)[names_before:]
    assert names.count("utter_reflection_question") == 8, names
    assert "utter_reflection_question" not in names[-1:], f"the check-in should have ended: {names}"
    assert requests.get(f"{fragile_assistant.rasa_url}/health", timeout=30).json()["status"] == "ok"


def test_a_locked_tracker_database_gets_an_apology_and_the_next_message_works(
    fragile_assistant: RunningAssistant, client: Client
) -> None:
    sender = new_sender("locked")
    assert client.texts(sender, "hello")
    lock = sqlite3.connect(fragile_assistant.tracker_db, timeout=30, isolation_level=None)
    lock.execute("BEGIN EXCLUSIVE")
    try:
        started = time.monotonic()
        replies = client.texts(sender, "what is codependency?")
        assert len(replies) == 1 and "try again in a minute" in replies[0], replies
        assert time.monotonic() - started < 30
    finally:
        lock.execute("ROLLBACK")
        lock.close()
    after = client.texts(sender, "what is codependency?")
    assert after and "try again" not in after[0], after
    assert "utter_explain_codependency" in bot_names(fragile_assistant, sender)[-len(after):], after


def test_health_reports_each_part(fragile_assistant: RunningAssistant) -> None:
    report = requests.get(f"{fragile_assistant.rasa_url}/health", timeout=30)
    assert report.status_code == 200
    assert report.json() == {
        "status": "ok", "model": True, "tracker_store": True, "lock_store": True, "action_server": True,
    }
