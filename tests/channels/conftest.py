"""Telegram fixtures: a fake Bot API and the real assistant talking to it through our channel."""

from __future__ import annotations

import itertools
import time
from pathlib import Path
from typing import Any, Iterator, Optional

import pytest
import requests
import yaml

from tests.channels.fake_bot_api import FakeBotApi
from tests.servers import REPO, RunningAssistant, start_assistant

TOKEN = "123456:fake-token-for-tests"
SECRET = "test-secret_0123456789"
WEBHOOK_PATH = "/webhooks/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Only the channels under test, with our Telegram channel exactly as credentials.yml names it, and
# the server-wide guards (request size limit) every deployment has.
TELEGRAM_CREDENTIALS: dict[str, Any] = {
    "rest": None, "channels.telegram.TelegramInput": None, "channels.server.ServerGuards": None,
}

_update_ids = itertools.count(int(time.time()))
_message_ids = itertools.count(1)


def telegram_env(api_url: str, token: str = TOKEN) -> dict[str, str]:
    """TELEGRAM_* variables for a test server; set explicitly so a developer's own never leak in."""
    return {
        "TELEGRAM_TOKEN": token,
        "TELEGRAM_SECRET_TOKEN": SECRET,
        "TELEGRAM_WEBHOOK_URL": "https://coach.example.org/webhooks/telegram/webhook",
        "TELEGRAM_API_URL": api_url,
    }


def message_update(chat_id: int, text: Optional[str] = None, **content: Any) -> dict[str, Any]:
    """A private-chat Update the way Telegram sends it (text, or e.g. sticker={...})."""
    message: dict[str, Any] = {
        "message_id": next(_message_ids),
        "from": {"id": chat_id, "is_bot": False, "first_name": "Sam", "language_code": "en"},
        "chat": {"id": chat_id, "first_name": "Sam", "type": "private"},
        "date": int(time.time()),
        **content,
    }
    if text is not None:
        message["text"] = text
        if text.startswith("/"):
            message["entities"] = [{"offset": 0, "length": len(text.split()[0]), "type": "bot_command"}]
    return {"update_id": next(_update_ids), "message": message}


def button_press_update(chat_id: int, data: str, keyboard: dict[str, Any]) -> dict[str, Any]:
    """What Telegram sends when a person taps an inline button under one of the bot's messages."""
    return {
        "update_id": next(_update_ids),
        "callback_query": {
            "id": f"query-{next(_message_ids)}",
            "from": {"id": chat_id, "is_bot": False, "first_name": "Sam"},
            "chat_instance": "42",
            "data": data,
            "message": {
                "message_id": next(_message_ids),
                "from": {"id": 123456, "is_bot": True, "first_name": "Fake"},
                "chat": {"id": chat_id, "type": "private"},
                "date": int(time.time()),
                "text": "Where would you like to start?",
                "reply_markup": keyboard,
            },
        },
    }


def post_update(assistant: RunningAssistant, body: Any, secret: Optional[str] = SECRET) -> requests.Response:
    """POST to the running server's Telegram webhook; a dict is sent as JSON, bytes as they are."""
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers[SECRET_HEADER] = secret
    url = f"{assistant.rasa_url}{WEBHOOK_PATH}"
    if isinstance(body, bytes):
        return requests.post(url, data=body, headers=headers, timeout=120)
    return requests.post(url, json=body, headers=headers, timeout=120)


def domain_responses() -> dict[str, list[dict[str, Any]]]:
    """Every response variation in domain/, to recognise what the bot said."""
    responses: dict[str, list[dict[str, Any]]] = {}
    for path in sorted((REPO / "domain").glob("*.yml")):
        responses.update((yaml.safe_load(path.read_text()) or {}).get("responses", {}))
    return responses


@pytest.fixture(scope="session")
def fake_bot_api() -> Iterator[FakeBotApi]:
    with FakeBotApi() as fake:
        yield fake


@pytest.fixture(scope="session")
def telegram_assistant(tmp_path_factory: pytest.TempPathFactory, fake_bot_api: FakeBotApi) -> Iterator[RunningAssistant]:
    """The real action server + Rasa server with our Telegram channel pointed at the fake Bot API."""
    with start_assistant(
        Path(tmp_path_factory.mktemp("telegram")),
        credentials=TELEGRAM_CREDENTIALS,
        env=telegram_env(fake_bot_api.base_url),
    ) as running:
        yield running
