"""The tracker database (PostgreSQL) goes away and comes back: an apology meanwhile, never a 5xx,
and the conversation carries on once it is back."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
import requests

from tests.privacy.postgres import server_bin_dir, throwaway_postgres
from tests.servers import start_assistant


def test_postgresql_stopped_gets_an_apology_and_the_next_message_works_once_it_is_back(tmp_path: Path) -> None:
    bin_dir = server_bin_dir()
    if bin_dir is None:
        pytest.skip("PostgreSQL server binaries are not installed (Debian package `postgresql`)")
    sender = f"db-down-{uuid.uuid4().hex[:8]}"
    with throwaway_postgres(bin_dir) as postgres, start_assistant(
        tmp_path, env={"TRACKER_DB_URL": postgres.new_database()}
    ) as assistant:
        assert assistant.send(sender, "hello")
        postgres.pg_ctl("stop")
        try:
            response = requests.post(
                f"{assistant.rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": "what is codependency?"}, timeout=60
            )
            assert response.status_code == 200, response.text[:300]
            assert [reply["text"] for reply in response.json()] == [
                "Sorry, I can't reach my memory right now, so I couldn't take in that message. Please try again in a minute."
            ]
            health = requests.get(f"{assistant.rasa_url}/health", timeout=30)
            assert health.status_code == 503 and health.json()["tracker_store"] is False
        finally:
            postgres.pg_ctl("start")

        replies = assistant.send(sender, "what is codependency?")
        assert replies and "memory" not in replies[0]["text"], replies
        events = assistant.tracker(sender)["events"]
        said = [event["text"] for event in events if event["event"] == "user"]
        assert said == ["hello", "what is codependency?"], "the conversation kept its past and the new message"
