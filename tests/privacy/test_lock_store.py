"""LOCK_STORE_URL picks Rasa's Redis lock store; without it conversations lock in memory."""

import pytest
from rasa.core.lock_store import InMemoryLockStore, RedisLockStore

from stores.lock_store import EnvLockStore


def test_without_a_url_locks_stay_in_memory_and_still_work(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LOCK_STORE_URL", raising=False)
    store = EnvLockStore()
    assert isinstance(store.backend, InMemoryLockStore)

    ticket = store.issue_ticket("someone")
    assert store.backend.get_lock("someone") is not None
    store.cleanup("someone", ticket)
    assert store.get_lock("someone") is None


def test_a_redis_url_selects_rasas_redis_lock_store(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOCK_STORE_URL", "redis://:s3cret@cache.internal:6380/2")
    store = EnvLockStore()

    assert isinstance(store.backend, RedisLockStore)
    connection = store.backend.red.connection_pool.connection_kwargs
    assert (connection["host"], connection["port"], connection["db"], connection["password"]) == (
        "cache.internal",
        6380,
        2,
        "s3cret",
    )


def test_a_url_that_is_not_redis_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOCK_STORE_URL", "postgresql://db:5432/locks")
    with pytest.raises(ValueError, match="LOCK_STORE_URL"):
        EnvLockStore()


def test_several_workers_without_a_shared_lock_store_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LOCK_STORE_URL", raising=False)
    monkeypatch.setenv("SANIC_WORKERS", "4")
    with pytest.raises(ValueError, match="LOCK_STORE_URL"):
        EnvLockStore()
