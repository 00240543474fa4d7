"""Fixtures shared by the scale-out tests."""

from __future__ import annotations

import shutil
from typing import Iterator

import pytest

from tests.scale.redis_server import throwaway_redis


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    """A throwaway Redis on loopback for one test module; skipped when redis-server is missing."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is missing: install the Debian package `redis-server`")
    with throwaway_redis(binary) as url:
        yield url
