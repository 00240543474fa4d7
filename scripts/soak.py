"""Soak: simulated people chat for minutes while the action server restarts once; nothing may be lost.

Starts its own action server and Rasa server on loopback (tests/servers.py, a fresh SQLite store),
then `--users` simulated people each send the benchmark's message mix (scripts/bench.py) with a
pause between messages, plus `--bad-share` bad input (oversized bodies, broken JSON, very long or
meaningless text). Halfway through, the action server is stopped and started again. Bounded by
`--minutes` and `--max-messages`. Not part of `make test`.

Prints: messages sent and replies received, 5xx count, messages lost (answered 200 but absent from
the tracker), bad requests refused with a 4xx, and the RSS of both servers at start and end.

    .venv/bin/python scripts/soak.py                 # 20 users, 10 minutes
    .venv/bin/python scripts/soak.py --minutes 1     # a smoke run
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from pathlib import Path

import aiohttp

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from scripts.bench import MESSAGE_MIX, group_rss_mb  # noqa: E402  (needs REPO on sys.path)
from tests.servers import RunningAssistant, start_assistant  # noqa: E402

# The real per-sender limit; the per-address one is off, since every simulated person shares loopback.
SOAK_ENV = {"RATE_LIMIT": "", "RATE_LIMIT_PER_ADDRESS": "0"}
BAD_BODIES = (
    lambda sender: json.dumps({"sender": sender, "message": "x" * 100_000}).encode(),  # over 64 KB: 413
    lambda sender: b'{"sender": "' + sender.encode() + b'", "message": "unfinished',  # broken JSON: 400
)
# Both apologies (action server, tracker store) say it (reliability/texts.yml).
APOLOGY = "try again in a minute"
BAD_MESSAGES = ("I feel torn. " * 500, "😢😢😢", "\u0000\u0007 hi \u202e", '/no_such_intent{"a": 1}')


class Tally:
    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.answered: defaultdict[str, int] = defaultdict(int)  # sender -> messages answered with 200


async def post(session: aiohttp.ClientSession, url: str, body: bytes, tally: Tally, sender: str, counted: bool) -> None:
    try:
        async with session.post(url, data=body, headers={"Content-Type": "application/json"}) as reply:
            status = reply.status
            replies = await reply.json(content_type=None) if status == 200 else None
    except (aiohttp.ClientError, asyncio.TimeoutError):
        tally.counts["no answer (connection error or timeout)"] += 1
        return
    if status >= 500:
        tally.counts["5xx"] += 1
    elif status == 429:
        tally.counts["429 (rate limited)"] += 1
    elif 400 <= status < 500:
        tally.counts["bad requests refused with a 4xx"] += 1
    elif counted:
        tally.counts["messages sent"] += 1
        tally.answered[sender] += 1
        tally.counts["replies received" if replies else "answered with nothing"] += 1
        if any(APOLOGY in (reply.get("text") or "") for reply in replies or []):
            tally.counts["replies that were an apology (a part was down)"] += 1


async def person(url: str, deadline: float, budget: list[int], args: argparse.Namespace, tally: Tally) -> None:
    sender = f"soak-{uuid.uuid4().hex[:10]}"
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        index = 0
        while time.monotonic() < deadline and budget[0] > 0:
            budget[0] -= 1
            if random.random() < args.bad_share:
                if random.random() < 0.5:
                    await post(session, url, random.choice(BAD_BODIES)(sender), tally, sender, counted=False)
                else:
                    body = json.dumps({"sender": sender, "message": random.choice(BAD_MESSAGES)}).encode()
                    await post(session, url, body, tally, sender, counted=True)
            else:
                body = json.dumps({"sender": sender, "message": MESSAGE_MIX[index % len(MESSAGE_MIX)]}).encode()
                index += 1
                await post(session, url, body, tally, sender, counted=True)
            await asyncio.sleep(args.pause)


async def restart_action_server(assistant: RunningAssistant, at: float, down_seconds: float) -> None:
    await asyncio.sleep(at)
    print(f"[{time.strftime('%H:%M:%S')}] stopping the action server", flush=True)
    await asyncio.to_thread(assistant.stop_action_server)
    await asyncio.sleep(down_seconds)
    await asyncio.to_thread(assistant.start_action_server)
    print(f"[{time.strftime('%H:%M:%S')}] action server is back", flush=True)


def rss(assistant: RunningAssistant) -> dict[str, float]:
    actions, rasa = assistant.processes
    return {"rasa_mb": group_rss_mb(rasa.pid), "actions_mb": group_rss_mb(actions.pid)}


def lost_messages(assistant: RunningAssistant, tally: Tally) -> int:
    """Messages answered with 200 that the sender's tracker does not hold."""
    lost = 0
    for sender, answered in tally.answered.items():
        events = assistant.tracker(sender)["events"]
        lost += max(0, answered - sum(1 for event in events if event["event"] == "user"))
    return lost


async def soak(assistant: RunningAssistant, args: argparse.Namespace, tally: Tally) -> None:
    url = f"{assistant.rasa_url}/webhooks/rest/webhook"
    seconds = args.minutes * 60
    deadline = time.monotonic() + seconds
    budget = [args.max_messages]
    await asyncio.gather(
        restart_action_server(assistant, seconds / 2, args.down_seconds),
        *(person(url, deadline, budget, args, tally) for _ in range(args.users)),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--max-messages", type=int, default=50_000, help="stop after this many requests in all")
    parser.add_argument("--pause", type=float, default=2.0, help="seconds each person waits between messages")
    parser.add_argument("--bad-share", type=float, default=0.05)
    parser.add_argument("--down-seconds", type=float, default=10.0, help="how long the action server stays down")
    args = parser.parse_args()

    tally = Tally()
    with tempfile.TemporaryDirectory(prefix="soak-") as workdir, start_assistant(Path(workdir), env=SOAK_ENV) as assistant:
        assistant.send("soak-warm-up", "hi there")
        start = rss(assistant)
        started = time.monotonic()
        asyncio.run(soak(assistant, args, tally))
        end = rss(assistant)
        lost = lost_messages(assistant, tally)
    figures = {
        "minutes": round((time.monotonic() - started) / 60, 2),
        "users": args.users,
        **{name: tally.counts[name] for name in ("messages sent", "replies received", "5xx")},
        "messages lost": lost,
        **{name: count for name, count in tally.counts.items() if name not in ("messages sent", "replies received", "5xx")},
        "rss at start (MB)": start,
        "rss at end (MB)": end,
        "rasa rss growth": f"{(end['rasa_mb'] / start['rasa_mb'] - 1):+.1%}",
    }
    for name, value in figures.items():
        print(f"{name:>45}: {value}")
    (REPO / "results").mkdir(exist_ok=True)
    (REPO / "results" / "soak-latest.json").write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
