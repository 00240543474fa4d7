"""Does the reminder scheduler slow the assistant down? 20-user throughput with and without pending reminders.

Starts our servers once (REST, SQLite tracker store, the scheduler polling every second as in
production) and measures the same load as `scripts/bench.py` (its message mix, 20 simulated users)
in alternating rounds: with no reminder stored, then with `--pending` (1,000) reminders waiting in
the table, due over the next month, and so on. Alternating keeps slow drifts of a shared machine
out of the comparison. Prints each round and the median throughput ratio (target: at most a 5 %
drop). Not a test: the numbers depend on the machine and on whatever else runs on it.

Usage: .venv/bin/python scripts/bench_reminder_load.py [--rounds 3] [--pending 1000] [--users 20]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from reminding.store import ACTIVE, ensure_tables, reminders  # noqa: E402  (needs REPO on sys.path)
from scripts.bench import MESSAGE_MIX, load_level  # noqa: E402
from tests.servers import start_assistant  # noqa: E402

DAY = 86_400


def store_pending(engine: sa.engine.Engine, count: int) -> None:
    """`count` active reminders of as many people, due over the next 30 days (none during the run)."""
    now = time.time()
    rows = [
        {"sender_id": f"bench-pending-{i}", "channel": "telegram", "kind": "checkin", "zone": "UTC",
         "due_at": now + DAY + i * 30 * DAY / max(count, 1), "repeat": "weekly" if i % 3 == 0 else None,
         "status": ACTIVE, "attempts": 0, "created_at": now}
        for i in range(count)
    ]
    with engine.begin() as db:
        db.execute(reminders.insert(), rows)


def clear_pending(engine: sa.engine.Engine) -> None:
    with engine.begin() as db:
        db.execute(reminders.delete().where(reminders.c.sender_id.like("bench-pending-%")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="pairs of rounds (without, with)")
    parser.add_argument("--pending", type=int, default=1000, help="reminders pending during the 'with' rounds")
    parser.add_argument("--users", type=int, default=20, help="simulated users at once")
    parser.add_argument("--messages", type=int, default=16, help="messages per user per round")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ic-bench-reminders-") as workdir:
        with start_assistant(Path(workdir), env={"REMINDER_POLL_SECONDS": "1"}) as assistant:
            engine = sa.create_engine(f"sqlite:///{assistant.tracker_db}")
            ensure_tables(engine)
            asyncio.run(load_level([assistant.rasa_url], 2, len(MESSAGE_MIX)))  # warm-up
            throughput: dict[str, list[float]] = {"without": [], "with": []}
            for round_ in range(1, args.rounds + 1):
                for label in ("without", "with"):
                    if label == "with":
                        store_pending(engine, args.pending)
                    level = asyncio.run(load_level([assistant.rasa_url], args.users, args.messages))
                    clear_pending(engine)
                    throughput[label].append(level["throughput_msg_s"])
                    print(f"round {round_} {label:>7} {args.pending if label == 'with' else 0:>5} pending: "
                          f"{level['throughput_msg_s']:>6} msg/s  p50 {level['p50_ms']:>7} ms  "
                          f"errors {level['errors']}", flush=True)
    without, with_ = statistics.median(throughput["without"]), statistics.median(throughput["with"])
    print(f"\nmedian throughput at {args.users} users: {without:.2f} msg/s without, {with_:.2f} msg/s with "
          f"{args.pending} pending reminders: {100 * (with_ / without - 1):+.1f} % (target: no worse than -5 %)")


if __name__ == "__main__":
    main()
