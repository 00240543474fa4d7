"""Start the real action server and Rasa server for tests that talk to the assistant over HTTP.

Each instance gets free ports, its own SQLite tracker file, file folder and an API token, uses the trained
model in `models/` (`make test` trains before pytest runs), and is stopped with its process group.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import requests
import yaml

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
START_TIMEOUT_SECONDS = 900
# How the Makefile and deploy/Dockerfile run Rasa: one TensorFlow thread within and between ops.
SERVING_ENV = {"TF_INTRA_OP_PARALLELISM_THREADS": "1", "TF_INTER_OP_PARALLELISM_THREADS": "1"}
# Tests play many people and long conversations from one loopback address in quick succession, so
# the rate limits are lifted unless a test asks for them (tests/reliability starts its own).
TEST_LIMITS_ENV = {"RATE_LIMIT": "0", "RATE_LIMIT_PER_ADDRESS": "0"}


def api_token() -> str:
    """A random API token that never starts with "-" (argparse would take it for an option)."""
    return secrets.token_urlsafe(16).lstrip("-")


# Ports already handed out by this test process: a port is free only until its server binds it,
# so two servers started one after the other could otherwise be handed the same port.
_HANDED_OUT: set[int] = set()


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now and no other test server was given."""
    while True:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        if port not in _HANDED_OUT:
            _HANDED_OUT.add(port)
            return port


@dataclass
class RunningAssistant:
    """Addresses of one running assistant and small helpers to talk to it."""

    rasa_url: str
    actions_url: str
    token: str
    tracker_db: Path
    log_dir: Path
    files_dir: Path  # charts and summaries (FILES_DIR), shared with a chat page started for it
    processes: list[subprocess.Popen] = field(default_factory=list)
    action_server_command: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)

    def stop_action_server(self) -> None:
        """Stop the action server (the first process), as if it had crashed or been taken down."""
        _stop(self.processes[:1])

    def start_action_server(self) -> None:
        """Start the action server again on its port and wait until it answers."""
        self.processes[0] = _spawn(self.action_server_command, self.env, self.log_dir / "actions-restarted.log")
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"{self.actions_url}/health", timeout=5).ok:
                    return
            time.sleep(0.5)
        raise TimeoutError(f"action server not back after {START_TIMEOUT_SECONDS} s:\n{self.logs()}")

    def send(self, sender: str, text: str, metadata: dict | None = None) -> list[dict[str, Any]]:
        """Send one message over the REST channel and return the bot's replies."""
        body: dict[str, Any] = {"sender": sender, "message": text}
        if metadata:
            body["metadata"] = metadata
        response = requests.post(f"{self.rasa_url}/webhooks/rest/webhook", json=body, timeout=60)
        response.raise_for_status()
        return response.json()

    def tracker(self, sender: str) -> dict[str, Any]:
        """The sender's full tracker, read through the token-protected HTTP API."""
        response = requests.get(
            f"{self.rasa_url}/conversations/{sender}/tracker",
            params={"token": self.token, "include_events": "ALL"},
            timeout=30,
        )
        response.raise_for_status()
        return response.json()

    def set_slots(self, sender: str, slots: dict[str, Any]) -> None:
        """Store slot values for a sender before it says anything (what an earlier session left).

        Posted twice: Rasa stamps posted events when it reads them, before it starts the session
        of a new sender, and a session holds only events stamped after its start. The first post
        starts the session; the second stores the values inside it.
        """
        url = f"{self.rasa_url}/conversations/{sender}/tracker/events"
        events = [{"event": "slot", "name": name, "value": value} for name, value in slots.items()]
        for _ in range(2):
            response = requests.post(url, params={"token": self.token}, json=events, timeout=30)
            response.raise_for_status()

    def domain(self) -> dict[str, Any]:
        """The trained model's domain, read through the token-protected HTTP API."""
        response = requests.get(
            f"{self.rasa_url}/domain",
            params={"token": self.token},
            headers={"Accept": "application/json"},
            timeout=30,
        )
        response.raise_for_status()
        return response.json()

    def logs(self) -> str:
        """Everything both servers wrote, for failure messages."""
        return "\n".join(path.read_text(errors="replace")[-20000:] for path in sorted(self.log_dir.glob("*.log")))


