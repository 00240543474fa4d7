"""How fast is the assistant, next to Rasa's own starter bot on the same machine and venv?

Measures, for our assistant and for the starter bot (`rasa init`), in one run:
  * per-message latency p50/p95/p99 and throughput over REST at several numbers of concurrent
    simulated users (each its own sender id, each replaying the same realistic message mix);
  * `rasa train` from scratch (empty cache) and again with that cache (both into temp dirs);
  * server memory (RSS) after the load;
and, for ours only, the sign detector on its own and two instances sharing a PostgreSQL tracker
store and a Redis lock store (throwaway servers on loopback; each user sticks to one instance, as
behind deploy/nginx.conf). Prints a table and writes JSON to results/.

Not a test: numbers depend on the machine and on whatever else runs on it.
Usage: .venv/bin/python scripts/bench.py [--quick] [--skip-train] [--users 1,10,20,50]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

import aiohttp
import requests

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests import servers  # noqa: E402  (needs REPO on sys.path)
from tests.servers import api_token, free_port, start_assistant  # noqa: E402

RASA = str(Path(sys.executable).parent / "rasa")
RESULTS_DIR = REPO / "results"
QUIET_ENV = {
    "RASA_TELEMETRY_ENABLED": "false",
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
}
REQUEST_TIMEOUT_SECONDS = 120
START_TIMEOUT_SECONDS = 900
# Loading a model takes minutes on a busy 2-core machine; wait longer than the tests do.
servers.START_TIMEOUT_SECONDS = START_TIMEOUT_SECONDS

# What one simulated person sends, in order, again and again: small talk, a term, a situation
# for the sign analysis, coaching, a check-in started and answered by button and by words, a pause.
# Both bots get exactly these texts, so they do the same amount of NLU work.
MESSAGE_MIX = (
    "hi there",
    "what is codependency?",
    "I always put my partner's needs before mine and I can't say no to him",
    "how do I learn to say no",
    "/start_reflection",
    '/answer_reflection{"reflection_level":"3"}',
    "most of the time",
    "stop",
    "what's the difference between codependency and interdependence?",
    "my partner never asks how I am and gets angry when I see my friends",
    "thanks, that helps",
    "bye",
)


@dataclass(frozen=True)
class Profile:
    """How much load a run applies."""

    user_levels: tuple[int, ...]
    messages_per_user: Callable[[int], int]
    detector_repeats: int


FULL = Profile((1, 10, 20, 50), lambda users: {1: 60, 10: 24, 20: 16}.get(users, 12), 5)
QUICK = Profile((1, 10, 20, 50), lambda users: {1: 24, 10: 12}.get(users, 6), 1)


# --- numbers -------------------------------------------------------------------------------------

def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile; `share` in (0, 1]."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(share * len(ordered) + 0.5)))
    return ordered[rank - 1]


def latency_summary(latencies_ms: list[float], wall_seconds: float, errors: int) -> dict[str, Any]:
    return {
        "messages": len(latencies_ms),
        "errors": errors,
        "p50_ms": round(percentile(latencies_ms, 0.50), 1),
        "p95_ms": round(percentile(latencies_ms, 0.95), 1),
        "p99_ms": round(percentile(latencies_ms, 0.99), 1),
        "max_ms": round(max(latencies_ms), 1),
        "throughput_msg_s": round(len(latencies_ms) / wall_seconds, 2),
        "wall_s": round(wall_seconds, 2),
    }


def group_rss_mb(process_group: int) -> float:
    """Resident memory of every process in a process group (a server and any children), in MB."""
    total_kb = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) != process_group:
                continue
            for line in (entry / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kb += int(line.split()[1])
    return round(total_kb / 1024, 1)


# --- load ------------------------------------------------------------------------------------------

async def simulated_user(
    session: aiohttp.ClientSession, url: str, sender: str, count: int, latencies: list[float]
) -> int:
    """Send `count` messages of the mix one after another, as one person would; return errors."""
    errors = 0
    for index in range(count):
        body = {"sender": sender, "message": MESSAGE_MIX[index % len(MESSAGE_MIX)]}
        started = time.perf_counter()
        try:
            async with session.post(url, json=body) as response:
                await response.read()
                ok = response.status == 200
        except (aiohttp.ClientError, asyncio.TimeoutError):
            ok = False
        latencies.append((time.perf_counter() - started) * 1000)
        errors += 0 if ok else 1
    return errors


async def load_level(base_urls: list[str], users: int, messages_per_user: int) -> dict[str, Any]:
    """`users` people at once, user n on instance n % len(base_urls)."""
    latencies: list[float] = []
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_SECONDS)
    run_id = uuid.uuid4().hex[:6]
    async with aiohttp.ClientSession(timeout=timeout) as session:
        started = time.perf_counter()
        errors = await asyncio.gather(
            *(simulated_user(session, f"{base_urls[n % len(base_urls)]}/webhooks/rest/webhook",
                             f"bench-{run_id}-{users}-{n}", messages_per_user, latencies)
              for n in range(users))
        )
        wall = time.perf_counter() - started
    return {"users": users, **latency_summary(latencies, wall, sum(errors))}


def measure_serving(base_urls: list[str], profile: Profile, label: str) -> dict[str, Any]:
    """Cold first message (per instance), a short warm-up, then each concurrency level in turn."""
    started = time.perf_counter()
    for base_url in base_urls:
        requests.post(f"{base_url}/webhooks/rest/webhook", json={"sender": "bench-cold", "message": "hello"},
                      timeout=REQUEST_TIMEOUT_SECONDS)
    cold_ms = round((time.perf_counter() - started) * 1000 / len(base_urls), 1)
    asyncio.run(load_level(base_urls, len(base_urls), len(MESSAGE_MIX)))
    levels = []
    for users in profile.user_levels:
        level = asyncio.run(load_level(base_urls, users, profile.messages_per_user(users)))
        print(f"  {label}: {users:>2} users  p50 {level['p50_ms']:>7} ms  p95 {level['p95_ms']:>7} ms  "
              f"{level['throughput_msg_s']:>6} msg/s  errors {level['errors']}", flush=True)
        levels.append(level)
    return {"cold_first_message_ms": cold_ms, "levels": levels}


# --- servers ---------------------------------------------------------------------------------------

@contextlib.contextmanager
def serve_starter(project: Path, workdir: Path) -> Iterator[tuple[str, subprocess.Popen]]:
    """The starter bot as `rasa init` made it (its own endpoints: no action server, memory store).

    It runs with the same TensorFlow thread settings as ours (servers.SERVING_ENV), which make it
    faster too, so the ratios compare the bots and not the settings.
    """
    port, token = free_port(), api_token()
    log = (workdir / "starter-server.log").open("w")
    process = subprocess.Popen(
        [RASA, "run", "--model", "models", "--port", str(port), "--enable-api", "--auth-token", token],
        cwd=project, env={**servers.SERVING_ENV, **os.environ, **QUIET_ENV}, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base_url = f"http://localhost:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"starter server did not start; see {log.name}")
            with contextlib.suppress(requests.RequestException):
                status = requests.get(f"{base_url}/status", params={"token": token}, timeout=5)
                if status.ok and status.json().get("model_id"):
                    break
            time.sleep(1)
        yield base_url, process
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@contextlib.contextmanager
def serve_two_instances(workdir: Path) -> Iterator[list[str]]:
    """Two of ours (Rasa + action server each) on one throwaway PostgreSQL and Redis."""
    from tests.privacy.postgres import server_bin_dir, throwaway_postgres  # noqa: PLC0415
    from tests.scale.redis_server import throwaway_redis  # noqa: PLC0415

    bin_dir, redis_binary = server_bin_dir(), shutil.which("redis-server")
    if bin_dir is None or redis_binary is None:
        raise LookupError("needs the Debian packages postgresql and redis-server")
    with contextlib.ExitStack() as stack:
        database_url = stack.enter_context(throwaway_postgres(bin_dir)).new_database()
        env = {"TRACKER_DB_URL": database_url, "LOCK_STORE_URL": stack.enter_context(throwaway_redis(redis_binary))}
        instances = [stack.enter_context(start_assistant(workdir / f"instance-{name}", env=env)) for name in "ab"]
        yield [instance.rasa_url for instance in instances]


# --- training --------------------------------------------------------------------------------------

def timed_run(command: list[str], cwd: Path, cache: Path, log_path: Path) -> float:
    """Seconds a command took, with Rasa's training cache pointed at `cache`."""
    env = {**os.environ, **QUIET_ENV, "RASA_CACHE_DIRECTORY": str(cache)}
    started = time.perf_counter()
    with log_path.open("w") as log:
        finished = subprocess.run(command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
    if finished.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{log_path.read_text()[-3000:]}")
    return round(time.perf_counter() - started, 1)


def measure_training(project: Path, workdir: Path, name: str, keep_model: Path | None) -> dict[str, float]:
    """`rasa train` with an empty cache, then again reusing that cache; models go to a temp dir."""
    cache, out = workdir / f"{name}-cache", workdir / f"{name}-models"
    command = [RASA, "train", "--out", str(out), "--fixed-model-name", name]
    scratch = timed_run(command, project, cache, workdir / f"{name}-train-scratch.log")
    cached = timed_run(command, project, cache, workdir / f"{name}-train-cached.log")
    if keep_model:
        keep_model.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(out / f"{name}.tar.gz", keep_model)
    return {"train_scratch_s": scratch, "train_cached_s": cached}


def create_starter(workdir: Path) -> tuple[Path, dict[str, float]]:
    """`rasa init --no-prompt` (it trains once, from scratch), then a retrain with that cache."""
    project, cache = workdir / "starter", workdir / "starter-cache"
    project.mkdir()
    scratch = timed_run([RASA, "init", "--no-prompt", "--init-dir", str(project)], workdir, cache,
                        workdir / "starter-init.log")
    cached = timed_run([RASA, "train", "--out", str(workdir / "starter-models")], project, cache,
                       workdir / "starter-train-cached.log")
    return project, {"train_scratch_s": scratch, "train_cached_s": cached}


# --- the sign detector -----------------------------------------------------------------------------

def measure_detector(repeats: int) -> dict[str, Any] | None:
    """detect_signs on the labelled dev texts: first call (loads spaCy) and steady per-text time."""
    try:
        from actions.signs import detect_signs
    except ImportError:
        return None
    dev_set = REPO / "tests" / "data" / "signs_dev.jsonl"
    texts = [json.loads(line)["text"] for line in dev_set.read_text().splitlines() if line.strip()]
    started = time.perf_counter()
    detect_signs(texts[0])
    first_ms = (time.perf_counter() - started) * 1000
    latencies = []
    started = time.perf_counter()
    for _ in range(repeats):
        for text in texts:
            one = time.perf_counter()
            detect_signs(text)
            latencies.append((time.perf_counter() - one) * 1000)
    wall = time.perf_counter() - started
    return {
        "texts": len(texts),
        "repeats": repeats,
        "first_call_ms": round(first_ms, 1),
        "p50_ms": round(percentile(latencies, 0.5), 2),
        "p95_ms": round(percentile(latencies, 0.95), 2),
        "p99_ms": round(percentile(latencies, 0.99), 2),
        "texts_per_s": round(len(latencies) / wall, 1),
    }


# --- report ----------------------------------------------------------------------------------------

def machine() -> dict[str, Any]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory_kb = int(Path("/proc/meminfo").read_text().split()[1])
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True)
    import rasa  # noqa: PLC0415  (heavy; only for its version)

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "rasa": rasa.__version__,
        "commit": commit.stdout.strip(),
        "load_average_at_start": os.getloadavg(),
    }


