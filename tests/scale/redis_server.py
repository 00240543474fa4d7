"""A throwaway Redis server on loopback for tests: private port, private directory, nothing saved.

Needs the server binary (Debian package `redis-server`); callers skip when it is missing.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Iterator

import redis

from tests.servers import free_port

START_TIMEOUT_SECONDS = 30


@contextlib.contextmanager
def throwaway_redis(binary: str) -> Iterator[str]:
    """Run redis-server until the `with` block ends; yields its redis:// URL."""
    root = Path(tempfile.mkdtemp(prefix="ic-redis-"))
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(root)],
        stdout=(root / "server.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    url = f"redis://127.0.0.1:{port}/0"
    try:
        _wait_until_answering(url, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(root, ignore_errors=True)


def _wait_until_answering(url: str, process: subprocess.Popen) -> None:
    client = redis.Redis.from_url(url)
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"redis-server exited with {process.returncode}")
        with contextlib.suppress(redis.ConnectionError):
            if client.ping():
                return
        time.sleep(0.2)
    raise TimeoutError(f"redis-server not answering after {START_TIMEOUT_SECONDS} s")
