"""Print how long "show my progress" and "send me my summary" take inside the action server.

A benchmark, not a test: it runs the two actions as the action server does (history from the
slot, chart or documents made, files stored) on histories of 2, 10 and 30 check-ins and prints the
p50 and p95 per size, for a person to compare with the targets on the 2-core development machine:
chart + text reply p50 ≤ 300 ms, PDF summary ≤ 1 s.

    .venv/bin/python scripts/bench_progress.py [--runs 30]
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
import os
from typing import Any, Callable, List, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rasa_sdk import Tracker  # noqa: E402
from rasa_sdk.executor import CollectingDispatcher  # noqa: E402

from actions.progress.actions import ActionExportSummary, ActionShowProgress  # noqa: E402
from actions.progress.history import HISTORY_SLOT  # noqa: E402
from stores.files import FileStore  # noqa: E402
from tests.progress.histories import records  # noqa: E402

TARGETS_MS = {"chart + text": 300, "PDF summary": 1000}


def tracker(count: int) -> Tracker:
    slots = {HISTORY_SLOT: records(count)}
    events = [{"event": "user", "text": "x", "input_channel": "rest"}]
    return Tracker("bench", slots, {"text": "", "intent": {}, "entities": []}, events, False, None, {}, "action_listen")


def timed(run: Callable[[], Any], runs: int) -> Tuple[List[float], List[float]]:
    """Wall-clock and CPU milliseconds per run: on a shared machine the wall clock includes waiting
    for a core, the CPU time does not (the load average is printed with them)."""
    run()  # warm-up: imports, font cache, first figure
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        run()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        files = FileStore(Path(folder))
        actions = {"chart + text": ActionShowProgress(files), "PDF summary": ActionExportSummary(files)}
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores, {args.runs} runs each")
        print(f"{'reply':14} {'check-ins':>9} {'p50 ms':>7} {'p95 ms':>7} {'CPU p50':>8} {'target':>7}")
        for name, action in actions.items():
            for count in (2, 10, 30):
                state = tracker(count)
                wall, cpu = timed(lambda: action.run(CollectingDispatcher(), state, {}), args.runs)
                p50, p95 = statistics.median(wall), statistics.quantiles(wall, n=20)[-1]
                verdict = "ok" if p50 <= TARGETS_MS[name] else "OVER"
                print(f"{name:14} {count:9} {p50:7.0f} {p95:7.0f} {statistics.median(cpu):8.0f} {TARGETS_MS[name]:5} {verdict}")


if __name__ == "__main__":
    main()
