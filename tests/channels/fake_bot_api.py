"""A fake Telegram Bot API on loopback that records every call, so Telegram tests never need the internet.

Calls come as JSON or as forms; multipart uploads (sendPhoto, sendDocument) keep their file parts as
`UploadedFile`s so tests can check the bytes that arrived.

It runs in its own thread and event loop: the tests and the Rasa server (another process) talk to it
over HTTP while pytest's own code blocks on requests.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
from dataclasses import dataclass
from typing import Any, Optional

from aiohttp import web

from tests.servers import free_port

# Bot API parameters that travel as JSON text when a client posts a form.
JSON_FIELDS = ("reply_markup", "allowed_updates")


@dataclass(frozen=True)
class ApiCall:
    token: str
    method: str
    params: dict[str, Any]

    @property
    def chat_id(self) -> Optional[str]:
        chat_id = self.params.get("chat_id")
        return None if chat_id is None else str(chat_id)


class FakeBotApi:
    """Answers {base}/bot{token}/{method} with {"ok": true, "result": ...}, like Telegram."""

    def __init__(self) -> None:
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self._calls: list[ApiCall] = []
        self._pending_updates: list[dict[str, Any]] = []
        self._failures: dict[str, int] = {}
        self._failure_status: dict[str, int] = {}
        self._lock = threading.Lock()
        self._message_ids = itertools.count(1)
        self._loop = asyncio.new_event_loop()
        self._runner: Optional[web.AppRunner] = None
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    def __enter__(self) -> "FakeBotApi":
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(timeout=30)
        return self

    def __exit__(self, *_: Any) -> None:
        asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(timeout=30)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=30)

    def calls(self, method: Optional[str] = None, chat_id: Optional[object] = None) -> list[ApiCall]:
        with self._lock:
            return [
                call
                for call in self._calls
                if (method is None or call.method == method) and (chat_id is None or call.chat_id == str(chat_id))
            ]

    def queue_updates(self, *updates: dict[str, Any]) -> None:
        """Updates that getUpdates hands out until a later offset confirms them."""
        with self._lock:
            self._pending_updates.extend(updates)

    def fail_next(self, method: str, times: int = 1, status: int = 400) -> None:
        """Make the next `times` calls of `method` fail the way Telegram refuses a request
        (403: the person blocked the bot)."""
        with self._lock:
            self._failures[method] = self._failures.get(method, 0) + times
            self._failure_status[method] = status

    async def _start(self) -> None:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()

    async def _handle(self, request: web.Request) -> web.Response:
        params = await _read_params(request)
        call = ApiCall(request.match_info["token"], request.match_info["method"], params)
        with self._lock:
            self._calls.append(call)
            failing = self._failures.get(call.method, 0)
            if failing:
                self._failures[call.method] = failing - 1
        if failing:
            status = self._failure_status.get(call.method, 400)
            return web.json_response({"ok": False, "error_code": status, "description": "made to fail"}, status=status)
        return web.json_response({"ok": True, "result": self._result(call)})

    def _result(self, call: ApiCall) -> Any:
        if call.method == "getMe":
            return {"id": int(call.token.split(":")[0]), "is_bot": True, "first_name": "Fake", "username": "fake_bot"}
        if call.method in ("sendMessage", "sendPhoto", "sendDocument"):
            return {
                "message_id": next(self._message_ids),
                "date": int(time.time()),
                "chat": {"id": int(call.params["chat_id"]), "type": "private"},
                "text": call.params.get("text", ""),
            }
        if call.method == "getUpdates":
            offset = int(call.params.get("offset") or 0)
            with self._lock:
                self._pending_updates = [u for u in self._pending_updates if u["update_id"] >= offset]
                return list(self._pending_updates)
        if call.method == "getWebhookInfo":
            return {"url": "", "has_custom_certificate": False, "pending_update_count": 0}
        return True


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart call (sendPhoto, sendDocument), as Telegram would receive it."""

    filename: str
    content_type: str
    data: bytes


async def _read_params(request: web.Request) -> dict[str, Any]:
    if request.content_type == "application/json":
        return await request.json()
    params: dict[str, Any] = {}
    for name, value in (await request.post()).items():
        if isinstance(value, web.FileField):
            value = UploadedFile(value.filename, value.content_type, value.file.read())
        params[name] = value
    for field in JSON_FIELDS:
        if isinstance(params.get(field), str):
            params[field] = json.loads(params[field])
    return params
