"""Progress and the summary through the real servers over REST, and the chat page's download route:
two check-ins, "show my progress", "send me my summary", then "delete my data"."""

from __future__ import annotations

import io
import uuid
from typing import Any, Iterator

import pytest
import requests
from PIL import Image
from pypdf import PdfReader

from stores.files import owner_of
from tests.servers import RunningAssistant, free_port
from tests.web.chat_site import serve_chat_page

ANSWER = '/answer_reflection{"reflection_level":"%d"}'
# Saying no (question 3, reverse-scored): "Never" the first time, "Often" the second.
FIRST = [3, 3, 1, 3, 3, 3, 3, 3, 3, 3]
SECOND = [3, 3, 4, 3, 3, 3, 3, 3, 3, 3]


@pytest.fixture(scope="module")
def page_url(assistant: RunningAssistant) -> Iterator[str]:
    """The chat page server in front of the shared assistant's files (it serves the download route)."""
    with serve_chat_page(assistant.rasa_url, free_port(), assistant.files_dir) as url:
        yield url.rstrip("/")


def check_in(assistant: RunningAssistant, sender: str, values: list[int]) -> None:
    assistant.send(sender, "start a check-in")
    for value in values:
        replies = assistant.send(sender, ANSWER % value)
    assert any("not a diagnosis" in reply.get("text", "") for reply in replies), replies


def only(replies: list[dict[str, Any]], key: str) -> list[Any]:
    return [reply[key] for reply in replies if reply.get(key)]


def test_progress_and_summary_over_rest_and_gone_after_deletion(assistant: RunningAssistant, page_url: str) -> None:
    sender = f"progress-{uuid.uuid4().hex[:8]}"
    replies = assistant.send(sender, "show my progress")
    assert "a chart needs at least two check-ins" in " ".join(only(replies, "text")) and not only(replies, "image")
    assert [button["payload"] for button in replies[0]["buttons"]] == ["/start_reflection"]

    check_in(assistant, sender, FIRST)
    check_in(assistant, sender, SECOND)

    replies = assistant.send(sender, "show my progress")
    [chart] = only(replies, "image")
    text = " ".join(only(replies, "text"))
    assert "Saying no has got easier since" in text
    assert "The chart in words: Chart of your 2 check-ins" in text
    png = requests.get(page_url + chart, timeout=30)
    assert png.status_code == 200 and Image.open(io.BytesIO(png.content)).format == "PNG"

    replies = assistant.send(sender, "send me my summary")
    pdf_link, text_link = [attachment["url"] for attachment in only(replies, "attachment")]
    pdf = requests.get(page_url + pdf_link, timeout=30)
    pdf_text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert pdf_text.startswith("This is a reflection, not a diagnosis")
    assert "Your plan" in pdf_text and "Step 1:" in pdf_text
    assert "not a diagnosis" in requests.get(page_url + text_link, timeout=30).text.splitlines()[0]

    links = [chart, pdf_link, text_link]
    foreign = chart.replace(owner_of(sender), owner_of(f"{sender}-someone-else"))
    assert requests.get(page_url + foreign, timeout=30).status_code == 404

    assistant.send(sender, "delete my data")
    assistant.send(sender, "/affirm")
    assert [requests.get(page_url + link, timeout=30).status_code for link in links] == [404, 404, 404]
    assert not (assistant.files_dir / owner_of(sender)).exists()


def test_file_links_never_reach_the_server_logs(assistant: RunningAssistant) -> None:
    sender = f"progress-logs-{uuid.uuid4().hex[:8]}"
    check_in(assistant, sender, FIRST)
    replies = assistant.send(sender, "send me my summary")
    links = [attachment["url"] for attachment in only(replies, "attachment")]
    assert links
    logs = assistant.logs()
    assert not any(link in logs or link.rsplit("/", 1)[1] in logs for link in links)
