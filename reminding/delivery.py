"""What a due reminder says and how it reaches the person.

Telegram: pushed at once with the channel's Bot API client (`sendMessage` to the chat id, inline
buttons). Web and REST cannot be pushed to, so the reminder waits and is shown after the person's
next reply. If the conversation had a crisis message in the last 24 hours, the helplines come first.
The wording is the domain's (`utter_reminder_due_checkin`, `utter_reminder_due_exercise`; a
notice's response is named in reminding/notices.py).
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from typing import Any, Optional

from rasa.shared.core.events import UserUttered

from channels.telegram_api import BotApi, TelegramApiError, TelegramSettings
from channels.telegram_format import InlineKeyboards
from reminding.notices import RESPONSES

logger = logging.getLogger(__name__)

CRISIS_INTENT = "crisis"
CRISIS_RESPONSE = "utter_crisis_support"
CRISIS_LOOKBACK_SECONDS = 24 * 60 * 60
BLOCKED_STATUS = 403


def due_message(domain: Any, kind: str) -> dict[str, Any]:
    """The reminder's (or notice's) text and buttons, from the domain's first variation."""
    response = domain.responses[RESPONSES.get(kind, f"utter_reminder_due_{kind}")][0]
    return {"text": response["text"], "buttons": list(response.get("buttons") or [])}


def helplines_message(domain: Any) -> dict[str, Any]:
    """The crisis reply's text with this deployment's helplines filled in (no Yes/No buttons)."""
    from actions.safety.crisis_support import crisis_response_variables

    text = domain.responses[CRISIS_RESPONSE][0]["text"]
    return {"text": text.format_map(defaultdict(str, crisis_response_variables())), "buttons": []}


def had_crisis_lately(tracker: Optional[Any], now: Optional[float] = None) -> bool:
    """Whether a message read as a crisis came in the last 24 hours (conversation time is real time)."""
    if tracker is None:
        return False
    since = (time.time() if now is None else now) - CRISIS_LOOKBACK_SECONDS
    return any(
        isinstance(event, UserUttered) and event.timestamp >= since and event.intent_name == CRISIS_INTENT
        for event in tracker.events
    )


async def messages_for(domain: Any, tracker_store: Any, sender_id: str, kind: str) -> list[dict[str, Any]]:
    """The reminder, preceded by the helplines when the conversation had a crisis lately."""
    tracker = await tracker_store.retrieve(sender_id)
    first = [helplines_message(domain)] if had_crisis_lately(tracker) else []
    return first + [due_message(domain, kind)]


class TelegramPush:
    """Sends reminders to Telegram chats; None-able when the channel is off."""

    def __init__(self, settings: TelegramSettings) -> None:
        self.api = BotApi(settings.api_url, settings.token)
        self.keyboards = InlineKeyboards()

    @classmethod
    def from_env(cls) -> Optional["TelegramPush"]:
        settings = TelegramSettings.from_env()
        return cls(settings) if settings.token else None

    async def send(self, chat_id: str, messages: list[dict[str, Any]]) -> None:
        """Send each message; raises TelegramApiError (with its HTTP status) on the first failure."""
        for message in messages:
            params: dict[str, Any] = {"chat_id": chat_id, "text": message["text"]}
            if message["buttons"]:
                params["reply_markup"] = self.keyboards.build(message["buttons"])
            await self.api.call("sendMessage", **params)

    async def close(self) -> None:
        await self.api.close()


def is_blocked(error: TelegramApiError) -> bool:
    """403: the person blocked the bot or left the chat; sending again will never work."""
    return getattr(error, "status", None) == BLOCKED_STATUS
