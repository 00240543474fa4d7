"""Print the sign reader's latency per message (p50 / p95 over 1,000 messages) and memory.

A benchmark, not a test: it prints numbers for a person to compare with the targets (p50 under
10 ms, p95 under 25 ms on the 2-core development machine; the action server's memory grows by at
most 150 MB). Memory is the process's resident size after loading the catalogue alone, after
loading the model beside it, and after all the messages.
"""

import argparse
import os
import statistics
import sys
import time
from itertools import cycle, islice
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from actions.signs import detect_signs  # noqa: E402
from actions.signs.detector import detector  # noqa: E402
from actions.signs.evaluation import read_set  # noqa: E402
from actions.signs.model import model  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "signs_dev.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--rules-only", action="store_true", help="time the catalogue without the model")
    args = parser.parse_args()
    texts = [gold.text for gold in read_set(args.data)]
    read = detector().detect if args.rules_only else detect_signs
    started_mb = resident_mb()
    detector().detect("warm-up: loads the pipeline and compiles the catalogue")
    rules_mb = resident_mb()
    detect_signs("warm-up: loads the model")
    model_mb = resident_mb()
    if model() is None:
        print("note: no trained sign model in models/signs (make train-signs); catalogue only")
    wall, cpu = [], []
    for text in islice(cycle(texts), args.messages):
        started, started_cpu = time.perf_counter(), time.process_time()
        read(text)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    # Wall time is what a person waits; CPU time shows the detector's own cost when the
    # machine is busy with other work (compare `uptime` load with the 2 cores).
    for name, timings in (("wall", sorted(wall)), ("cpu", sorted(cpu))):
        p50 = statistics.median(timings)
        p95 = timings[int(len(timings) * 0.95) - 1]
        print(f"{name}: messages {len(timings)}  p50 {p50:.2f} ms  p95 {p95:.2f} ms  max {timings[-1]:.2f} ms")
    print(f"load average: {' '.join(f'{value:.2f}' for value in os.getloadavg())}")
    end_mb = resident_mb()
    print(
        f"memory (RSS): {started_mb:.0f} MB at start, {rules_mb:.0f} MB with the catalogue, "
        f"{model_mb:.0f} MB with the model, {end_mb:.0f} MB after the messages; "
        f"the model adds {end_mb - rules_mb:.0f} MB, the reader in all {end_mb - started_mb:.0f} MB"
    )


def resident_mb() -> float:
    """This process's resident memory (Linux /proc)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


if __name__ == "__main__":
    main()
