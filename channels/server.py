"""Server-wide guards, listed in credentials.yml like a channel so every `rasa run` gets them.

- Sanic's request limit is `MAX_REQUEST_BYTES` (default 64 KB): a larger body on any route is
  refused with a JSON 413 before it is read (Sanic's default was 100 MB).
- Failed, slow or unreachable custom actions end the turn with an apology (reliability/action_guard).
- Failures of the tracker store reach the person as an apology instead of Rasa's silent in-memory
  fallback, which forgot the conversation for that turn (reliability/door).
- `GET /health` reports whether the model, tracker store, lock store and action server can be
  reached: 200 when all can, 503 otherwise.
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, Sanic, response
from sanic.exceptions import PayloadTooLarge
from sanic.request import Request
from sanic.response import HTTPResponse

from reliability import action_guard, health
from reliability.settings import Limits


class ServerGuards(InputChannel):
    """Not a way to chat: the limits, fault handling and health report of the whole server."""

    @classmethod
    def name(cls) -> Text:
        return "server"

    def url_prefix(self) -> Text:
        # Rasa mounts channels under /webhooks/; an absolute prefix puts the report at /health.
        return "/health"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        limits = Limits.from_env()
        guards = Blueprint("server_guards", __name__)

        @guards.route("", methods=["GET"])
        async def health_report(request: Request) -> HTTPResponse:
            report = await health.report(getattr(request.app.ctx, "agent", None))
            return response.json(report, status=200 if report["status"] == "ok" else 503)

        @guards.listener("before_server_start")
        async def apply_limits(app: Sanic, _: Any) -> None:
            app.config.REQUEST_MAX_SIZE = limits.max_request_bytes
            app.error_handler.add(PayloadTooLarge, too_large)
            action_guard.install(limits)

        async def too_large(request: Request, _: Exception) -> HTTPResponse:
            return response.json(
                {"error": f"The request is larger than {limits.max_request_bytes} bytes; send a shorter message."},
                status=413,
            )

        return guards
