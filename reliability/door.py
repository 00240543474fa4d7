"""What every channel does with a message before and around Rasa's handling of it.

- A message with no words (empty, or only spaces and line breaks) is answered here with a kind
  request to write something; Rasa never sees it, so a step just offered is not taken as declined.
- Text longer than `MAX_MESSAGE_CHARACTERS` is cut to its beginning before anything stores it, and
  the person is told so (once, before the reply).
- Over the rate limit, a message is not read; the sender is asked once per pause to slow down. A
  crisis message is read anyway: the limiter never stands between a person and the helplines.
- If the tracker store or lock store cannot be reached, the person gets an apology instead of
  silence, and the server carries on; so with anything else that breaks (`answer_or_apologise`).
"""

from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, Optional

import redis
import sqlalchemy.exc
from rasa.core.channels.channel import UserMessage
from rasa.core.lock_store import LockError

from reliability.rate_limit import RateLimiter
from reliability.settings import Limits
from reliability.texts import say

logger = logging.getLogger(__name__)

NewMessageHandler = Callable[[UserMessage], Awaitable[Any]]
CrisisCheck = Callable[[str], Awaitable[bool]]
# Failures that mean a store is out of reach rather than a bug in the conversation.
STORE_ERRORS = (sqlalchemy.exc.SQLAlchemyError, redis.RedisError, LockError, OSError)


def cut_text(text: str, max_characters: int) -> tuple[str, bool]:
    """The text itself when short enough, else its beginning (on a word boundary when one is near)."""
    if max_characters <= 0 or len(text) <= max_characters:
        return text, False
    head = text[:max_characters]
    space = head.rfind(" ")
    return (head[:space] if space > max_characters * 3 // 4 else head), True


async def tell(message: UserMessage, text: str) -> None:
    """Send the server's own words to the person; a failure here is logged, never raised."""
    try:
        await message.output_channel.send_text_message(message.sender_id, text)
    except Exception as error:  # the channel itself may be what is broken
        logger.warning("Could not tell %s channel's user about a limit or fault: %s", message.input_channel, error)


async def answer_or_apologise(handling: Awaitable[None], message: UserMessage) -> None:
    """Any other failure: an apology instead of silence (Telegram's channel has its own)."""
    try:
        await handling
    except Exception:
        logger.exception("Handling a %s message failed.", message.input_channel)
        await tell(message, say("action_down"))


class Door:
    """Size and rate limits and fault apologies around one channel's `on_new_message`."""

    def __init__(
        self,
        limits: Limits,
        limiter: RateLimiter,
        crisis_check: CrisisCheck,
        prepare: Callable[[], None] = lambda: None,
        after: Optional[Callable[[UserMessage], Awaitable[None]]] = None,
    ) -> None:
        """`prepare` runs before each message is handled (the server makes store failures visible);
        `after` once it was answered (reminders that came due meanwhile are shown)."""
        self.limits = limits
        self.limiter = limiter
        self.crisis_check = crisis_check
        self.prepare = prepare
        self.after = after

    async def over_limit(self, text: str, sender: str, address: Optional[str]) -> float:
        """Seconds to wait before this message may be read: 0 when it may be read now, as a crisis always may."""
        wait = self.limiter.retry_after(sender, address)
        if wait > 0 and await self._is_crisis(text):
            logger.info("A crisis message over the rate limit is answered anyway.")
            return 0.0
        return wait

    def wrap(self, on_new_message: NewMessageHandler) -> NewMessageHandler:
        """For a channel that checked the rate itself (REST answers 429 before reading the body)."""

        async def handle(message: UserMessage) -> None:
            await answer_or_apologise(self.handle(message, on_new_message), message)

        return handle

    async def receive(self, message: UserMessage, on_new_message: NewMessageHandler, address: Optional[str] = None) -> None:
        """Rate check, then `handle`: what a channel without HTTP status codes does per message."""
        wait = await self.over_limit(message.text or "", message.sender_id, address)
        if wait > 0:
            if self.limiter.first_refusal(message.sender_id, wait):
                await tell(message, say("slow_down"))
            return
        await self.handle(message, on_new_message)

    async def handle(self, message: UserMessage, on_new_message: NewMessageHandler) -> None:
        if not (message.text or "").strip():
            await tell(message, say("no_words"))
            return
        text, was_cut = cut_text(message.text or "", self.limits.max_message_characters)
        if was_cut:
            message.text = text
            await tell(message, say("message_cut", characters=f"{self.limits.max_message_characters:,}"))
        try:
            self.prepare()
            await on_new_message(message)
            if self.after is not None:
                await self.after(message)
        except STORE_ERRORS as error:
            logger.error("A store is unavailable; the message was not handled: %s", error)
            await tell(message, say("store_down"))

    async def _is_crisis(self, text: str) -> bool:
        try:
            return await self.crisis_check(text)
        except Exception:
            logger.exception("Could not check whether a message over the rate limit is a crisis; reading it.")
            return True
