"""The progress actions against rasa_sdk trackers: what each channel is sent, and what is kept."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from pypdf import PdfReader
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.progress.actions import ActionExportSummary, ActionShowProgress
from actions.progress.history import HISTORY_SLOT, MAX_CHECK_INS, with_check_in
from actions.reflection.state import LAST_RESULT_SLOT
from stores.files import FileStore
from tests.progress.histories import records

REPO = Path(__file__).resolve().parents[2]
DOMAIN = yaml.safe_load((REPO / "domain" / "progress.yml").read_text())
TODAY = date(2026, 12, 3)


def make_tracker(slots: dict[str, Any], channel: str = "rest", sender: str = "person") -> Tracker:
    events = [{"event": "user", "text": "show my progress", "input_channel": channel}]
    return Tracker(sender, slots, {"text": "", "intent": {}, "entities": []}, events, False, None, {}, "action_listen")


@pytest.fixture
def files(tmp_path: Path) -> FileStore:
    return FileStore(tmp_path / "files")


def run(action: Any, tracker: Tracker) -> list[dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    assert action.run(dispatcher, tracker, {}) == []
    return dispatcher.messages


@pytest.mark.parametrize(
    ("slots", "response"),
    [({}, "utter_progress_none"), ({HISTORY_SLOT: records(1)}, "utter_progress_one"), ({LAST_RESULT_SLOT: records(1)[0]}, "utter_progress_one")],
)
def test_fewer_than_two_check_ins_get_a_kind_word_and_a_button(files: FileStore, slots: dict, response: str) -> None:
    [message] = run(ActionShowProgress(files), make_tracker(slots))
    assert message["response"] == response and not message.get("image")
    buttons = DOMAIN["responses"][response][0]["buttons"]
    assert buttons == [{"title": "Start a check-in", "payload": "/start_reflection"}]
    assert not files.root.exists()


def test_two_check_ins_get_the_chart_and_the_change_in_words(files: FileStore) -> None:
    [message] = run(ActionShowProgress(files), make_tracker({HISTORY_SLOT: records(2)}))
    assert message["response"] == "utter_progress_chart"
    assert message["change"] == "Saying no has got easier since 3 November 2026."
    assert message["description"].startswith("Chart of your 2 check-ins")
    assert files.find_for("person", message["image"])[1].startswith(b"\x89PNG")
    assert files.find_for("someone else", message["image"]) is None


def test_summary_needs_a_check_in(files: FileStore) -> None:
    [message] = run(ActionExportSummary(files, lambda: TODAY), make_tracker({}))
    assert message["response"] == "utter_summary_none"


def test_summary_arrives_as_pdf_and_text_attachments(files: FileStore) -> None:
    ready, pdf, text = run(ActionExportSummary(files, lambda: TODAY), make_tracker({HISTORY_SLOT: records(2)}))
    assert ready["response"] == "utter_summary_ready"
    assert pdf["attachment"]["name"] == "interdependence-summary-2026-12-03.pdf"
    stored_pdf = files.find_for("person", pdf["attachment"]["url"])[1]
    pdf_text = PdfReader(io.BytesIO(stored_pdf)).pages[0].extract_text()
    assert pdf_text.startswith("This is a reflection, not a diagnosis") and "Your plan" in pdf_text
    stored_text = files.find_for("person", text["attachment"]["url"])[1].decode()
    assert "Made on 3 December 2026" in stored_text


def test_the_chat_page_gets_download_links_in_the_text(files: FileStore) -> None:
    [message] = run(ActionExportSummary(files, lambda: TODAY), make_tracker({HISTORY_SLOT: records(2)}, "socketio"))
    assert message["response"] == "utter_summary_links"
    assert files.find(message["pdf_link"])[1].startswith(b"%PDF-")
    assert files.find(message["text_link"]) is not None
    template = DOMAIN["responses"]["utter_summary_links"][0]["text"]
    assert "[Download the PDF]({pdf_link})" in template


def test_history_keeps_the_latest_check_ins_only() -> None:
    history: list[dict[str, Any]] = []
    for record in records(MAX_CHECK_INS + 5):
        history = with_check_in(history, {**record, "said": {"saying_no": "never"}})
    assert len(history) == MAX_CHECK_INS
    assert history[-1]["date"] > history[0]["date"]
    assert all("said" not in entry for entry in history)  # quotes stay with the last result only
