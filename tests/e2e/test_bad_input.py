"""Odd input through the REST channel never breaks the assistant.

Every case gets either a clean 4xx or a kind reply (one or more messages with text), always within
a time limit, never a 5xx; afterwards the server still greets a new person as usual.
"""

from __future__ import annotations

import json
import socket
import uuid
from typing import Any
from urllib.parse import urlparse

import pytest
import requests

from tests.servers import RunningAssistant

TIME_LIMIT_SECONDS = 60
LONG_ENGLISH = (
    "My partner and I have been together for six years and lately I feel like I give everything "
    "and get very little back, I cancel plans with my friends whenever he is upset and I can't "
    "remember the last time I did something only for me. "
)
# Replies that ask the person to say it again (data/rules/core.yml).
REPHRASE_RESPONSES = {"utter_ask_rephrase", "utter_default"}


def new_sender() -> str:
    return f"bad-input-{uuid.uuid4().hex[:10]}"


def post_raw(assistant: RunningAssistant, body: bytes, content_type: str = "application/json") -> requests.Response:
    return requests.post(
        f"{assistant.rasa_url}/webhooks/rest/webhook",
        data=body,
        headers={"Content-Type": content_type},
        timeout=TIME_LIMIT_SECONDS,
    )


def post_message(assistant: RunningAssistant, sender: str, text: str) -> requests.Response:
    return post_raw(assistant, json.dumps({"sender": sender, "message": text}).encode())


def reply_names(assistant: RunningAssistant, sender: str) -> list[str]:
    """The response names the assistant sent to `sender`, from the tracker."""
    events = assistant.tracker(sender)["events"]
    return [(event.get("metadata") or {}).get("utter_action") for event in events if event["event"] == "bot"]


def assert_kind_reply(response: requests.Response) -> list[dict[str, Any]]:
    assert response.status_code < 500, f"server error {response.status_code}: {response.text[:300]}"
    assert response.status_code == 200, f"expected a reply, got {response.status_code}: {response.text[:300]}"
    replies = response.json()
    assert replies and all(reply.get("text") for reply in replies), f"no readable reply: {replies}"
    return replies


def assert_clean_client_error(response: requests.Response) -> None:
    assert 400 <= response.status_code < 500, f"expected a 4xx, got {response.status_code}: {response.text[:300]}"


@pytest.fixture
def still_serving(assistant: RunningAssistant):
    """After the bad input, a new person still gets the usual greeting."""
    yield
    sender = new_sender()
    assert_kind_reply(post_message(assistant, sender, "hello"))
    assert "utter_greet" in reply_names(assistant, sender), assistant.logs()[-3000:]


pytestmark = pytest.mark.usefixtures("still_serving")


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="empty"),
        pytest.param("   \n\t  ", id="whitespace"),
        pytest.param("😢😢😢🙃", id="emoji only"),
        pytest.param("\u0000\u0007\u001b[31m hi \u202e", id="control characters"),
        pytest.param('{"intent": "greet", "slots": {"requested_slot": "x"}, "events": []}', id="a JSON blob"),
        pytest.param("x" * 20_000, id="20000 letters without a space"),
    ],
)
def test_meaningless_text_gets_a_kind_reply(assistant: RunningAssistant, text: str) -> None:
    assert_kind_reply(post_message(assistant, new_sender(), text))


def test_html_and_script_are_answered_and_never_echoed(assistant: RunningAssistant) -> None:
    replies = assert_kind_reply(
        post_message(assistant, new_sender(), "<script>alert('hi')</script><b>my partner</b> <img src=x onerror=alert(1)>")
    )
    assert not any("<script" in reply["text"] or "onerror" in reply["text"] for reply in replies), replies


def test_a_long_message_is_read_up_to_the_limit_and_the_person_is_told(assistant: RunningAssistant) -> None:
    sender = new_sender()
    text = (LONG_ENGLISH * 300)[:60_000]  # under the 64 KB body limit, far over 4,000 characters
    replies = assert_kind_reply(post_message(assistant, sender, text))
    assert "only the beginning" in replies[0]["text"] and len(replies) >= 2, replies
    stored = [event["text"] for event in assistant.tracker(sender)["events"] if event["event"] == "user"]
    assert stored and 3000 < len(stored[-1]) <= 4000 and text.startswith(stored[-1])


