"""Pick Rasa's lock store from `LOCK_STORE_URL`: Redis when set, in-memory otherwise.

Rasa's endpoint files cannot give an environment variable a default, so endpoints.yml names this
class and the choice happens here. Rasa's `RedisLockStore` / `InMemoryLockStore` do the locking;
this class only forwards the three storage calls every ticket-lock operation goes through.
"""

from __future__ import annotations

import os
from typing import Any, Optional, Text
from urllib.parse import urlsplit

from rasa.core.lock import TicketLock
from rasa.core.lock_store import InMemoryLockStore, LockStore, RedisLockStore

LOCK_STORE_URL_ENV = "LOCK_STORE_URL"
SANIC_WORKERS_ENV = "SANIC_WORKERS"


def redis_lock_store(url: Text) -> RedisLockStore:
    """A `RedisLockStore` for a URL like redis://[:password@]host:6379/0 (rediss:// for TLS)."""
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss") or not parts.hostname:
        raise ValueError(f"{LOCK_STORE_URL_ENV} must look like redis://host:6379/0")
    database = parts.path.lstrip("/")
    return RedisLockStore(
        host=parts.hostname,
        port=parts.port or 6379,
        db=int(database) if database else 0,
        username=parts.username or None,
        password=parts.password or None,
        use_ssl=parts.scheme == "rediss",
    )


class EnvLockStore(LockStore):
    """Redis locks when LOCK_STORE_URL is set (needed for several instances), else in-memory."""

    def __init__(self, endpoint_config: Optional[Any] = None) -> None:
        url = os.environ.get(LOCK_STORE_URL_ENV, "").strip()
        if not url and int(os.environ.get(SANIC_WORKERS_ENV, "1")) > 1:
            # Rasa cannot see which lock store this class picks, so it would allow several
            # workers sharing in-memory locks; refuse instead of mixing up conversations.
            raise ValueError(f"{SANIC_WORKERS_ENV} > 1 needs a shared lock store: set {LOCK_STORE_URL_ENV}")
        self.backend: LockStore = redis_lock_store(url) if url else InMemoryLockStore()
        super().__init__()

    def get_lock(self, conversation_id: Text) -> Optional[TicketLock]:
        return self.backend.get_lock(conversation_id)

    def delete_lock(self, conversation_id: Text) -> None:
        self.backend.delete_lock(conversation_id)

    def save_lock(self, lock: TicketLock) -> None:
        self.backend.save_lock(lock)
