"""Our replies in Telegram's shape: messages within its length limit, Rasa buttons as inline keyboards."""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from typing import Any, Optional

MESSAGE_LIMIT = 4096
CALLBACK_DATA_LIMIT = 64
REMEMBERED_LONG_PAYLOADS = 4096


def utf16_length(text: str) -> int:
    """Telegram measures message length in UTF-16 code units (an emoji can count twice)."""
    return len(text.encode("utf-16-le")) // 2


_SENTENCE = re.compile(r".*?(?:[.!?…]+[\"'”’)\]]*(?=\s|$)|\n|$)\s*", re.DOTALL)
_WORD = re.compile(r"\S+\s*|\s+")


def split_message(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Split text into messages of at most `limit`, at sentence ends where possible, then at spaces."""
    chunks: list[str] = []
    current = ""
    for piece in _pieces(text, limit):
        if current and utf16_length(current + piece.rstrip()) > limit:
            chunks.append(current.rstrip())
            current = ""
        current += piece
    if current.strip():
        chunks.append(current.rstrip())
    return [chunk for chunk in chunks if chunk.strip()]


def _pieces(text: str, limit: int) -> list[str]:
    """Sentences (with their trailing space); any sentence longer than `limit` cut into words or slices."""
    pieces: list[str] = []
    for sentence in filter(None, _SENTENCE.findall(text)):
        if utf16_length(sentence.rstrip()) <= limit:
            pieces.append(sentence)
            continue
        for word in _WORD.findall(sentence):
            while utf16_length(word.rstrip()) > limit:
                head = _longest_prefix(word, limit)
                pieces.append(head)
                word = word[len(head):]
            pieces.append(word)
    return pieces


def _longest_prefix(text: str, limit: int) -> str:
    end = min(len(text), limit)
    while utf16_length(text[:end]) > limit:
        end -= 1
    return text[:end]


class InlineKeyboards:
    """Rasa buttons as Telegram inline keyboards, one button per row.

    callback_data holds at most 64 bytes, so a longer payload is sent as a short digest and looked up
    when pressed; if the server restarted meanwhile, the pressed button's title is used instead.
    """

    def __init__(self, remembered: int = REMEMBERED_LONG_PAYLOADS) -> None:
        self._long_payloads: OrderedDict[str, str] = OrderedDict()
        self._remembered = remembered

    def build(self, buttons: list[dict[str, Any]]) -> dict[str, Any]:
        return {"inline_keyboard": [[self._button(button)] for button in buttons]}

    def payload_for(self, callback_data: str, button_title: Optional[str]) -> str:
        """The text to process when a button with this callback_data was pressed."""
        if callback_data in self._long_payloads:
            return self._long_payloads[callback_data]
        if self._is_digest(callback_data):
            return button_title or ""
        return callback_data

    def _button(self, button: dict[str, Any]) -> dict[str, Any]:
        payload = str(button.get("payload") or button.get("title") or "")
        title = str(button.get("title") or payload)
        if button.get("url"):
            return {"text": title, "url": str(button["url"])}
        return {"text": title, "callback_data": self._callback_data(payload)}

    def _callback_data(self, payload: str) -> str:
        if len(payload.encode("utf-8")) <= CALLBACK_DATA_LIMIT and not self._is_digest(payload):
            return payload
        digest = "#" + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]
        self._long_payloads[digest] = payload
        self._long_payloads.move_to_end(digest)
        while len(self._long_payloads) > self._remembered:
            self._long_payloads.popitem(last=False)
        return digest

    @staticmethod
    def _is_digest(data: str) -> bool:
        return len(data) == 33 and data.startswith("#") and all(c in "0123456789abcdef" for c in data[1:])