def test_a_1_mb_body_is_refused_with_413_and_a_json_error(assistant: RunningAssistant) -> None:
    response = post_message(assistant, new_sender(), LONG_ENGLISH * 5000)  # about 1 MB
    assert response.status_code == 413 and "error" in response.json(), response.text[:300]


def test_a_body_over_the_size_limit_is_refused_without_reading_it(assistant: RunningAssistant) -> None:
    address = urlparse(assistant.rasa_url)
    head = (
        "POST /webhooks/rest/webhook HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        "Content-Length: 209715200\r\n\r\n"
    )
    with socket.create_connection((address.hostname, address.port), timeout=TIME_LIMIT_SECONDS) as connection:
        connection.sendall(head.encode() + b'{"sender": "huge", "message": "' + b"a" * 100_000)
        status_line = connection.recv(4096).split(b"\r\n", 1)[0].decode()
    assert " 413 " in status_line, status_line


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Je me sens très seul dans ma relation, mon mari ne me parle plus.", id="French"),
        pytest.param("Me siento muy sola, mi novio nunca me escucha", id="Spanish"),
        pytest.param("Мой муж совсем со мной не разговаривает", id="Russian"),
    ],
)
def test_another_language_gets_an_english_only_note(assistant: RunningAssistant, text: str) -> None:
    sender = new_sender()
    replies = assert_kind_reply(post_message(assistant, sender, text))
    assert "utter_non_english" in reply_names(assistant, sender), replies


@pytest.mark.parametrize("command", ["/foo", '/xyz{"a":1}', '/no_such_intent{"topic":"boundaries"}'])
def test_unknown_commands_ask_to_rephrase_and_set_nothing(assistant: RunningAssistant, command: str) -> None:
    sender = new_sender()
    assert_kind_reply(post_message(assistant, sender, command))
    tracker = assistant.tracker(sender)
    names = set(reply_names(assistant, sender))
    assert names & REPHRASE_RESPONSES, f"expected a request to rephrase, got {names}"
    # The payload's entities must not reach the slots (slots with initial values are fine).
    assert tracker["slots"].get("topic") is None and "a" not in tracker["slots"], tracker["slots"]


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b'{"sender": "bad-utf8", "message": "\xff\xfe\xfa hello"}', id="invalid UTF-8"),
        pytest.param(b'{"sender": "raw-control", "message": "a\x00b\x07c"}', id="raw control characters in JSON"),
        pytest.param(b"not json at all", id="not JSON"),
        pytest.param(b'{"sender": "cut", "message": "hel', id="truncated JSON"),
    ],
)
def test_unreadable_bodies_are_refused_with_a_4xx(assistant: RunningAssistant, body: bytes) -> None:
    assert_clean_client_error(post_raw(assistant, body))


def test_a_plain_text_body_is_refused_with_a_4xx(assistant: RunningAssistant) -> None:
    assert_clean_client_error(post_raw(assistant, b"hello there", content_type="text/plain"))


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b"", id="empty body"),
        pytest.param(b"[1, 2, 3]", id="a JSON list"),
        pytest.param(b'"just a string"', id="a JSON string"),
        pytest.param(b'{"sender": "no-message"}', id="no message"),
        pytest.param(b'{"sender": "null-message", "message": null}', id="message null"),
        pytest.param(b'{"sender": "number-message", "message": 42}', id="message a number"),
        pytest.param(b'{"sender": ["a"], "message": "hi"}', id="sender a list"),
    ],
)
def test_bodies_without_a_usable_message_get_a_4xx_or_a_reply(assistant: RunningAssistant, body: bytes) -> None:
    response = post_raw(assistant, body)
    assert response.status_code < 500, f"server error {response.status_code}: {response.text[:300]}"
    if response.status_code == 200:
        assert_kind_reply(response)
    else:
        assert_clean_client_error(response)
