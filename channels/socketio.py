"""Rasa's socket.io channel, but only the chat page's origins may open a connection from a browser.

Rasa 3.6 builds its socket.io server with `cors_allowed_origins=[]`, which switches engine.io's
Origin check off: any website could open a WebSocket to the assistant in a visitor's browser.
This channel switches the check back on with the chat page's origins (`WEB_ORIGINS`,
space-separated, "*" for any; default: the page `make run` serves). Clients that send no Origin
header (scripts, tests, Telegram's fake server) are unaffected, as in engine.io itself.

Every message also passes the door (reliability/door.py): rate limits per session and per client
address with one "let's slow down" note, long text cut with a note, an apology when a store is
down. A message larger than `MAX_REQUEST_BYTES` is refused with a kind reply; engine.io itself
drops packets over twice that size (its own buffer limit) before any of this runs.

Nothing can be pushed to a closed tab, so reminders that came due meanwhile are shown when the
page comes back to its stored conversation (its `session_request`), not only after a reply.
"""

from __future__ import annotations

import contextvars
import os
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text, Union

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint

from reliability.door import answer_or_apologise
from reliability.texts import say
from reliability.wiring import shared_door, show_due_reminders

WEB_ORIGINS_ENV = "WEB_ORIGINS"
# The client address of the socket.io message being handled, for the per-address rate limit.
_client_address: contextvars.ContextVar[Optional[str]] = contextvars.ContextVar("client_address", default=None)


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
        door = shared_door()

        async def through_the_door(message: UserMessage) -> None:
            await answer_or_apologise(door.receive(message, on_new_message, _client_address.get()), message)

        socketio_webhook = super().blueprint(through_the_door)
        self._guard_message_handler(door.limits.max_request_bytes)
        self._show_reminders_on_return()
        # engine.io reads this on every request, so setting it after construction holds.
        self.sio.eio.cors_allowed_origins = chat_page_origins()
        # Rasa's --cors already writes the CORS headers on these routes; engine.io would write a
        # second Access-Control-Allow-Origin, and browsers refuse a reply that has two.
        self.sio.eio._cors_headers = lambda environ: []
        return socketio_webhook

    def _guard_message_handler(self, max_bytes: int) -> None:
        """Refuse oversized messages kindly and note the client's address, around Rasa's handler."""
        namespace = self.namespace or "/"
        rasa_handler = self.sio.handlers[namespace][self.user_message_evt]
        self.sio.eio.max_http_buffer_size = 2 * max_bytes

        async def handle_message(sid: Text, data: Dict) -> None:
            text = data.get("message") if isinstance(data, dict) else None
            if not isinstance(text, str):
                return
            if len(text.encode("utf-8", "replace")) > max_bytes:
                await self.sio.emit(self.bot_message_evt, {"text": say("message_refused")}, room=sid)
                return
            _client_address.set(self._address_of(sid))
            await rasa_handler(sid, data)

        self.sio.on(self.user_message_evt, namespace=self.namespace)(handle_message)

    def _show_reminders_on_return(self) -> None:
        """After Rasa confirms a returning page's session, show the reminders that came due."""
        namespace = self.namespace or "/"
        rasa_handler = self.sio.handlers[namespace]["session_request"]

        async def session_request(sid: Text, data: Optional[Dict]) -> None:
            session = data.get("session_id") if isinstance(data, dict) else None
            returning = isinstance(session, str) and bool(session) and self.session_persistence
            await rasa_handler(sid, data)
            if returning:
                output = SocketIOOutput(self.sio, self.bot_message_evt)
                await show_due_reminders(UserMessage("", output, session, input_channel=self.name()))

        self.sio.on("session_request", namespace=self.namespace)(session_request)

    def _address_of(self, sid: Text) -> Optional[str]:
        request = (self.sio.get_environ(sid, self.namespace) or {}).get("sanic.request")
        return (request.remote_addr or request.ip) if request is not None else None
