"""Print how late due reminders reach Telegram (target: within 5 s of their time).

Starts the servers with a fake Bot API (loopback only), stores `--count` reminders due over the
next seconds, with `--pending` more far in the future as load, and prints each one's delay
from its due time to the fake Bot API receiving it, then the median and the worst. Real time: no
clock file.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from reminding.store import ReminderStore  # noqa: E402  (needs REPO on sys.path)
from tests.channels.conftest import telegram_env  # noqa: E402
from tests.channels.fake_bot_api import FakeBotApi  # noqa: E402
from tests.servers import start_assistant  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=20, help="reminders that come due")
    parser.add_argument("--pending", type=int, default=1000, help="reminders far ahead, as load")
    args = parser.parse_args()
    with FakeBotApi() as fake, tempfile.TemporaryDirectory() as workdir:
        with start_assistant(Path(workdir), env=telegram_env(fake.base_url)) as assistant:
            store = ReminderStore(sa.create_engine(f"sqlite:///{assistant.tracker_db}"))
            for i in range(args.pending):
                store.add(f"{900000 + i}", "telegram", "checkin", "UTC", time.time() + 30 * 86400, None, time.time())
            now = time.time()
            due = {str(100000 + i): now + 5 + i * 0.5 for i in range(args.count)}
            for chat, at in due.items():
                store.add(chat, "telegram", "checkin", "UTC", at, None, now)
            delays: dict[str, float] = {}
            deadline = max(due.values()) + 30
            while len(delays) < len(due) and time.time() < deadline:
                for call in fake.calls("sendMessage"):
                    if call.chat_id in due and call.chat_id not in delays:
                        delays[call.chat_id] = time.time() - due[call.chat_id]
                time.sleep(0.05)
    print(f"{len(delays)} of {len(due)} reminders arrived ({args.pending} more pending)")
    if delays:
        print("delays in order of due time (s):", " ".join(f"{delays[chat]:.2f}" for chat in due if chat in delays))
        values = sorted(delays.values())
        print(f"delay after the due time: median {statistics.median(values):.2f} s, worst {values[-1]:.2f} s (target 5 s)")
    sys.exit(0 if len(delays) == len(due) and max(delays.values()) <= 5 else 1)


if __name__ == "__main__":
    main()
