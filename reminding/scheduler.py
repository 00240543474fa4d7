"""The loop inside the Rasa server that fires due reminders (started by channels/reminders.py).

Every `REMINDER_POLL_SECONDS` it claims the due reminders (store.claim_due: each goes to exactly one
instance), pushes Telegram ones and holds the rest for the person's next reply. Reminders missed by
more than a day (the server was down) are dropped, or moved to their next time when they repeat;
the log says how late, never what they say. A failed Telegram send is retried with backoff; a 403
(the person blocked the bot) cancels that person's reminders.

Notices (partner mode's "your partner has joined") travel the same way, checked just before they
go out: one no longer true is dropped (reminding/notices.py), one delivered is recorded as told.
"""

from __future__ import annotations

import asyncio
import logging
import os
from datetime import datetime, timezone
from typing import Any, Optional

from channels.telegram_api import TelegramApiError
from reminding import clock
from reminding.delivery import TelegramPush, is_blocked, messages_for
from reminding.notices import Notices, is_notice
from reminding.store import Reminder, ReminderStore
from reminding.timeparse import next_time

logger = logging.getLogger(__name__)

POLL_ENV = "REMINDER_POLL_SECONDS"
DEFAULT_POLL_SECONDS = 1.0
LATEST_SECONDS = 24 * 60 * 60  # older missed reminders are dropped
RETRY_BASE_SECONDS = 30.0
MAX_ATTEMPTS = 5
PUSH_CHANNEL = "telegram"


def poll_seconds() -> float:
    raw = os.environ.get(POLL_ENV, "").strip()
    return float(raw) if raw else DEFAULT_POLL_SECONDS


def following_due(reminder: Reminder, after: float) -> Optional[float]:
    """A repeating reminder's first time after `after`; None for a one-off."""
    if not reminder.repeat:
        return None
    due = datetime.fromtimestamp(reminder.due_at, tz=timezone.utc)
    while due.timestamp() <= after:
        due = next_time(due, reminder.repeat, reminder.zone)
    return due.timestamp()


def backoff(attempts: int) -> float:
    """Seconds before the next try: 30 s, 1 min, 2 min, 4 min, ..."""
    return RETRY_BASE_SECONDS * 2 ** attempts


class Scheduler:
    """Claims and delivers due reminders for one Rasa server."""

    def __init__(self, store: ReminderStore, agent: Any, telegram: Optional[TelegramPush]) -> None:
        self.store = store
        self.agent = agent
        self.telegram = telegram
        self.notices = Notices(store.engine)

    async def run_forever(self) -> None:
        interval = poll_seconds()
        while True:
            try:
                await self.tick()
            except Exception as error:  # a database that is down must not end the loop
                logger.warning("The reminder scheduler's round failed (%s: %s); trying again.", type(error).__name__, error)
            await asyncio.sleep(interval)

    async def tick(self) -> int:
        """One round: drop what is too late, then deliver what is due. Returns how many were delivered."""
        now = clock.now_ts()
        await asyncio.to_thread(self._drop_missed, now)
        claimed = await asyncio.to_thread(self.store.claim_due, now)
        for reminder in claimed:
            await self._deliver(reminder, now)
        return len(claimed)

    def _drop_missed(self, now: float) -> None:
        for reminder in self.store.stale(now - LATEST_SECONDS):
            late_hours = (now - reminder.due_at) / 3600
            if reminder.repeat:
                if self.store.move_on(reminder, following_due(reminder, now)):
                    logger.info("Reminder %d was missed by %.0f h; it moves on to its next time.", reminder.id, late_hours)
            elif self.store.drop(reminder):
                logger.info("Reminder %d was dropped: %.0f h late (more than a day).", reminder.id, late_hours)

    async def _deliver(self, reminder: Reminder, now: float) -> None:
        if is_notice(reminder) and not await asyncio.to_thread(self._notice_still_true, reminder):
            return
        if reminder.channel != PUSH_CHANNEL or self.telegram is None:
            await asyncio.to_thread(self.store.hold_for_reply, reminder)
            return
        try:
            messages = await messages_for(self.agent.domain, self.agent.tracker_store, reminder.sender_id, reminder.kind)
            await self.telegram.send(reminder.sender_id, messages)
        except TelegramApiError as error:
            await asyncio.to_thread(self._failed, reminder, error, now)
            return
        await asyncio.to_thread(self._done, reminder, now)
        logger.info("Reminder %d was sent on Telegram.", reminder.id)

    def _notice_still_true(self, reminder: Reminder) -> bool:
        """A notice no longer true (the link ended, a crisis message) is dropped here."""
        if self.notices.still_true(reminder):
            return True
        self.store.drop_notices([reminder.sender_id], reminder.kind)
        logger.info("Notice %d was dropped: what it says is no longer true.", reminder.id)
        return False

    def _done(self, reminder: Reminder, now: float) -> None:
        self.store.finish(reminder, now, following_due(reminder, now))
        if is_notice(reminder):
            self.notices.delivered(reminder)

    def _failed(self, reminder: Reminder, error: TelegramApiError, now: float) -> None:
        if is_blocked(error):
            cancelled = self.store.cancel(reminder.sender_id, notices_too=True)
            logger.info("Telegram refused reminder %d (403): %d reminders of that chat cancelled.", reminder.id, cancelled)
        elif reminder.attempts + 1 >= MAX_ATTEMPTS:
            self.store.give_up(reminder)
            logger.warning("Reminder %d failed %d times; giving up: %s", reminder.id, MAX_ATTEMPTS, error)
        else:
            self.store.retry_later(reminder, now + backoff(reminder.attempts))
            logger.warning("Reminder %d not sent, retrying in %.0f s: %s", reminder.id, backoff(reminder.attempts), error)

    async def show_waiting(self, sender_id: str, output_channel: Any) -> None:
        """After a reply on web or REST: the person's reminders that came due meanwhile."""
        waiting = await asyncio.to_thread(self.store.take_waiting, sender_id)
        if not waiting:
            return
        now = clock.now_ts()
        for reminder in waiting:
            if is_notice(reminder) and not await asyncio.to_thread(self._notice_still_true, reminder):
                continue
            for message in await messages_for(self.agent.domain, self.agent.tracker_store, sender_id, reminder.kind):
                if message["buttons"]:
                    await output_channel.send_text_with_buttons(sender_id, message["text"], message["buttons"])
                else:
                    await output_channel.send_text_message(sender_id, message["text"])
            await asyncio.to_thread(self._done, reminder, now)


_running: Optional[Scheduler] = None


def running() -> Optional[Scheduler]:
    """This process's scheduler, once the server has started it."""
    return _running


def set_running(scheduler: Optional[Scheduler]) -> None:
    global _running
    _running = scheduler
