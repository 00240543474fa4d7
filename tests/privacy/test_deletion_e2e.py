"""Asking to delete really deletes, through the real servers and down to the database.

A person writes a unique marker, asks "delete my data" and confirms: afterwards neither the tracker
(read through the HTTP API) nor the database holds anything they wrote. Saying no keeps everything.
Runs against the default SQLite file and, switched by TRACKER_DB_URL, against PostgreSQL.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any, Dict, List, Set

import sqlalchemy as sa
import yaml

from tests.privacy.postgres import PostgresServer
from tests.servers import RunningAssistant, start_assistant

REPO = Path(__file__).resolve().parents[2]
RESPONSES = yaml.safe_load((REPO / "domain" / "privacy.yml").read_text())["responses"]


def variations(response: str) -> Set[str]:
    return {variation["text"] for variation in RESPONSES[response]}


def texts(replies: List[Dict[str, Any]]) -> List[str]:
    return [reply.get("text", "") for reply in replies]


def new_person() -> tuple:
    """A fresh sender id and a marker that appears nowhere else."""
    return f"privacy-{uuid.uuid4().hex[:8]}", f"zebra{uuid.uuid4().hex}"


def tell_something_private(assistant: RunningAssistant, sender: str, marker: str) -> None:
    assistant.send(sender, "hi")
    assistant.send(sender, f"I always say yes to my partner's plans, even the one called {marker}")
    assert marker in json.dumps(assistant.tracker(sender)), "the marker was never stored, so the test proves nothing"


def ask_to_delete(assistant: RunningAssistant, sender: str) -> None:
    replies = assistant.send(sender, "delete my data")
    assert texts(replies)[0] in variations("utter_ask_delete_data"), texts(replies)
    assert [button["payload"] for button in replies[0]["buttons"]] == ["/affirm", "/deny"]


def user_texts(tracker: Dict[str, Any]) -> List[str]:
    return [event.get("text") or "" for event in tracker["events"] if event["event"] == "user"]


def delete_with_confirmation(assistant: RunningAssistant, sender: str, marker: str) -> None:
    """Ask, confirm, and check the tracker; the caller checks the database itself."""
    ask_to_delete(assistant, sender)

    replies = assistant.send(sender, "/affirm")

    assert texts(replies) == [texts(replies)[0]] and texts(replies)[0] in variations("utter_data_deleted")
    tracker = assistant.tracker(sender)
    assert user_texts(tracker) == [], "the tracker still holds messages of the person"
    assert marker not in json.dumps(tracker)
    assert "delete my data" not in json.dumps(tracker)


def test_confirmed_deletion_empties_the_tracker_and_the_sqlite_file(assistant: RunningAssistant) -> None:
    sender, marker = new_person()
    tell_something_private(assistant, sender, marker)
    delete_with_confirmation(assistant, sender, marker)

    assert marker.encode() not in assistant.tracker_db.read_bytes()
    # The person can simply carry on, starting afresh.
    assert assistant.send(sender, "hello")


def test_saying_no_keeps_everything(assistant: RunningAssistant) -> None:
    sender, marker = new_person()
    tell_something_private(assistant, sender, marker)
    ask_to_delete(assistant, sender)

    replies = assistant.send(sender, "/deny")

    assert texts(replies)[0] in variations("utter_data_kept")
    assert any(marker in text for text in user_texts(assistant.tracker(sender)))
    assert marker.encode() in assistant.tracker_db.read_bytes()


def test_a_yes_without_the_question_deletes_nothing(assistant: RunningAssistant) -> None:
    sender, marker = new_person()
    tell_something_private(assistant, sender, marker)

    assistant.send(sender, "/affirm")

    assert any(marker in text for text in user_texts(assistant.tracker(sender)))


def test_deletion_on_postgresql_selected_by_tracker_db_url(postgres: PostgresServer, tmp_path: Path) -> None:
    database_url = postgres.new_database()
    sender, marker = new_person()
    workdir = tmp_path / "assistant-on-postgresql"
    engine = sa.create_engine(database_url)

    def stored_rows_with_marker() -> int:
        with engine.connect() as connection:
            query = sa.text("SELECT count(*) FROM events WHERE data LIKE :pattern")
            return connection.execute(query, {"pattern": f"%{marker}%"}).scalar()

    with start_assistant(workdir, env={"TRACKER_DB_URL": database_url}) as on_postgresql:
        tell_something_private(on_postgresql, sender, marker)
        assert stored_rows_with_marker() > 0
        delete_with_confirmation(on_postgresql, sender, marker)
        assert stored_rows_with_marker() == 0
    engine.dispose()
    assert not (workdir / "tracker.db").exists(), "TRACKER_DB_URL was set, yet the SQLite file was used"
