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
from typing import Any, Callable, List

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


def timed(run: Callable[[], Any], runs: int) -> List[float]:
    run()  # warm-up: imports, font cache, first figure
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        files = FileStore(Path(folder))
        actions = {"chart + text": ActionShowProgress(files), "PDF summary": ActionExportSummary(files)}
        print(f"{'reply':14} {'check-ins':>9} {'p50 ms':>7} {'p95 ms':>7} {'target':>7}")
        for name, action in actions.items():
            for count in (2, 10, 30):
                state = tracker(count)
                times = timed(lambda: action.run(CollectingDispatcher(), state, {}), args.runs)
                p50, p95 = statistics.median(times), statistics.quantiles(times, n=20)[-1]
                verdict = "ok" if p50 <= TARGETS_MS[name] else "OVER"
                print(f"{name:14} {count:9} {p50:7.0f} {p95:7.0f} {TARGETS_MS[name]:5} {verdict}")


if __name__ == "__main__":
    main()
