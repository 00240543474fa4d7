"""The limits, read from the environment once per process (README, "Limits and faults")."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Mapping


def _number(environ: Mapping[str, str], name: str, default: float) -> float:
    raw = environ.get(name, "").strip()
    try:
        value = float(raw) if raw else default
    except ValueError:
        raise ValueError(f"{name} must be a number, got {raw!r}") from None
    if value < 0:
        raise ValueError(f"{name} must not be negative, got {raw!r}")
    return value


@dataclass(frozen=True)
class Limits:
    """Every bound in one place; 0 for a rate limit switches it off."""

    max_request_bytes: int = 64 * 1024
    max_message_characters: int = 4000
    rate_limit: int = 20
    rate_limit_per_address: int = 100
    rate_window_seconds: float = 30.0
    action_timeout_seconds: float = 10.0

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> "Limits":
        defaults = cls()
        return cls(
            max_request_bytes=int(_number(environ, "MAX_REQUEST_BYTES", defaults.max_request_bytes)),
            max_message_characters=int(_number(environ, "MAX_MESSAGE_CHARACTERS", defaults.max_message_characters)),
            rate_limit=int(_number(environ, "RATE_LIMIT", defaults.rate_limit)),
            rate_limit_per_address=int(_number(environ, "RATE_LIMIT_PER_ADDRESS", defaults.rate_limit_per_address)),
            rate_window_seconds=_number(environ, "RATE_LIMIT_WINDOW_SECONDS", defaults.rate_window_seconds),
            action_timeout_seconds=_number(environ, "ACTION_TIMEOUT_SECONDS", defaults.action_timeout_seconds),
        )
