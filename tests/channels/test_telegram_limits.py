"""Telegram's door: an oversized webhook body is refused before it is read, a chat over the rate
limit is asked once to slow down, and a long message is cut with a note."""

from __future__ import annotations

import json

from rasa.core.channels.channel import UserMessage

from channels import telegram
from channels.telegram import TelegramInput
from channels.telegram_api import TelegramSettings
from reliability.door import Door
from reliability.rate_limit import MemoryWindows, RateLimiter
from reliability.settings import Limits
from tests.channels.conftest import SECRET, TOKEN, message_update, post_update
from tests.channels.fake_bot_api import FakeBotApi
from tests.servers import RunningAssistant

LIMITS = Limits(rate_limit=3, rate_limit_per_address=0)


def test_an_oversized_webhook_body_gets_413_and_nothing_is_sent(
    telegram_assistant: RunningAssistant, fake_bot_api: FakeBotApi
) -> None:
    calls_before = len(fake_bot_api.calls())
    body = message_update(77, "I feel alone " * 80_000)  # about 1 MB
    response = post_update(telegram_assistant, body)
    assert response.status_code == 413 and "error" in response.json()
    assert len(fake_bot_api.calls()) == calls_before


async def test_a_chat_over_the_limit_is_asked_once_to_slow_down(fake_bot_api: FakeBotApi, monkeypatch) -> None:
    async def never_a_crisis(_: str) -> bool:
        return False

    door = Door(LIMITS, RateLimiter(LIMITS, MemoryWindows()), never_a_crisis)
    monkeypatch.setattr(telegram, "shared_door", lambda: door)
    channel = TelegramInput(TelegramSettings(TOKEN, SECRET, "", fake_bot_api.base_url))
    read: list[str] = []

    async def rasa(message: UserMessage) -> None:
        read.append(message.text)
        await message.output_channel.send_text_message(message.sender_id, "ok")

    chat = 4242
    for n in range(6):
        await channel.receive(SECRET, json.dumps(message_update(chat, f"hello {n}")).encode(), rasa)
    await channel.api.close()
    assert read == ["hello 0", "hello 1", "hello 2"]
    sent = [call.params["text"] for call in fake_bot_api.calls("sendMessage", chat)]
    assert sent[:3] == ["ok"] * 3
    assert len(sent) == 4 and "slow down" in sent[3]
