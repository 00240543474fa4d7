"""Print the sign detector's latency per message (p50 / p95 over 1,000 messages).

A benchmark, not a test: it prints numbers for a person to compare with the target
(p50 under 10 ms on the 2-core development machine).
"""

import argparse
import json
import os
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
    wall, cpu = [], []
    for text in islice(cycle(texts), args.messages):
        started, started_cpu = time.perf_counter(), time.process_time()
        detect_signs(text)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    # Wall time is what a person waits; CPU time shows the detector's own cost when the
    # machine is busy with other work (compare `uptime` load with the 2 cores).
    for name, timings in (("wall", sorted(wall)), ("cpu", sorted(cpu))):
        p50 = statistics.median(timings)
        p95 = timings[int(len(timings) * 0.95) - 1]
        print(f"{name}: messages {len(timings)}  p50 {p50:.2f} ms  p95 {p95:.2f} ms  max {timings[-1]:.2f} ms")
    print(f"load average: {' '.join(f'{value:.2f}' for value in os.getloadavg())}")


if __name__ == "__main__":
    main()
