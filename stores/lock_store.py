"""Pick Rasa's lock store from `LOCK_STORE_URL`: Redis when set, in-memory otherwise.

Rasa's endpoint files cannot give an environment variable a default, so endpoints.yml names this
class and the choice happens here. Rasa's `RedisLockStore` / `InMemoryLockStore` hold the ticket
locks; this class forwards the three storage calls every ticket-lock operation goes through.

Rasa's ticket operations read a lock, change it and write it back. Within one process that is
safe (they never await in between), but two instances sharing Redis can interleave: both issue
the same ticket number, or one deletes the lock while the other waits on it, and that message is
dropped with a LockError (measured: one of ten concurrent messages for one sender went
unanswered). So with Redis each read-change-write runs under a short Redis mutex per conversation.
"""

from __future__ import annotations

import contextlib
import os
from typing import Any, ContextManager, Optional, Text
from urllib.parse import urlsplit

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, InMemoryLockStore, LockStore, RedisLockStore

LOCK_STORE_URL_ENV = "LOCK_STORE_URL"
SANIC_WORKERS_ENV = "SANIC_WORKERS"
# A ticket update is one GET and one SET: a mutex held longer than this belongs to a dead process.
MUTEX_TIMEOUT_SECONDS = 5.0
MUTEX_POLL_SECONDS = 0.005


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

    def mutex(self, conversation_id: Text) -> ContextManager[Any]:
        """Exclusive use of one conversation's ticket lock across instances (Redis only)."""
        if not isinstance(self.backend, RedisLockStore):
            return contextlib.nullcontext()
        return self.backend.red.lock(
            f"{self.backend.key_prefix}{conversation_id}:mutex",
            timeout=MUTEX_TIMEOUT_SECONDS,
            blocking_timeout=MUTEX_TIMEOUT_SECONDS,
            sleep=MUTEX_POLL_SECONDS,
        )

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        with self.mutex(conversation_id):
            return super().issue_ticket(conversation_id, lock_lifetime)

    def update_lock(self, conversation_id: Text) -> None:
        with self.mutex(conversation_id):
            super().update_lock(conversation_id)

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        # Removing the finished ticket and deleting an unused lock must be one step, or a
        # ticket issued in between finds its lock gone.
        with self.mutex(conversation_id):
            super().cleanup(conversation_id, ticket_number)
