"""Rasa's ticket locks on a shared Redis, taken by two instances at once, never drop a message.

Each "instance" is a thread with its own event loop and its own lock store (its own Redis
connection), as two Rasa processes would be; both handle messages of one sender concurrently.
"""

from __future__ import annotations

import asyncio
import threading

import pytest
from rasa.core.lock_store import LockError

from stores.lock_store import EnvLockStore

INSTANCES = 2
MESSAGES_PER_INSTANCE = 8
ROUNDS = 5
# Rasa's waiting loop never ends when a lost ticket leaves a lock nobody deletes; give up instead.
ROUND_TIMEOUT_SECONDS = 30


class Turnstile:
    """Counts messages inside the lock at once, handled messages and lock errors."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self.inside = 0
        self.most_inside = 0
        self.handled = 0
        self.lock_errors = 0
        self.timed_out = 0

    def enter(self) -> None:
        with self._guard:
            self.inside += 1
            self.most_inside = max(self.most_inside, self.inside)

    def leave(self) -> None:
        with self._guard:
            self.inside -= 1
            self.handled += 1

    def refused(self) -> None:
        with self._guard:
            self.lock_errors += 1

    def gave_up(self) -> None:
        with self._guard:
            self.timed_out += 1


def run_instance(conversation: str, turnstile: Turnstile) -> None:
    store = EnvLockStore()

    async def handle() -> None:
        try:
            async with store.lock(conversation, wait_time_in_seconds=0.005):
                turnstile.enter()
                await asyncio.sleep(0.002)
                turnstile.leave()
        except LockError:
            turnstile.refused()

    async def handle_all() -> None:
        try:
            await asyncio.wait_for(
                asyncio.gather(*(handle() for _ in range(MESSAGES_PER_INSTANCE))), ROUND_TIMEOUT_SECONDS
            )
        except asyncio.TimeoutError:
            turnstile.gave_up()

    asyncio.run(handle_all())


@pytest.mark.parametrize("round_number", range(ROUNDS))
def test_two_instances_handle_one_senders_messages_one_at_a_time_and_drop_none(
    redis_url: str, monkeypatch: pytest.MonkeyPatch, round_number: int
) -> None:
    monkeypatch.setenv("LOCK_STORE_URL", redis_url)
    turnstile = Turnstile()
    conversation = f"shared-sender-{round_number}"
    threads = [
        threading.Thread(target=run_instance, args=(conversation, turnstile), daemon=True) for _ in range(INSTANCES)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=ROUND_TIMEOUT_SECONDS + 10)

    assert turnstile.timed_out == 0, "a message waited for its turn forever"
    assert turnstile.lock_errors == 0, "a message was refused its turn"
    assert turnstile.handled == INSTANCES * MESSAGES_PER_INSTANCE
    assert turnstile.most_inside == 1, "two messages of one sender were handled at once"
    assert EnvLockStore().get_lock(conversation) is None, "the lock outlived its last message"
