"""Whether each part the assistant needs can be reached right now, for load balancers and people.

Each check is bounded in time, so a hung database makes the report say "unreachable" rather than
making the report hang too.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Awaitable, Callable, Dict, Optional
from urllib.parse import urlsplit, urlunsplit

import aiohttp
import sqlalchemy as sa
from rasa.core.lock_store import RedisLockStore

logger = logging.getLogger(__name__)

CHECK_TIMEOUT_SECONDS = 3.0


def _unwrap(store: Any) -> Any:
    """The store doing the work: Rasa wraps ours (fail-safe, awaitable), ours may wrap Rasa's (backend)."""
    while hasattr(store, "_tracker_store"):
        store = store._tracker_store
    return getattr(store, "backend", store)


def _ping_database(store: Any) -> None:
    with store.engine.connect() as connection:
        connection.execute(sa.text("SELECT 1"))


def _ping_lock_store(store: Any) -> None:
    if isinstance(store, RedisLockStore):
        store.red.ping()


async def _in_thread(check: Callable[[Any], None], store: Any) -> None:
    await asyncio.wait_for(asyncio.get_running_loop().run_in_executor(None, check, store), CHECK_TIMEOUT_SECONDS)


def action_server_health_url(webhook_url: str) -> str:
    """The action server's /health next to its /webhook."""
    parts = urlsplit(webhook_url)
    return urlunsplit((parts.scheme, parts.netloc, "/health", "", ""))


async def _ping_action_server(endpoint: Any) -> None:
    timeout = aiohttp.ClientTimeout(total=CHECK_TIMEOUT_SECONDS)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        async with session.get(action_server_health_url(endpoint.url)) as reply:
            reply.raise_for_status()


async def _reachable(name: str, check: Awaitable[None]) -> bool:
    try:
        await check
        return True
    except Exception as error:
        logger.warning("Health: %s is unreachable (%s: %s).", name, type(error).__name__, error)
        return False


async def report(agent: Optional[Any]) -> Dict[str, Any]:
    """{"status": "ok" | "degraded", "model": bool, "tracker_store": bool, "lock_store": bool,
    "action_server": bool}; "degraded" when any part is down."""
    if agent is None or not agent.is_ready():
        parts = {"model": False, "tracker_store": False, "lock_store": False, "action_server": False}
    else:
        tracker_store, lock_store = _unwrap(agent.tracker_store), _unwrap(agent.lock_store)
        endpoint = agent.action_endpoint
        checks = {
            "tracker_store": _in_thread(_ping_database, tracker_store) if hasattr(tracker_store, "engine") else asyncio.sleep(0),
            "lock_store": _in_thread(_ping_lock_store, lock_store),
            "action_server": _ping_action_server(endpoint) if endpoint else asyncio.sleep(0),
        }
        results = await asyncio.gather(*(_reachable(name, check) for name, check in checks.items()))
        parts = {"model": True, **dict(zip(checks, results))}
    return {"status": "ok" if all(parts.values()) else "degraded", **parts}
