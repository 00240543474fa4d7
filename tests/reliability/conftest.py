"""An assistant of its own for the fault tests: the real limits (other tests lift them), and an
action server and tracker database these tests may take away and give back."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import pytest
import requests
from requests.adapters import HTTPAdapter

from tests.servers import RunningAssistant, start_assistant

# Empty means "the default" (reliability/settings.py): RATE_LIMIT 20, RATE_LIMIT_PER_ADDRESS 100.
REAL_LIMITS = {"RATE_LIMIT": "", "RATE_LIMIT_PER_ADDRESS": ""}


@pytest.fixture(scope="package")
def fragile_assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningAssistant]:
    with start_assistant(Path(tmp_path_factory.mktemp("fragile")), env=REAL_LIMITS) as running:
        running.rasa_url = running.rasa_url.replace("localhost", "127.0.0.1")
        yield running


class FromAddress(HTTPAdapter):
    """Connections from one loopback address, so each test is its own client for the address limit."""

    def __init__(self, source: str) -> None:
        self.source = source
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["source_address"] = (self.source, 0)
        super().init_poolmanager(*args, **kwargs)


class Client:
    """Sends REST messages from one loopback address."""

    _next = iter(range(2, 250))

    def __init__(self, assistant: RunningAssistant) -> None:
        self.assistant = assistant
        self.session = requests.Session()
        self.session.mount("http://", FromAddress(f"127.0.0.{next(self._next)}"))

    def post(self, sender: str, text: str) -> requests.Response:
        return self.session.post(
            f"{self.assistant.rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60
        )

    def texts(self, sender: str, text: str) -> list[str]:
        response = self.post(sender, text)
        assert response.status_code == 200, f"{response.status_code}: {response.text[:300]}"
        return [reply.get("text") or "" for reply in response.json()]


@pytest.fixture
def client(fragile_assistant: RunningAssistant) -> Client:
    return Client(fragile_assistant)
