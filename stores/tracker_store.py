"""Rasa's SQL tracker store plus the privacy promises we make: deletion on request and retention.

Configured in endpoints.yml (`type: stores.tracker_store.PrivacySQLTrackerStore`). Rasa's
`SQLTrackerStore` does all the storing; this subclass only
- takes its database from `TRACKER_DB_URL` when set (any SQLAlchemy URL, e.g. PostgreSQL), so a
  deployment switches databases without editing files;
- deletes every stored event of a sender when the privacy action has marked the conversation as
  confirmed for deletion. Rasa saves the in-memory tracker after the action has run, so the
  deletion happens in `save()` itself: the rows go and nothing of that turn is written back;
- removes events older than `TRACKER_RETENTION_DAYS` (0 keeps everything);
- removes the conversation's charts and summaries with it, and expired ones with each purge
  (stores/files.py: they live an hour at most);
- rebuilds trackers faster: Rasa looks up each stored event's class by walking every Event
  subclass (about a tenth of the server's time per message); this looks it up once per type;
- remembers how many events of a tracker it read or wrote, so saving that same tracker object
  again skips Rasa's count query (6% of the server's time under 20 users). Rasa's lock store
  serialises the turns of one conversation, also across instances, so the number is current;
- keeps the tracker a turn saved for that conversation's next turn (stores/recent_trackers.py)
  and hands it out instead of rebuilding it when the newest stored row of that sender is still
  the one it saved, so turns served by another instance, deletions and purges are all seen.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import time
import weakref
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Dict, List, Optional, Text

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.domain import Domain
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from rasa.shared.core.events import Event, SessionStarted, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

from stores.files import FileStore
from actions.partner import store as partner_store
from reminding import store as reminder_store
from stores.recent_trackers import RecentTrackers

logger = logging.getLogger(__name__)

DB_URL_ENV = "TRACKER_DB_URL"
RETENTION_ENV = "TRACKER_RETENTION_DAYS"
DEFAULT_RETENTION_DAYS = 30
# Set to true by `action_delete_conversation` (actions/safety/privacy.py) after the person confirmed.
DELETION_SLOT = "conversation_deletion_confirmed"
SECONDS_PER_DAY = 24 * 60 * 60
# Retention is enforced at start-up and then at most this often, after a save.
PURGE_INTERVAL_SECONDS = 60 * 60
# Expired charts and summaries leave the disk at most this long after their hour is up.
FILE_PURGE_INTERVAL_SECONDS = 60
# Conversations whose last saved tracker is kept in memory for their next turn, and for how long;
# each holds its whole latest session, so both are bounded.
DEFAULT_RECENT_TRACKERS = 200
RECENT_TRACKER_IDLE_SECONDS = 15 * 60


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


def holds_only_its_latest_session(tracker: DialogueStateTracker) -> bool:
    """True when the tracker has exactly the events that reading its latest session back returns.

    Rasa reads back the events stamped at or after the latest `SessionStarted` (all when there is
    none); a tracker that began a new session during its turn still holds the session before.
    """
    starts = [event.timestamp for event in tracker.events if isinstance(event, SessionStarted)]
    if not starts:
        return True
    latest_start = max(starts)
    return all(event.timestamp >= latest_start for event in tracker.events)


@dataclass(frozen=True)
class StoredEvents:
    """How much of one tracker object is in the database: its first `count` events, up to row `last_row_id`."""

    tracker: "weakref.ref[DialogueStateTracker]"
    count: int
    last_row_id: Optional[int]


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
        recent_trackers: int = DEFAULT_RECENT_TRACKERS,
        **kwargs: Any,
    ) -> None:
        """`host`, `dialect`, `db`, ... as for `SQLTrackerStore`; TRACKER_DB_URL overrides them.

        `recent_trackers`: conversations whose saved tracker is kept for their next turn (0: none).
        """
        self._recent = RecentTrackers(recent_trackers, RECENT_TRACKER_IDLE_SECONDS)
        self.files = FileStore()
        super().__init__(domain=domain, host=os.environ.get(DB_URL_ENV) or host, **kwargs)
        if self.engine.dialect.name == "sqlite":
            self._keep_sqlite_connections_open()
        else:
            # Ping pooled connections before use: after a database restart the first message is
            # answered instead of failing on a connection the restart closed.
            self.engine.dispose()
            self.engine = sa.create_engine(self.engine.url, pool_pre_ping=True, **create_engine_kwargs(self.engine.url))
            self.sessionmaker.configure(bind=self.engine)
        self.retention_days = retention_days_from_env() if retention_days is None else retention_days
        self._next_purge = 0.0
        self._next_file_purge = 0.0
        self._stored: Dict[Text, StoredEvents] = {}  # sender id -> the tracker object last read or written
        # Plain SQL: building SQLAlchemy's cache key for the equivalent expression cost more than the query.
        # Partner mode's and the reminders' rows share deletion and retention with the events.
        partner_store.ensure_tables(self.engine)
        reminder_store.ensure_tables(self.engine)
        self._newest_row_query = sa.text(
            f"SELECT max(id) FROM {self.SQLEvent.__tablename__} WHERE sender_id = :sender_id"
        )
        self._purge_if_due()

    def _keep_sqlite_connections_open(self) -> None:
        """Pool SQLite connections, each set to overwrite deleted rows.

        Rasa's engine (SQLAlchemy 1.4's default for SQLite files) opens a new connection for every
        query; a turn makes two or three.
        """
        self.engine.dispose()
        self.engine = sa.create_engine(
            self.engine.url, poolclass=sa.pool.QueuePool, connect_args={"check_same_thread": False}
        )
        sa.event.listen(self.engine, "connect", _enable_secure_delete)
        self.sessionmaker.configure(bind=self.engine)

    @property
    def domain(self) -> Domain:
        return self._domain

    @domain.setter
    def domain(self, domain: Optional[Domain]) -> None:
        """A new model's domain may have other slots: trackers built with the old one are dropped."""
        self._domain = domain or Domain.empty()
        self._recent.clear()

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store the new events, or delete the whole conversation when that was confirmed.

        A deletion request is never stored (this deletes instead), so one in the tracker is new.
        Rows are written as Rasa's `save` writes them; this also notes the id of the last one.
        """
        if any(is_deletion_request(event) for event in tracker.events):
            self.delete_conversation(tracker.sender_id)
            return
        await self.stream_events(tracker)
        known = self._stored_events(tracker)
        with self.session_scope() as session:
            unsaved = self._unsaved_events(session, tracker, known)
            rows = [self._row(tracker.sender_id, event) for event in self._within_retention(unsaved)]
            session.add_all(rows)
            session.flush()  # assigns the ids
            last_row_id = rows[-1].id if rows else (known.last_row_id if known else None)
            session.commit()
        self._remember_stored(tracker, len(tracker.events), last_row_id)
        if len(rows) == len(unsaved) and last_row_id is not None and holds_only_its_latest_session(tracker):
            self._recent.put(tracker, last_row_id)
        self._purge_if_due()

    def _row(self, sender_id: Text, event: Event) -> Any:
        """The `events` row Rasa's `SQLTrackerStore.save` writes for `event`."""
        data = event.as_dict()
        return self.SQLEvent(
            sender_id=sender_id,
            type_name=event.type_name,
            timestamp=data.get("timestamp"),
            intent_name=data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            action_name=data.get("name"),
            data=json.dumps(data),
        )

    def _remember_stored(self, tracker: DialogueStateTracker, count: int, last_row_id: Optional[int]) -> None:
        """Note that the first `count` events of this tracker object are stored, up to row `last_row_id`."""
        sender_id, stored = tracker.sender_id, self._stored

        def forget(reference: weakref.ref) -> None:
            if sender_id in stored and stored[sender_id].tracker is reference:
                del stored[sender_id]

        stored[sender_id] = StoredEvents(weakref.ref(tracker, forget), count, last_row_id)

    def _stored_events(self, tracker: DialogueStateTracker) -> Optional[StoredEvents]:
        """How much of this very tracker object is stored, when this store read or wrote it."""
        known = self._stored.get(tracker.sender_id)
        return known if known is not None and known.tracker() is tracker else None

    def _unsaved_events(
        self, session: Any, tracker: DialogueStateTracker, known: Optional[StoredEvents]
    ) -> List[Event]:
        """The tracker's events not yet in the database (Rasa counts the stored ones each time)."""
        if known is not None:
            count = known.count
        else:
            count = self._event_query(session, tracker.sender_id, fetch_events_from_all_sessions=False).count()
        return list(itertools.islice(tracker.events, count, None))

    async def _retrieve(self, sender_id: Text, fetch_events_from_all_sessions: bool) -> Optional[DialogueStateTracker]:
        """Rasa's `_retrieve`, reading only the event column and with the remembered class lookup.

        The latest session comes from the tracker the last turn saved when nothing was stored since.
        """
        if not fetch_events_from_all_sessions:
            recent = self._recent.take(sender_id)
            if recent is not None and recent.last_row_id == self._last_row_id(sender_id):
                self._remember_stored(recent.tracker, recent.events_saved, recent.last_row_id)
                return recent.tracker
        with self.session_scope() as session:
            query = self._event_query(session, sender_id, fetch_events_from_all_sessions)
            rows = query.with_entities(self.SQLEvent.id, self.SQLEvent.data).all()
            serialised = [json.loads(row.data) for row in rows]
        if not self.domain or not serialised:
            return None
        tracker = DialogueStateTracker.from_events(sender_id, deserialise_events(serialised), self.domain.slots)
        if not fetch_events_from_all_sessions:
            self._remember_stored(tracker, len(serialised), rows[-1].id)
        return tracker

    def _last_row_id(self, sender_id: Text) -> Optional[int]:
        """Id of the newest stored event of `sender_id`, whichever instance stored it."""
        with self.session_scope() as session:
            return session.execute(self._newest_row_query, {"sender_id": sender_id}).scalar()

    def delete_conversation(self, sender_id: Text) -> int:
        """Delete every stored event of `sender_id`, in all sessions; returns how many."""
        with self.session_scope() as session:
            deleted = (
                session.query(self.SQLEvent)
                .filter(self.SQLEvent.sender_id == sender_id)
                .delete(synchronize_session=False)
            )
            partner_store.forget(session.connection(), sender_id)
            reminder_store.forget(session.connection(), sender_id)
            session.commit()
        self._stored.pop(sender_id, None)
        self._recent.forget(sender_id)
        files = self.files.delete_conversation(sender_id)
        logger.info("Deleted a conversation on its sender's request (%d events, %d files).", deleted, files)
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
            reminder_store.purge(session.connection(), cutoff)  # before the events that find idle people
            ended = session.execute(
                events.delete().where(events.c.timestamp < cutoff, events.c.timestamp < latest_session_start)
            ).rowcount
            idle = session.execute(events.delete().where(events.c.sender_id.in_(idle_senders))).rowcount
            partner_store.purge(session.connection(), cutoff, now=time.time() if now is None else now)
            session.commit()
        if ended + idle:
            self._recent.clear()
            logger.info("Retention: deleted %d events older than %d days.", ended + idle, self.retention_days)
        return ended + idle

    def _purge_if_due(self) -> None:
        if time.monotonic() >= self._next_file_purge:
            self.files.purge_expired()
            self._next_file_purge = time.monotonic() + FILE_PURGE_INTERVAL_SECONDS
        if time.monotonic() >= self._next_purge:
            self.purge_expired()
            self._next_purge = time.monotonic() + PURGE_INTERVAL_SECONDS

    def _within_retention(self, events: List[Event]) -> List[Event]:
        """The events not already past retention (a conversation purged mid-turn stays purged)."""
        cutoff = self.retention_cutoff()
        if cutoff is None:
            return events
        return [event for event in events if event.timestamp is None or event.timestamp >= cutoff]
