"""Whether a notice is still true when its turn comes, and what its delivery changes.

Partner mode's "your partner has joined" goes out only while the link it announces exists, the
inviter has not been told yet (their first partner-mode reply may have said it), and neither
partner had a crisis message lately (partner mode is paused then, and "you can compare" would be
wrong). Otherwise it is dropped; an inviter not told hears it the next time they ask about
partner mode. Once delivered, the link is marked as told, so they are never told twice.
"""

from __future__ import annotations

from sqlalchemy.engine import Engine

from actions.partner.store import PartnerStore, ensure_tables
from reminding.store import NOTICES, PARTNER_JOINED, Reminder

# The domain response each kind of notice says (reminders say utter_reminder_due_<kind>).
RESPONSES = {PARTNER_JOINED: "utter_partner_joined_note"}


def is_notice(reminder: Reminder) -> bool:
    return reminder.kind in NOTICES


class Notices:
    """Partner mode's side of the notices, on the tracker store's database."""

    def __init__(self, engine: Engine) -> None:
        ensure_tables(engine)
        self.partners = PartnerStore(engine)

    def still_true(self, reminder: Reminder) -> bool:
        link = self.partners.link(reminder.sender_id)
        if link is None or link.told:
            return False
        return not self.partners.had_crisis([reminder.sender_id, link.partner_id])

    def delivered(self, reminder: Reminder) -> None:
        self.partners.mark_told(reminder.sender_id)
