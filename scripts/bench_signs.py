"""Print the sign detector's latency per message (p50 / p95 over 1,000 messages).

A benchmark, not a test: it prints numbers for a person to compare with the target
(p50 under 10 ms on the 2-core development machine).
"""

import argparse
import json
import statistics
import sys
import time
from itertools import cycle, islice
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from actions.signs import detect_signs  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "signs_dev.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    texts = [json.loads(line)["text"] for line in args.data.read_text(encoding="utf-8").splitlines() if line.strip()]
    detect_signs("warm-up: loads the pipeline and compiles the catalogue")
    timings = []
    for text in islice(cycle(texts), args.messages):
        started = time.perf_counter()
        detect_signs(text)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p50 = statistics.median(timings)
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(f"messages: {len(timings)}  p50: {p50:.2f} ms  p95: {p95:.2f} ms  max: {timings[-1]:.2f} ms")


if __name__ == "__main__":
    main()
