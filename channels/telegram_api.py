"""The Telegram Bot API as our channel, scripts and reminder push use it: settings and a small client.

Configured from the environment only (TELEGRAM_*), so nothing is called at start-up and a missing
token simply switches Telegram off.
"""

from __future__ import annotations

import asyncio
import json
import os
from dataclasses import dataclass
from typing import Any, Mapping, Optional

import aiohttp

DEFAULT_API_URL = "https://api.telegram.org"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Edited messages, channel posts and the rest are never asked for (and ignored if they come).
ALLOWED_UPDATES = ("message", "callback_query")
API_TIMEOUT_SECONDS = 20


@dataclass(frozen=True)
class TelegramSettings:
    """The four TELEGRAM_* variables; read in Python because credentials.yml's ${VAR} fails when unset."""

    token: str
    secret_token: str
    webhook_url: str
    api_url: str

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> "TelegramSettings":
        def read(name: str) -> str:
            return environ.get(name, "").strip()

        return cls(
            token=read("TELEGRAM_TOKEN"),
            secret_token=read("TELEGRAM_SECRET_TOKEN"),
            webhook_url=read("TELEGRAM_WEBHOOK_URL"),
            api_url=(read("TELEGRAM_API_URL") or DEFAULT_API_URL).rstrip("/"),
        )


class TelegramApiError(Exception):
    """A Bot API call failed; the message never contains the bot token."""

    def __init__(self, message: str, status: Optional[int] = None) -> None:
        super().__init__(message)
        self.status = status  # Telegram's HTTP status; None when no answer came


class BotApi:
    """Minimal Bot API client: JSON POSTs to {api_url}/bot{token}/{method}.

    The aiohttp session is created on first use inside the running event loop (the stock
    connector's "Event loop is closed" came from a session born in another loop).
    """

    def __init__(self, api_url: str, token: str, timeout_seconds: float = API_TIMEOUT_SECONDS) -> None:
        self._api_url = api_url.rstrip("/")
        self._token = token
        self._timeout = aiohttp.ClientTimeout(total=timeout_seconds)
        self._session: Optional[aiohttp.ClientSession] = None
        self._session_loop: Optional[asyncio.AbstractEventLoop] = None

    async def call(self, method: str, **params: Any) -> Any:
        """Call one method and return its `result`, or raise TelegramApiError."""
        return await self._post(method, json=params)

    async def upload(self, method: str, field: str, file: Upload, **params: Any) -> Any:
        """Call a method that takes a file (sendPhoto, sendDocument) with its bytes, as multipart."""
        form = aiohttp.FormData()
        for name, value in params.items():
            form.add_field(name, value if isinstance(value, str) else json.dumps(value))
        form.add_field(field, file.data, filename=file.name, content_type=file.content_type)
        return await self._post(method, data=form)

    async def _post(self, method: str, **payload: Any) -> Any:
        """POST `payload` (json= or data=) to one method and return its `result`."""
        url = f"{self._api_url}/bot{self._token}/{method}"
        try:
            async with self._current_session().post(url, **payload) as reply:
                body = await reply.json(content_type=None)
                status = reply.status
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
            raise TelegramApiError(f"{method} failed: {self._redact(f'{type(error).__name__}: {error}')}") from None
        if not isinstance(body, dict) or body.get("ok") is not True:
            description = body.get("description") if isinstance(body, dict) else None
            raise TelegramApiError(f"{method} refused ({status}): {self._redact(str(description))}", status)
        return body.get("result")

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    def _current_session(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        if self._session is None or self._session.closed or self._session_loop is not loop:
            self._session = aiohttp.ClientSession(timeout=self._timeout)
            self._session_loop = loop
        return self._session

    def _redact(self, text: str) -> str:
        return text.replace(self._token, "<token>") if self._token else text


@dataclass(frozen=True)
class Upload:
    """A file sent to Telegram by its bytes, so Telegram never has to reach our server."""

    name: str
    data: bytes
    content_type: str
