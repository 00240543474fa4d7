"""Rasa's SQL tracker store plus the privacy promises we make: deletion on request and retention.

Configured in endpoints.yml (`type: stores.tracker_store.PrivacySQLTrackerStore`). Rasa's
`SQLTrackerStore` does all the storing; this subclass only
- takes its database from `TRACKER_DB_URL` when set (any SQLAlchemy URL, e.g. PostgreSQL), so a
  deployment switches databases without editing files;
- deletes every stored event of a sender when the privacy action has marked the conversation as
  confirmed for deletion. Rasa saves the in-memory tracker after the action has run, so the
  deletion happens in `save()` itself: the rows go and nothing of that turn is written back;
- removes events older than `TRACKER_RETENTION_DAYS` (0 keeps everything);
- rebuilds trackers faster: Rasa looks up each stored event's class by walking every Event
  subclass (about a tenth of the server's time per message); this looks it up once per type;
- remembers how many events of a tracker it read or wrote, so saving that same tracker object
  again skips Rasa's count query (6% of the server's time under 20 users). Rasa's lock store
  serialises the turns of one conversation, also across instances, so the number is current.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import time
import weakref
from functools import lru_cache
from typing import Any, Dict, Iterator, List, Optional, Text, Tuple

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event, SessionStarted, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

logger = logging.getLogger(__name__)

DB_URL_ENV = "TRACKER_DB_URL"
RETENTION_ENV = "TRACKER_RETENTION_DAYS"
DEFAULT_RETENTION_DAYS = 30
# Set to true by `action_delete_conversation` (actions/safety/privacy.py) after the person confirmed.
DELETION_SLOT = "conversation_deletion_confirmed"
SECONDS_PER_DAY = 24 * 60 * 60
# Retention is enforced at start-up and then at most this often, after a save.
PURGE_INTERVAL_SECONDS = 60 * 60


def retention_days_from_env() -> int:
    """Days to keep events, from TRACKER_RETENTION_DAYS; 0 means keep them indefinitely."""
    raw = os.environ.get(RETENTION_ENV, "").strip()
    if not raw:
        return DEFAULT_RETENTION_DAYS
    if not raw.isdigit():
        raise ValueError(f"{RETENTION_ENV} must be a whole number of days (0 = keep), got {raw!r}")
    return int(raw)


def is_deletion_request(event: Event) -> bool:
    """True for the event the privacy action adds once the person has confirmed deletion."""
    return isinstance(event, SlotSet) and event.key == DELETION_SLOT and event.value is True


@lru_cache(maxsize=None)
def event_class(type_name: Text) -> Optional[type]:
    """The Event subclass stored under `type_name` (Rasa's own lookup, remembered)."""
    return Event.resolve_by_type(type_name)


def deserialise_events(serialised: List[Dict[Text, Any]]) -> List[Event]:
    """What `rasa.shared.core.events.deserialise_events` returns, with the class lookup remembered."""
    events = []
    for data in serialised:
        cls = event_class(data["event"]) if data.get("event") else None
        event = cls._from_parameters(data) if cls else None
        if event is not None:
            events.append(event)
    return events


def _enable_secure_delete(dbapi_connection: Any, _record: Any) -> None:
    """Make SQLite overwrite deleted rows so their text does not linger in the file."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA secure_delete = ON")
    cursor.close()


class PrivacySQLTrackerStore(SQLTrackerStore):
    """`SQLTrackerStore` whose database comes from the environment and that forgets on request."""

    def __init__(
        self,
        domain: Optional[Domain] = None,
        host: Optional[Text] = None,
        retention_days: Optional[int] = None,
        **kwargs: Any,
    ) -> None:
        """`host`, `dialect`, `db`, ... as for `SQLTrackerStore`; TRACKER_DB_URL overrides them."""
        super().__init__(domain=domain, host=os.environ.get(DB_URL_ENV) or host, **kwargs)
        if self.engine.dialect.name == "sqlite":
            sa.event.listen(self.engine, "connect", _enable_secure_delete)
            self.engine.dispose()  # connections opened before the listener existed
        self.retention_days = retention_days_from_env() if retention_days is None else retention_days
        self._next_purge = 0.0
        # sender id -> (the tracker object last read or written, its events stored in this session)
        self._known_counts: Dict[Text, Tuple[weakref.ref, int]] = {}
        self._purge_if_due()

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store the new events, or delete the whole conversation when that was confirmed.

        A deletion request is never stored (this deletes instead), so one in the tracker is new.
        """
        if any(is_deletion_request(event) for event in tracker.events):
            self.delete_conversation(tracker.sender_id)
            return
        await super().save(tracker)
        self._remember_count(tracker, len(tracker.events))
        self._purge_if_due()

    def _remember_count(self, tracker: DialogueStateTracker, stored: int) -> None:
        """Note that `stored` of this tracker object's events are in the database."""
        sender_id, known = tracker.sender_id, self._known_counts

        def forget(reference: weakref.ref) -> None:
            if known.get(sender_id, (None,))[0] is reference:
                del known[sender_id]

        known[sender_id] = (weakref.ref(tracker, forget), stored)

    def _known_count(self, tracker: DialogueStateTracker) -> Optional[int]:
        """Events of this very tracker object already stored, when this store read or wrote it."""
        reference, stored = self._known_counts.get(tracker.sender_id, (None, 0))
        return stored if reference is not None and reference() is tracker else None

    async def _retrieve(self, sender_id: Text, fetch_events_from_all_sessions: bool) -> Optional[DialogueStateTracker]:
        """Rasa's `_retrieve`, reading only the event column and with the remembered class lookup."""
        with self.session_scope() as session:
            query = self._event_query(session, sender_id, fetch_events_from_all_sessions)
            rows = query.with_entities(self.SQLEvent.data).all()
            serialised = [json.loads(row.data) for row in rows]
        if not self.domain or not serialised:
            return None
        tracker = DialogueStateTracker.from_events(sender_id, deserialise_events(serialised), self.domain.slots)
        if not fetch_events_from_all_sessions:
            self._remember_count(tracker, len(serialised))
        return tracker

    def delete_conversation(self, sender_id: Text) -> int:
        """Delete every stored event of `sender_id`, in all sessions; returns how many."""
        with self.session_scope() as session:
            deleted = (
                session.query(self.SQLEvent)
                .filter(self.SQLEvent.sender_id == sender_id)
                .delete(synchronize_session=False)
            )
            session.commit()
        self._known_counts.pop(sender_id, None)
        logger.info("Deleted a conversation on its sender's request (%d events).", deleted)
        return deleted

    def retention_cutoff(self, now: Optional[float] = None) -> Optional[float]:
        """Events with an earlier timestamp are past retention; None when everything is kept."""
        if self.retention_days <= 0:
            return None
        return (time.time() if now is None else now) - self.retention_days * SECONDS_PER_DAY

    def purge_expired(self, now: Optional[float] = None) -> int:
        """Delete events past retention; returns how many.

        Two cases, both safe while other instances serve the same people: events of sessions
        that have ended (older than the sender's latest session start), and whole conversations
        whose newest event is past retention. The session in progress is left alone, since
        Rasa counts its stored events to decide what to append.
        """
        cutoff = self.retention_cutoff(now)
        if cutoff is None:
            return 0
        events = self.SQLEvent.__table__
        other = events.alias("other")
        latest_session_start = (
            sa.select(sa.func.max(other.c.timestamp))
            .where(other.c.sender_id == events.c.sender_id, other.c.type_name == SessionStarted.type_name)
            .scalar_subquery()
        )
        idle_senders = (
            sa.select(other.c.sender_id).group_by(other.c.sender_id).having(sa.func.max(other.c.timestamp) < cutoff)
        )
        with self.session_scope() as session:
            ended = session.execute(
                events.delete().where(events.c.timestamp < cutoff, events.c.timestamp < latest_session_start)
            ).rowcount
            idle = session.execute(events.delete().where(events.c.sender_id.in_(idle_senders))).rowcount
            session.commit()
        if ended + idle:
            logger.info("Retention: deleted %d events older than %d days.", ended + idle, self.retention_days)
        return ended + idle

    def _purge_if_due(self) -> None:
        if time.monotonic() >= self._next_purge:
            self.purge_expired()
            self._next_purge = time.monotonic() + PURGE_INTERVAL_SECONDS

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator[Event]:
        """New events, minus any already past retention (a conversation purged mid-turn stays purged)."""
        cutoff = self.retention_cutoff()
        known = self._known_count(tracker)
        if known is None:
            new_events = super()._additional_events(session, tracker)
        else:
            new_events = itertools.islice(tracker.events, known, None)
        if cutoff is None:
            return new_events
        return (event for event in new_events if event.timestamp is None or event.timestamp >= cutoff)
