"""Time a fresh clone's way to its first reply, as a new person would go: `make run`, then "hi".

Clones this repository's HEAD into a temporary directory, with empty package caches (a fresh
machine has none), runs `make run` on free ports, and when the page is ready sends one message
over REST. Then it stops everything and runs `make run` again with nothing changed (the warm path).
Prints how long each step took and the totals against the targets (README, "Set-up time").

    .venv/bin/python scripts/time_setup.py            # about 5 minutes on a 2-core machine
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Optional

REPO = Path(__file__).resolve().parent.parent
# Lines `make run` prints when a step starts (Makefile), and when the page is ready (scripts/wait_until_ready.py).
STEP_MARKERS = {
    "▸ Setting up Python packages": "install Python packages",
    "▸ Training the assistant": "train",
    "▸ Installing the chat widget": "install the chat widget",
    "▸ Starting": "start the servers",
}
READY_MARKER = "Interdependence Coach is ready"
COLD_TARGET_SECONDS = 5 * 60
WARM_TARGET_SECONDS = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def first_reply(rasa_port: int, timeout: float = 60) -> str:
    """The assistant's first reply to "hi" over REST."""
    body = json.dumps({"sender": "time-setup", "message": "hi"}).encode()
    request = urllib.request.Request(
        f"http://localhost:{rasa_port}/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        replies = json.load(response)
    return " / ".join(reply.get("text", "") for reply in replies)


class MakeRun:
    """`make run` in a clone, its output echoed with elapsed seconds, its steps timed."""

    def __init__(self, clone: Path, env: dict[str, str]) -> None:
        self.started = time.monotonic()
        self.steps: list[tuple[str, float]] = []
        self.ready_at: Optional[float] = None
        self.ready = threading.Event()
        self.process = subprocess.Popen(
            ["make", "run"], cwd=clone, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, errors="replace", start_new_session=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            elapsed = time.monotonic() - self.started
            print(f"[{elapsed:6.1f} s] {line.rstrip()}"[:200], flush=True)
            for marker, step in STEP_MARKERS.items():
                if marker in line and step not in (name for name, _ in self.steps):
                    self.steps.append((step, elapsed))
            if READY_MARKER in line and self.ready_at is None:
                self.ready_at = elapsed
                self.ready.set()
        self.ready.set()

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def timed_run(clone: Path, env: dict[str, str], label: str) -> dict:
    """One `make run` until the first reply; its step times."""
    print(f"\n=== {label}: make run in {clone}", flush=True)
    run = MakeRun(clone, env)
    try:
        run.ready.wait(timeout=40 * 60)
        if run.ready_at is None:
            raise SystemExit(f"{label}: `make run` never said it was ready (exit code {run.process.poll()}).")
        reply = first_reply(int(env["RASA_PORT"]))
        total = time.monotonic() - run.started
    finally:
        run.stop()
    return {"steps": run.steps, "ready": run.ready_at, "first_reply": total, "reply": reply}


def report(label: str, timing: dict, target: float) -> bool:
    print(f"\n{label}")
    # Each step lasts until the next begins; the last one is answering "hi" once the page is ready.
    marks = timing["steps"] + [("answer the first message", timing["ready"]), ("end", timing["first_reply"])]
    for (step, began), (_, ended) in zip(marks, marks[1:]):
        print(f"  {step:28} {ended - began:7.1f} s")
    met = timing["first_reply"] <= target
    print(f"  {'clone to first reply':28} {timing['first_reply']:7.1f} s   target ≤ {target:.0f} s: {'met' if met else 'NOT met'}")
    print(f"  reply: {timing['reply'][:100]}")
    return met


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the clone (its path is printed)")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="ic-time-setup-"))
    clone = workdir / "clone"
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(clone)], check=True)
    env = {key: value for key, value in os.environ.items() if not key.startswith(("VIRTUAL_ENV", "TF_", "TRAIN_"))}
    env.update(
        UV_CACHE_DIR=str(workdir / "uv-cache"), PIP_NO_CACHE_DIR="1", npm_config_cache=str(workdir / "npm-cache"),
        RASA_PORT=str(free_port()), ACTIONS_PORT=str(free_port()), WEB_PORT=str(free_port()),
    )
    cold = timed_run(clone, env, "fresh clone")
    warm = timed_run(clone, env, "second make run, nothing changed")
    print(f"\nMachine: {os.cpu_count()} cores; commit {subprocess.run(['git', 'rev-parse', '--short', 'HEAD'], cwd=clone, capture_output=True, text=True).stdout.strip()}")
    cold_met = report("Fresh clone (empty package caches)", cold, COLD_TARGET_SECONDS)
    warm_met = report("Warm path (second make run)", warm, WARM_TARGET_SECONDS)
    if not args.keep:
        subprocess.run(["rm", "-rf", str(workdir)], check=False)
    else:
        print(f"\nClone kept in {clone}")
    sys.exit(0 if cold_met and warm_met else 1)


if __name__ == "__main__":
    main()