def ratio(ours: float | None, base: float | None) -> float | None:
    return round(ours / base, 2) if ours and base else None


def compare(ours: dict[str, Any], starter: dict[str, Any]) -> dict[str, Any]:
    """ours / starter for every shared number (latency and memory: lower is better; throughput: higher)."""
    ratios: dict[str, Any] = {"levels": []}
    for mine, theirs in zip(ours["serving"]["levels"], starter["serving"]["levels"]):
        ratios["levels"].append({
            "users": mine["users"],
            **{key: ratio(mine[key], theirs[key]) for key in ("p50_ms", "p95_ms", "p99_ms", "throughput_msg_s")},
        })
    for key in ("train_scratch_s", "train_cached_s"):
        ratios[key] = ratio(ours.get("training", {}).get(key), starter.get("training", {}).get(key))
    ratios["rss_mb"] = ratio(ours["rss_mb"]["total"], starter["rss_mb"]["total"])
    return ratios


def print_table(report: dict[str, Any]) -> None:
    ours, starter, ratios = report["ours"], report["starter"], report["ratios"]
    print("\nserving over REST (ours | starter | ours/starter)")
    print(f"{'users':>5} {'p50 ms':>22} {'p95 ms':>22} {'p99 ms':>22} {'msg/s':>20}")
    for mine, theirs, rel in zip(ours["serving"]["levels"], starter["serving"]["levels"], ratios["levels"]):
        cells = [f"{mine[key]:>7} |{theirs[key]:>6} |{rel[key]:>5}" for key in ("p50_ms", "p95_ms", "p99_ms")]
        print(f"{mine['users']:>5} {cells[0]:>22} {cells[1]:>22} {cells[2]:>22} "
              f"{mine['throughput_msg_s']:>6} |{theirs['throughput_msg_s']:>6} |{rel['throughput_msg_s']:>5}")
    print(f"cold first message: {ours['serving']['cold_first_message_ms']} ms | "
          f"{starter['serving']['cold_first_message_ms']} ms")
    for key in ("train_scratch_s", "train_cached_s"):
        print(f"{key}: {ours.get('training', {}).get(key)} | {starter['training'].get(key)} | {ratios[key]}")
    print(f"RSS after load MB: {ours['rss_mb']} | {starter['rss_mb']} | {ratios['rss_mb']}")
    print(f"sign detector: {report.get('sign_detector')}")
    two = report.get("two_instances", {})
    if "serving" not in two:
        print(f"2 instances: skipped ({two.get('skipped')})")
        return
    print("\n2 instances on PostgreSQL + Redis (each user on one instance) | ours on 1 (SQLite)")
    print(f"{'users':>5} {'p50 ms':>16} {'p95 ms':>16} {'p99 ms':>16} {'msg/s':>14}")
    for both, single in zip(two["serving"]["levels"], ours["serving"]["levels"]):
        cells = [f"{both[key]:>7} |{single[key]:>7}" for key in ("p50_ms", "p95_ms", "p99_ms", "throughput_msg_s")]
        print(f"{both['users']:>5} {cells[0]:>16} {cells[1]:>16} {cells[2]:>16} {cells[3]:>14}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer messages per user and detector repeats")
    parser.add_argument("--skip-train", action="store_true", help="do not time our `rasa train`")
    parser.add_argument("--users", help="comma-separated concurrency levels, e.g. 1,10,50")
    parser.add_argument("--keep-model", type=Path, help="copy the model our timed training made to this path")
    args = parser.parse_args()
    profile = QUICK if args.quick else FULL
    if args.users:
        profile = Profile(tuple(int(n) for n in args.users.split(",")), profile.messages_per_user,
                          profile.detector_repeats)

    report: dict[str, Any] = {
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": machine(),
        "profile": {"users": profile.user_levels,
                    "messages_per_user": {u: profile.messages_per_user(u) for u in profile.user_levels}},
    }
    with tempfile.TemporaryDirectory(prefix="ic-bench-") as temp:
        workdir = Path(temp)
        print("sign detector alone …", flush=True)
        report["sign_detector"] = measure_detector(profile.detector_repeats)

        print("starter bot: rasa init (trains from scratch), then a cached retrain …", flush=True)
        starter_project, starter_training = create_starter(workdir)
        report["starter"] = {"training": starter_training}
        ours: dict[str, Any] = {}
        if not args.skip_train:
            print("ours: rasa train from scratch, then with cache …", flush=True)
            ours["training"] = measure_training(REPO, workdir, "ours", args.keep_model)
        report["ours"] = ours

        print("starter bot over REST …", flush=True)
        with serve_starter(starter_project, workdir) as (base_url, process):
            report["starter"]["serving"] = measure_serving([base_url], profile, "starter")
            report["starter"]["rss_mb"] = {"rasa": group_rss_mb(process.pid), "actions": 0.0}
            report["starter"]["rss_mb"]["total"] = report["starter"]["rss_mb"]["rasa"]

        print("ours over REST (model in models/, action server, SQLite tracker store) …", flush=True)
        with start_assistant(workdir / "ours-serving") as assistant:
            actions_process, rasa_process = assistant.processes
            ours["serving"] = measure_serving([assistant.rasa_url], profile, "ours")
            ours["rss_mb"] = {"rasa": group_rss_mb(rasa_process.pid), "actions": group_rss_mb(actions_process.pid)}
            ours["rss_mb"]["total"] = round(ours["rss_mb"]["rasa"] + ours["rss_mb"]["actions"], 1)

        print("ours on 2 instances (PostgreSQL tracker store, Redis lock store) …", flush=True)
        try:
            with serve_two_instances(workdir / "two-instances") as base_urls:
                report["two_instances"] = {"serving": measure_serving(base_urls, profile, "2 instances")}
        except LookupError as missing:
            report["two_instances"] = {"skipped": str(missing)}

    report["ratios"] = compare(ours, report["starter"])
    report["finished"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    report["machine"]["load_average_at_end"] = os.getloadavg()
    RESULTS_DIR.mkdir(exist_ok=True)
    out = RESULTS_DIR / f"bench-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(report, indent=2))
    (RESULTS_DIR / "bench-latest.json").write_text(json.dumps(report, indent=2))
    print_table(report)
    print(f"\nwritten: {out.relative_to(REPO)}")


if __name__ == "__main__":
    main()
