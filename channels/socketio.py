"""Rasa's socket.io channel, but only web pages we serve may open a connection.

Rasa 3.6 builds its socket.io server with `cors_allowed_origins=[]`, which turns engine.io's
origin check off: any website could open a WebSocket to the assistant in a visitor's browser.
This channel restores the check with the chat page's origins (`WEB_ORIGINS`, space-separated;
default: the page `make run` serves). Clients that send no Origin header (scripts, tests) are
unaffected, as in engine.io itself.
"""

from __future__ import annotations

import os
from typing import Any, Awaitable, Callable, List, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint


def chat_page_origins() -> List[Text] | Text:
    """The origins allowed to connect: `WEB_ORIGINS`, "*" for any, or the local chat page."""
    configured = os.environ.get("WEB_ORIGINS", "").split()
    if configured == ["*"]:
        return "*"
    if configured:
        return configured
    port = os.environ.get("WEB_PORT", "8080")
    return [f"http://localhost:{port}", f"http://127.0.0.1:{port}"]


class OriginCheckedSocketIOInput(SocketIOInput):
    """The stock socket.io channel with engine.io's origin check switched back on."""

    @classmethod
    def name(cls) -> Text:
        return "socketio"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        socketio_webhook = super().blueprint(on_new_message)
        # engine.io reads this setting on every handshake, so setting it after construction holds.
        self.sio.eio.cors_allowed_origins = chat_page_origins()
        return socketio_webhook
