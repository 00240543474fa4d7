"""Rasa's socket.io channel, but only the chat page's origins may open a connection from a browser.

Rasa 3.6 builds its socket.io server with `cors_allowed_origins=[]`, which switches engine.io's
Origin check off: any website could open a WebSocket to the assistant in a visitor's browser.
This channel switches the check back on with the chat page's origins (`WEB_ORIGINS`,
space-separated, "*" for any; default: the page `make run` serves). Clients that send no Origin
header (scripts, tests, Telegram's fake server) are unaffected, as in engine.io itself.
"""

from __future__ import annotations

import os
from typing import Any, Awaitable, Callable, List, Text, Union

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint

WEB_ORIGINS_ENV = "WEB_ORIGINS"


def chat_page_origins() -> Union[List[Text], Text]:
    """The browser origins allowed to connect: `WEB_ORIGINS`, "*" for any, or the local chat page."""
    configured = os.environ.get(WEB_ORIGINS_ENV, "").split()
    if configured == ["*"]:
        return "*"
    if configured:
        return configured
    port = os.environ.get("WEB_PORT", "8080")
    return [f"http://localhost:{port}", f"http://127.0.0.1:{port}"]


class OriginCheckedSocketIOInput(SocketIOInput):
    """The stock socket.io channel with engine.io's Origin check switched back on."""

    @classmethod
    def name(cls) -> Text:
        return "socketio"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        socketio_webhook = super().blueprint(on_new_message)
        # engine.io reads this on every request, so setting it after construction holds.
        self.sio.eio.cors_allowed_origins = chat_page_origins()
        # Rasa's --cors already writes the CORS headers on these routes; engine.io would write a
        # second Access-Control-Allow-Origin, and browsers refuse a reply that has two.
        self.sio.eio._cors_headers = lambda environ: []
        return socketio_webhook
