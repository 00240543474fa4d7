"""Nothing Telegram-related may stop the Rasa server from starting or serving the other channels."""

from __future__ import annotations

from pathlib import Path

import requests

from tests.channels.conftest import TELEGRAM_CREDENTIALS, TOKEN, message_update, post_update, telegram_env
from tests.channels.fake_bot_api import FakeBotApi
from tests.servers import RunningAssistant, free_port, start_assistant


def channel_status(assistant: RunningAssistant) -> dict:
    reply = requests.get(f"{assistant.rasa_url}/webhooks/telegram/", timeout=30)
    reply.raise_for_status()
    return reply.json()


def test_telegram_unreachable_at_start_up_still_serves_rest(tmp_path: Path) -> None:
    closed_port = free_port()
    with start_assistant(tmp_path, credentials=TELEGRAM_CREDENTIALS, env=telegram_env(f"http://127.0.0.1:{closed_port}")) as running:
        assert running.send("rest-user", "hello")
        assert channel_status(running)["enabled"] is True
        # Answering fails too: logged, and still 200 so Telegram would not retry forever.
        assert post_update(running, message_update(5, "/start")).status_code == 200
        assert running.send("rest-user", "help")
        logs = running.logs()
    assert "Handling Telegram update" in logs
    assert TOKEN not in logs


def test_without_a_token_the_channel_is_off_and_the_server_is_fine(tmp_path: Path, fake_bot_api: FakeBotApi) -> None:
    calls_before = len(fake_bot_api.calls())
    env = {**telegram_env(fake_bot_api.base_url), "TELEGRAM_TOKEN": ""}
    with start_assistant(tmp_path, credentials=TELEGRAM_CREDENTIALS, env=env) as running:
        assert running.send("rest-user", "hello")
        assert channel_status(running)["enabled"] is False
        assert post_update(running, message_update(6, "/start")).status_code == 404
    assert len(fake_bot_api.calls()) == calls_before
