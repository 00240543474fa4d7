"""Long polling for people without a public HTTPS URL (`make telegram-poll`).

Asks Telegram for updates (getUpdates) and POSTs each one, with the secret header, to the Telegram
webhook of the Rasa server running on this machine (port RASA_PORT, default 5005), so polling and
webhook share one code path. Reads the same TELEGRAM_* variables as the server. Polling and a webhook
cannot both be active, so this removes any registered webhook first.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from channels.telegram_api import ALLOWED_UPDATES, SECRET_HEADER, BotApi, TelegramApiError, TelegramSettings  # noqa: E402

LONG_POLL_SECONDS = 30
RETRY_SECONDS = 5


class WebhookRefused(Exception):
    """Our own server said no in a way retrying cannot fix."""


async def forward(session: aiohttp.ClientSession, url: str, secret: str, update: dict) -> bool:
    """True once the webhook is done with the update (200, or 400 for one it cannot read)."""
    try:
        async with session.post(url, json=update, headers={SECRET_HEADER: secret}) as reply:
            if reply.status == 403:
                raise WebhookRefused("the webhook refused the secret: start Rasa with the same TELEGRAM_SECRET_TOKEN")
            if reply.status == 404:
                raise WebhookRefused("the Rasa server has no Telegram channel: start it with TELEGRAM_TOKEN set")
            return reply.status < 500
    except aiohttp.ClientError:
        return False


async def poll(settings: TelegramSettings, webhook: str, once: bool) -> int:
    """Forward updates until stopped (or, with once, until Telegram has none left); returns how many."""
    api = BotApi(settings.api_url, settings.token, timeout_seconds=LONG_POLL_SECONDS + 15)
    forwarded = 0
    try:
        await api.call("deleteWebhook", drop_pending_updates=False)
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=180)) as session:
            params: dict = {"timeout": 0 if once else LONG_POLL_SECONDS, "allowed_updates": list(ALLOWED_UPDATES)}
            while True:
                try:
                    updates = await api.call("getUpdates", **params)
                except TelegramApiError as error:
                    if once:
                        raise
                    print(f"{error}; retrying in {RETRY_SECONDS} s", file=sys.stderr)
                    await asyncio.sleep(RETRY_SECONDS)
                    continue
                if once and not updates:
                    return forwarded
                for update in updates:
                    while not await forward(session, webhook, settings.secret_token, update):
                        if once:
                            raise WebhookRefused(f"could not deliver update {update['update_id']} to {webhook}")
                        print(f"Rasa is not answering at {webhook}; retrying in {RETRY_SECONDS} s", file=sys.stderr)
                        await asyncio.sleep(RETRY_SECONDS)
                    forwarded += 1
                    params["offset"] = update["update_id"] + 1
    finally:
        await api.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--once", action="store_true", help="stop when Telegram has no more updates waiting")
    args = parser.parse_args()
    settings = TelegramSettings.from_env()
    if not settings.token or not settings.secret_token:
        print("Set TELEGRAM_TOKEN and TELEGRAM_SECRET_TOKEN (the same values the Rasa server uses).", file=sys.stderr)
        return 2
    webhook = f"http://localhost:{os.environ.get('RASA_PORT', '5005')}/webhooks/telegram/webhook"
    print(f"Polling Telegram and forwarding to {webhook} (Ctrl-C stops).")
    try:
        count = asyncio.run(poll(settings, webhook, args.once))
    except (TelegramApiError, WebhookRefused) as error:
        print(f"Polling stopped: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    print(f"Forwarded {count} update(s).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
