"""The chat page's channel against the real servers: a long message is cut with a note, and a
flood gets one "let's slow down" instead of one note per unread message."""

from __future__ import annotations

import time
from typing import Iterator

import pytest
from tests.channels.chat_page import ChatPage
from tests.servers import RunningAssistant


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
