"""Telling the inviter that their partner joined, through the reminders' delivery pipeline.

When a link is made, a notice (a row of kind `partner_joined` in the reminders table, due now) is
stored for the inviter on the channel they invited from: the Rasa server's scheduler pushes it on
Telegram and shows it on the web or REST with their next reply (reminding/notices.py checks it is
still true first). Only if the notice could not be stored is the inviter told the old way, on
their next partner-mode message; a partner-mode message that comes first says it in place and
takes the notice, so nobody is told twice. Unlinking drops a notice not yet delivered.
"""

from __future__ import annotations

import logging
from functools import lru_cache

import sqlalchemy as sa
from rasa_sdk.executor import CollectingDispatcher

from actions.partner.store import PartnerStore
from reminding import clock
from reminding.store import PARTNER_JOINED, ReminderStore

logger = logging.getLogger(__name__)

NOTE_RESPONSE = "utter_partner_joined_note"


@lru_cache(maxsize=4)
def notices(engine: sa.engine.Engine) -> ReminderStore:
    """The reminders table beside partner mode's own, so a notice and its link share a database."""
    return ReminderStore(engine)


def send_joined_notice(store: PartnerStore, inviter: str, code: str) -> None:
    """Queue the notice for the channel the inviter asked on (the redeemed `code`'s invite).

    If the database refuses, the link stands and the fallback tells them on their next partner message.
    """
    try:
        notices(store.engine).add_notice(inviter, store.inviter_channel(code), PARTNER_JOINED, clock.now_ts())
    except sa.exc.SQLAlchemyError:
        logger.exception("Could not queue the partner-joined notice; the inviter hears it on their next partner message.")


def tell_if_joined(dispatcher: CollectingDispatcher, store: PartnerStore, sender: str) -> None:
    """On a partner-mode message: say it here unless the notice is on its way at this moment."""
    link = store.link(sender)
    if link is None or link.told:
        return
    queue = notices(store.engine)
    if queue.take_notice(sender, PARTNER_JOINED, clock.now_ts()) or not queue.notice_pending(sender, PARTNER_JOINED):
        dispatcher.utter_message(response=NOTE_RESPONSE)
        store.mark_told(sender)


def drop_joined_notices(store: PartnerStore, pair: list[str]) -> None:
    """After unlinking: nobody is told about a link that no longer exists."""
    notices(store.engine).drop_notices(pair, PARTNER_JOINED)
