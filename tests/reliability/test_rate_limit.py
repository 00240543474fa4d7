"""The sliding window: the first messages pass, the rest wait, and one note per pause."""

from __future__ import annotations

import shutil
from typing import Iterator

import pytest
import redis

from reliability.rate_limit import MemoryWindows, RateLimiter, RedisWindows
from reliability.settings import Limits
from tests.scale.redis_server import throwaway_redis

LIMITS = Limits(rate_limit=20, rate_limit_per_address=30, rate_window_seconds=30.0)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_twenty_messages_pass_then_the_sender_waits_for_the_oldest_to_age_out() -> None:
    clock = Clock()
    limiter = RateLimiter(LIMITS, MemoryWindows(clock))
    for _ in range(20):
        assert limiter.retry_after("ana") == 0
        clock.now += 0.5
    assert limiter.retry_after("ana") == pytest.approx(20.0)
    assert limiter.retry_after("ben") == 0, "another sender is unaffected"
    clock.now += 20.0
    assert limiter.retry_after("ana") == 0, "one message aged out of the window, so one more may pass"
    assert limiter.retry_after("ana") > 0


def test_one_address_is_limited_across_its_senders() -> None:
    limiter = RateLimiter(LIMITS, MemoryWindows(Clock()))
    answered = [limiter.retry_after(f"person-{n}", "203.0.113.7") == 0 for n in range(40)]
    assert answered.count(True) == 30
    assert limiter.retry_after("someone", "198.51.100.1") == 0


def test_zero_switches_a_limit_off() -> None:
    limiter = RateLimiter(Limits(rate_limit=0, rate_limit_per_address=0), MemoryWindows(Clock()))
    assert all(limiter.retry_after("ana", "203.0.113.7") == 0 for _ in range(500))


def test_the_sender_is_asked_to_slow_down_once_per_pause() -> None:
    clock = Clock()
    limiter = RateLimiter(LIMITS, MemoryWindows(clock))
    assert [limiter.first_refusal("ana", 10.0) for _ in range(5)] == [True, False, False, False, False]
    clock.now += 10.0
    assert limiter.first_refusal("ana", 10.0)


def test_memory_is_bounded_by_the_number_of_senders_remembered() -> None:
    windows = MemoryWindows(Clock(), max_keys=100)
    limiter = RateLimiter(LIMITS, windows)
    for n in range(1000):
        limiter.retry_after(f"person-{n}")
    assert len(windows._hits) == 100


@pytest.fixture(scope="module")
def redis_client() -> Iterator[redis.Redis]:
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is missing: install the Debian package `redis-server`")
    with throwaway_redis(binary) as url:
        yield redis.Redis.from_url(url)


def test_instances_sharing_redis_share_the_count(redis_client: redis.Redis) -> None:
    first, second = RateLimiter(LIMITS, RedisWindows(redis_client)), RateLimiter(LIMITS, RedisWindows(redis_client))
    answered = [(first if n % 2 else second).retry_after("shared-sender") == 0 for n in range(25)]
    assert answered == [True] * 20 + [False] * 5
    assert 0 < first.retry_after("shared-sender") <= 30
    assert first.first_refusal("shared-sender", 5.0) and not second.first_refusal("shared-sender", 5.0)


def test_without_redis_messages_are_let_through() -> None:
    unreachable = redis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2)
    limiter = RateLimiter(LIMITS, RedisWindows(unreachable))
    assert all(limiter.retry_after("ana") == 0 for _ in range(25))
