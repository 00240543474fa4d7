"""The one Door each Rasa process shares between its channels."""

from __future__ import annotations

import functools
import logging

from rasa.core.channels.channel import UserMessage
from rasa.core.tracker_store import FailSafeTrackerStore
from sanic import Sanic
from sanic.exceptions import SanicException

from reliability.door import Door
from reliability.rate_limit import RateLimiter
from reliability.settings import Limits

logger = logging.getLogger(__name__)

CRISIS_INTENT = "crisis"


async def nlu_says_crisis(text: str) -> bool:
    """Whether the model's NLU (classifier and crisis matcher) reads this text as a crisis."""
    agent = Sanic.get_app().ctx.agent
    result = await agent.parse_message(text)
    return (result.get("intent") or {}).get("name") == CRISIS_INTENT


def _reraise(error: Exception) -> None:
    raise error


def surface_store_errors() -> None:
    """Rasa's fail-safe tracker store answers a database error with an empty in-memory tracker,
    so the person got a reply from a conversation with no past and the turn was never stored.
    Let the error through instead: the door apologises, and nothing is half-remembered."""
    try:
        store = Sanic.get_app().ctx.agent.tracker_store
    except (SanicException, AttributeError):  # no server or no model yet: nothing to change
        return
    if isinstance(store, FailSafeTrackerStore) and store._on_tracker_store_error is None:
        store._on_tracker_store_error = _reraise


async def show_due_reminders(message: UserMessage) -> None:
    """Web and REST cannot be pushed to: reminders that came due are shown after the next reply."""
    from reminding.scheduler import running  # imported late: reminders imports the channels

    scheduler = running()
    if scheduler is None or not message.sender_id:
        return
    try:
        await scheduler.show_waiting(message.sender_id, message.output_channel)
    except Exception as error:  # the reply went out; a reminder can wait for the next one
        logger.warning("Could not show due reminders: %s: %s", type(error).__name__, error)


@functools.lru_cache(maxsize=1)
def shared_door() -> Door:
    limits = Limits.from_env()
    return Door(limits, RateLimiter(limits), nlu_says_crisis, surface_store_errors, show_due_reminders)
