"""Rasa's REST channel, refusing bodies it cannot use with a clear 400 instead of a 500 or silence.

Rasa's own RestInput calls `request.json.get(...)`, so an empty body or a JSON list/string ends
in a 500, and a missing, null or non-text `message` is dropped with an empty 200. This keeps the
same URL (`/webhooks/rest/webhook`) and behaviour for every well-formed request. Bodies over
`MAX_REQUEST_BYTES` never get here (413, channels/server.py); a sender or client address over the
rate limit gets 429 with Retry-After, unless the message is a crisis (reliability/door.py).
"""

from __future__ import annotations

import json
import math
from typing import Any, Awaitable, Callable, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from reliability.wiring import shared_door


def client_address(request: Request) -> str:
    """The client's address; behind a proxy, the forwarded one when Sanic is told to trust it
    (SANIC_PROXIES_COUNT, SANIC_REAL_IP_HEADER)."""
    return request.remote_addr or request.ip


def body_problem(raw: bytes) -> Optional[str]:
    """Why a request body cannot be a message, or None when it can."""
    try:
        body: Any = json.loads(raw or b"")
    except (ValueError, UnicodeDecodeError):
        return "The body must be JSON like {\"sender\": \"me\", \"message\": \"hi\"}."
    if not isinstance(body, dict):
        return "The body must be a JSON object with a \"message\"."
    if not isinstance(body.get("message"), str):
        return "\"message\" must be text."
    if "sender" in body and not isinstance(body["sender"], str):
        return "\"sender\" must be text."
    return None


class SafeRestInput(RestInput):
    """The REST channel with input validation in front of it."""

    @classmethod
    def name(cls) -> Text:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        door = shared_door()
        blueprint = super().blueprint(door.wrap(on_new_message))

        @blueprint.middleware("request")
        async def refuse_unusable_bodies(request: Request) -> Optional[HTTPResponse]:
            if request.method != "POST" or not request.path.endswith("/webhook"):
                return None
            problem = body_problem(request.body)
            if problem:
                return response.json({"error": problem}, status=400)
            body = json.loads(request.body)
            wait = await door.over_limit(body["message"], body.get("sender") or "default", client_address(request))
            if wait > 0:
                return response.json(
                    {"error": "Too many messages; please wait a little and send the message again."},
                    status=429,
                    headers={"Retry-After": str(math.ceil(wait))},
                )
            return None

        return blueprint