def _wait_until_ready(assistant: RunningAssistant) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        for process in assistant.processes:
            if process.poll() is not None:
                raise RuntimeError(f"a server exited with {process.returncode}:\n{assistant.logs()}")
        with contextlib.suppress(requests.RequestException):
            status = requests.get(f"{assistant.rasa_url}/status", params={"token": assistant.token}, timeout=5)
            health = requests.get(f"{assistant.actions_url}/health", timeout=5)
            if status.ok and status.json().get("model_id") and health.ok:
                return
        time.sleep(1)
    raise TimeoutError(f"assistant not ready after {START_TIMEOUT_SECONDS} s:\n{assistant.logs()}")


def _spawn(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        command, cwd=REPO, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True
    )


def _stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@contextlib.contextmanager
def start_assistant(
    workdir: Path,
    credentials: dict[str, Any] | None = None,
    env: dict[str, str] | None = None,
    endpoints_overrides: dict[str, Any] | None = None,
    cors: str = "*",
) -> Iterator[RunningAssistant]:
    """Run an action server and a Rasa server until the `with` block ends.

    `credentials` replaces credentials.yml (default: the repo's file); `endpoints_overrides`
    replaces top-level sections of endpoints.yml (e.g. a PostgreSQL tracker store).
    """
    workdir.mkdir(parents=True, exist_ok=True)
    actions_port, rasa_port = free_port(), free_port()
    tracker_db = workdir / "tracker.db"

    endpoints = yaml.safe_load((REPO / "endpoints.yml").read_text())
    endpoints["action_endpoint"]["url"] = f"http://localhost:{actions_port}/webhook"
    if endpoints.get("tracker_store", {}).get("dialect") == "sqlite":
        endpoints["tracker_store"]["db"] = str(tracker_db)
    endpoints.update(endpoints_overrides or {})
    endpoints_file = workdir / "endpoints.yml"
    endpoints_file.write_text(yaml.safe_dump(endpoints))

    credentials_file = REPO / "credentials.yml"
    if credentials is not None:
        credentials_file = workdir / "credentials.yml"
        credentials_file.write_text(yaml.safe_dump(credentials))

    token = api_token()
    # The action server finds the tracker store's database (reminders are stored there) by this URL.
    same_database = {"TRACKER_DB_URL": f"sqlite:///{tracker_db}"} if "db" in endpoints.get("tracker_store", {}) else {}
    process_env = {
        **SERVING_ENV,
        **TEST_LIMITS_ENV,
        **same_database,
        **os.environ,
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "RASA_PORT": str(rasa_port),
        "ACTIONS_PORT": str(actions_port),
        # The socket.io channel admits browsers from the same origins as CORS.
        "WEB_ORIGINS": cors,
        "FILES_DIR": str(workdir / "files"),
        # The action server's partner mode keeps its tables in this same database.
        "TRACKER_DB_FILE": str(tracker_db),
        **(env or {}),
    }
    log_dir = workdir / "logs"
    log_dir.mkdir(exist_ok=True)
    commands = {
        "actions": [str(VENV_BIN / "rasa"), "run", "actions", "--port", str(actions_port)],
        "rasa": [
            str(VENV_BIN / "rasa"), "run", "--model", str(REPO / "models"),
            "--port", str(rasa_port), "--endpoints", str(endpoints_file),
            "--credentials", str(credentials_file),
            "--enable-api", "--auth-token", token, "--cors", cors,
        ],
    }
    assistant = RunningAssistant(
        rasa_url=f"http://localhost:{rasa_port}",
        actions_url=f"http://localhost:{actions_port}",
        token=token,
        tracker_db=tracker_db,
        log_dir=log_dir,
        files_dir=Path(process_env["FILES_DIR"]),
        action_server_command=commands["actions"],
        env=process_env,
    )
    try:
        for name, command in commands.items():
            assistant.processes.append(_spawn(command, process_env, log_dir / f"{name}.log"))
        _wait_until_ready(assistant)
        yield assistant
    finally:
        _stop(assistant.processes)
