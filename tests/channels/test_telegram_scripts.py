"""`make telegram-webhook` and `make telegram-poll` against the fake Bot API."""

from __future__ import annotations

import subprocess
import sys
from urllib.parse import urlparse

import pytest

from tests.channels.conftest import SECRET, TOKEN, message_update, telegram_env
from tests.channels.fake_bot_api import FakeBotApi
from tests.servers import REPO, RunningAssistant


def run_script(name: str, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(REPO / "scripts" / name), *args],
        env={"PATH": "/usr/bin:/bin", **env}, capture_output=True, text=True, timeout=180,
    )


def test_webhook_script_registers_url_secret_and_update_kinds(fake_bot_api: FakeBotApi) -> None:
    env = telegram_env(fake_bot_api.base_url)
    done = run_script("telegram_webhook.py", env)
    assert done.returncode == 0, done.stderr
    registered = fake_bot_api.calls("setWebhook")[-1]
    assert registered.token == TOKEN
    assert registered.params == {
        "url": env["TELEGRAM_WEBHOOK_URL"],
        "secret_token": SECRET,
        "allowed_updates": ["message", "callback_query"],
        "drop_pending_updates": True,
    }
    assert TOKEN not in done.stdout + done.stderr and SECRET not in done.stdout + done.stderr


@pytest.mark.parametrize(
    "override",
    [{"TELEGRAM_TOKEN": ""}, {"TELEGRAM_SECRET_TOKEN": ""}, {"TELEGRAM_SECRET_TOKEN": "has spaces"},
     {"TELEGRAM_WEBHOOK_URL": "http://coach.example.org/webhooks/telegram/webhook"}],
    ids=["no token", "no secret", "bad secret", "not https"],
)
def test_webhook_script_refuses_an_incomplete_setup_without_calling_telegram(
    fake_bot_api: FakeBotApi, override: dict[str, str]
) -> None:
    calls_before = len(fake_bot_api.calls())
    done = run_script("telegram_webhook.py", {**telegram_env(fake_bot_api.base_url), **override})
    assert done.returncode != 0
    assert "Webhook not registered" in done.stderr
    assert len(fake_bot_api.calls()) == calls_before


def test_poll_script_forwards_updates_to_the_running_webhook(
    telegram_assistant: RunningAssistant, fake_bot_api: FakeBotApi
) -> None:
    chat = 770_000_001
    update = message_update(chat, "/start")
    fake_bot_api.queue_updates(update)
    env = {**telegram_env(fake_bot_api.base_url), "RASA_PORT": str(urlparse(telegram_assistant.rasa_url).port)}
    done = run_script("telegram_poll.py", env, "--once")
    assert done.returncode == 0, done.stderr
    assert fake_bot_api.calls("deleteWebhook")
    assert fake_bot_api.calls("getUpdates")[-1].params["offset"] == update["update_id"] + 1
    sent = fake_bot_api.calls("sendMessage", chat)
    assert len(sent) == 2 and "inline_keyboard" in sent[-1].params["reply_markup"]
