"""A socket.io client that behaves like the chat page's widget, for tests against the real servers."""

from __future__ import annotations

import threading
import time
import uuid
from typing import Optional

import socketio

from tests.servers import RunningAssistant


class ChatPage:
    """A socket.io client like the widget: one session, the bot's messages collected in order."""

    def __init__(self, assistant: RunningAssistant, session_id: Optional[str] = None) -> None:
        """`session_id`: a page coming back to the conversation it stored; None for a new one."""
        self.client = socketio.Client(reconnection=False)
        self.received: list[str] = []
        self.buttons: list[list[str]] = []
        self.session = threading.Event()
        self.session_id = session_id or uuid.uuid4().hex
        self.client.on("bot_uttered", self._bot_uttered)
        self.client.on("session_confirm", lambda _: self.session.set())
        self.client.connect(assistant.rasa_url, transports=["polling"], socketio_path="/socket.io")
        self.client.emit("session_request", {"session_id": self.session_id})
        assert self.session.wait(30)

    def _bot_uttered(self, data: dict) -> None:
        self.buttons.append([button.get("title", "") for button in data.get("quick_replies") or []])
        self.received.append(data.get("text") or "")

    def say(self, text: str) -> None:
        self.client.emit("user_uttered", {"message": text, "session_id": self.session_id})

    def wait_for(self, count: int, seconds: float = 60) -> list[str]:
        deadline = time.monotonic() + seconds
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.1)
        return list(self.received)
