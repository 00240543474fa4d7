"""Register our webhook with Telegram (`make telegram-webhook`): a deliberate step, never done at start-up.

Reads TELEGRAM_TOKEN, TELEGRAM_SECRET_TOKEN, TELEGRAM_WEBHOOK_URL and TELEGRAM_API_URL. Telegram then
sends every update to TELEGRAM_WEBHOOK_URL with the secret in a header our channel checks, only the
update kinds we handle, and without the backlog that piled up while no webhook was set.
"""

from __future__ import annotations

import asyncio
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from channels.telegram_api import ALLOWED_UPDATES, BotApi, TelegramApiError, TelegramSettings  # noqa: E402

# Telegram accepts 1-256 characters A-Z, a-z, 0-9, "_" and "-" as a webhook secret.
SECRET_FORMAT = re.compile(r"[A-Za-z0-9_-]{1,256}")


def problems(settings: TelegramSettings) -> list[str]:
    """What is missing or wrong before Telegram is even asked."""
    found = []
    if not settings.token:
        found.append("TELEGRAM_TOKEN is not set (BotFather gives you one).")
    if not SECRET_FORMAT.fullmatch(settings.secret_token):
        found.append("TELEGRAM_SECRET_TOKEN must be 1-256 characters of A-Z, a-z, 0-9, _ or -.")
    if not settings.webhook_url.startswith("https://"):
        found.append("TELEGRAM_WEBHOOK_URL must be a public https:// URL ending in /webhooks/telegram/webhook.")
    return found


async def register(settings: TelegramSettings) -> dict:
    api = BotApi(settings.api_url, settings.token)
    try:
        await api.call(
            "setWebhook",
            url=settings.webhook_url,
            secret_token=settings.secret_token,
            allowed_updates=list(ALLOWED_UPDATES),
            drop_pending_updates=True,
        )
        return await api.call("getWebhookInfo")
    finally:
        await api.close()


def main() -> int:
    settings = TelegramSettings.from_env()
    found = problems(settings)
    if found:
        print("Webhook not registered:", *found, sep="\n  ", file=sys.stderr)
        return 2
    try:
        info = asyncio.run(register(settings))
    except TelegramApiError as error:
        print(f"Telegram refused the webhook: {error}", file=sys.stderr)
        return 1
    print(f"Telegram now sends updates to {info.get('url') or settings.webhook_url}")
    print(f"Update kinds: {', '.join(ALLOWED_UPDATES)}; pending updates: {info.get('pending_update_count', 0)}")
    if info.get("last_error_message"):
        print(f"Telegram's last delivery error: {info['last_error_message']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
