"""The chat page's channel against the real servers: a long message is cut with a note, and a
flood gets one "let's slow down" instead of one note per unread message."""

from __future__ import annotations

import threading
import time
import uuid
from typing import Iterator

import pytest
import socketio

from tests.servers import RunningAssistant


class ChatPage:
    """A socket.io client like the widget: one session, the bot's messages collected in order."""

    def __init__(self, assistant: RunningAssistant) -> None:
        self.client = socketio.Client(reconnection=False)
        self.received: list[str] = []
        self.session = threading.Event()
        self.session_id = uuid.uuid4().hex
        self.client.on("bot_uttered", lambda data: self.received.append(data.get("text") or ""))
        self.client.on("session_confirm", lambda _: self.session.set())
        self.client.connect(assistant.rasa_url, transports=["polling"], socketio_path="/socket.io")
        self.client.emit("session_request", {"session_id": self.session_id})
        assert self.session.wait(30)

    def say(self, text: str) -> None:
        self.client.emit("user_uttered", {"message": text, "session_id": self.session_id})

    def wait_for(self, count: int, seconds: float = 60) -> list[str]:
        deadline = time.monotonic() + seconds
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.1)
        return list(self.received)


@pytest.fixture
def page(fragile_assistant: RunningAssistant) -> Iterator[ChatPage]:
    chat = ChatPage(fragile_assistant)
    yield chat
    chat.client.disconnect()


def test_a_long_message_is_cut_and_the_person_told(page: ChatPage, fragile_assistant: RunningAssistant) -> None:
    page.say("My partner decides everything for both of us. " * 200)  # 9,400 characters
    replies = page.wait_for(2)
    assert "only the beginning" in replies[0] and len(replies) >= 2, replies
    stored = [e["text"] for e in fragile_assistant.tracker(page.session_id)["events"] if e["event"] == "user"]
    assert len(stored[-1]) <= 4000


def test_a_flood_gets_one_slow_down_note(page: ChatPage) -> None:
    for n in range(26):
        page.say(f"hello {n}")
        time.sleep(0.1)  # one message per request: engine.io refuses a poll carrying more than 16
    time.sleep(8)
    replies = page.wait_for(21, seconds=60)
    assert sum("slow down" in text for text in replies) == 1, replies
