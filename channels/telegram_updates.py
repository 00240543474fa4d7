"""Telegram updates as they arrive: checked for shape, de-duplicated, and turned into text for Rasa."""

from __future__ import annotations

import json
from collections import deque
from typing import Any, Mapping, Optional

REMEMBERED_UPDATES = 4096


class RecentUpdates:
    """update_ids seen lately, so a Telegram retry of the same update is processed once."""

    def __init__(self, remembered: int = REMEMBERED_UPDATES) -> None:
        self._order: deque[int] = deque()
        self._seen: set[int] = set()
        self._remembered = remembered

    def first_time(self, update_id: int) -> bool:
        if update_id in self._seen:
            return False
        self._seen.add(update_id)
        self._order.append(update_id)
        if len(self._order) > self._remembered:
            self._seen.discard(self._order.popleft())
        return True


def parse_update(body: bytes) -> Optional[dict[str, Any]]:
    """The Update object, or None when the body is not one (answered with 400)."""
    try:
        update = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(update, dict) or type(update.get("update_id")) is not int:
        return None
    message = update.get("message")
    if message is not None and not (isinstance(message, dict) and chat_id_of(message) is not None):
        return None
    query = update.get("callback_query")
    if query is not None and not (isinstance(query, dict) and isinstance(query.get("id"), str)):
        return None
    return update


def text_for_rasa(text: str, commands: Mapping[str, str]) -> str:
    """Known commands start their intent; any other leading slash is read as words, so typed text
    can never pass itself off as an intent payload (only our buttons send those)."""
    stripped = text.strip()
    if not stripped.startswith("/"):
        return stripped
    command = stripped[1:].split(maxsplit=1)[0].split("@", 1)[0].lower() if len(stripped) > 1 else ""
    return commands.get(command) or stripped.lstrip("/").strip()


def chat_id_of(message: Any) -> Optional[int]:
    chat = message.get("chat") if isinstance(message, dict) else None
    chat_id = chat.get("id") if isinstance(chat, dict) else None
    return chat_id if type(chat_id) is int else None


def pressed_title(message: dict[str, Any], callback_data: str) -> Optional[str]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard") or []
    for row in rows:
        for button in row:
            if button.get("callback_data") == callback_data:
                return button.get("text")
    return None
