"""The socket.io channel refuses a message too large to read with a kind reply, never a silence."""

from __future__ import annotations

from typing import Any

from rasa.core.channels.channel import UserMessage

from channels.socketio import OriginCheckedSocketIOInput


async def test_an_oversized_message_gets_a_kind_refusal_and_is_not_read(monkeypatch) -> None:
    read: list[UserMessage] = []
    emitted: list[tuple[str, Any, Any]] = []

    async def rasa(message: UserMessage) -> None:
        read.append(message)

    channel = OriginCheckedSocketIOInput(session_persistence=True)
    channel.blueprint(rasa)

    async def emit(event: str, data: Any, room: Any = None, **_: Any) -> None:
        emitted.append((event, data, room))

    monkeypatch.setattr(channel.sio, "emit", emit)
    handler = channel.sio.handlers["/"]["user_uttered"]
    await handler("sid-1", {"message": "I feel alone. " * 10_000, "session_id": "s-1"})  # 140 KB

    assert read == []
    assert len(emitted) == 1
    event, data, room = emitted[0]
    assert (event, room) == ("bot_uttered", "sid-1") and "too long" in data["text"]
    assert channel.sio.eio.max_http_buffer_size == 2 * 64 * 1024
