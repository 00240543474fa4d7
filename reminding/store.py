"""Reminders in their own table, in the tracker store's database (SQLite file or PostgreSQL).

They sit beside the conversations, so the same database, backups and deletion cover them. Each
reminder is claimed by exactly one scheduler: on PostgreSQL the due rows are locked with
`FOR UPDATE SKIP LOCKED` (another instance skips them instead of waiting), and every change of
state is a compare-and-set on the row's status, which is also what keeps one SQLite process honest.
Rows hold no message text: only who, when, what kind (check-in or exercise) and where to send.

The same pipeline carries notices: one-off messages nobody asked for as a reminder (partner mode's
"your partner has joined"), due at once. They are not reminders to the person, so they do not count
against the limit, are not listed and are not cancelled by "stop reminders"; they are never dropped
for being late either (a late notice is still true).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.engine import Engine

DB_URL_ENV = "TRACKER_DB_URL"
# endpoints.yml's default tracker store: tracker.db in the directory the servers run from.
DEFAULT_DB_URL = "sqlite:///tracker.db"
MAX_ACTIVE_PER_PERSON = 5
# A claimed reminder whose sending never finished (the process died) is claimable again after this.
STUCK_AFTER_SECONDS = 10 * 60
# Statuses. waiting: due, to be shown with the person's next reply (web, REST).
ACTIVE, SENDING, WAITING, FIRED, CANCELLED, DROPPED, FAILED = (
    "active", "sending", "waiting", "fired", "cancelled", "dropped", "failed",
)
PENDING = (ACTIVE, SENDING, WAITING)
# Kinds of notice (see above); every other kind is a reminder the person asked for.
PARTNER_JOINED = "partner_joined"
NOTICES = (PARTNER_JOINED,)

metadata = sa.MetaData()
reminders = sa.Table(
    "reminders",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("sender_id", sa.String(255), nullable=False, index=True),
    sa.Column("channel", sa.String(32), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),  # checkin | exercise | a notice's kind
    sa.Column("zone", sa.String(64), nullable=False),
    sa.Column("due_at", sa.Float, nullable=False, index=True),
    sa.Column("repeat", sa.String(8)),  # daily | weekly | NULL
    sa.Column("status", sa.String(16), nullable=False, index=True),
    sa.Column("attempts", sa.Integer, nullable=False, default=0),
    sa.Column("retry_at", sa.Float),
    sa.Column("claimed_at", sa.Float),
    sa.Column("fired_at", sa.Float),
    sa.Column("created_at", sa.Float, nullable=False),
)


@dataclass(frozen=True)
class Reminder:
    id: int
    sender_id: str
    channel: str
    kind: str
    zone: str
    due_at: float
    repeat: Optional[str]
    attempts: int


_asked_for = reminders.c.kind.not_in(NOTICES)


def _reminder(row: sa.engine.Row) -> Reminder:
    return Reminder(row.id, row.sender_id, row.channel, row.kind, row.zone, row.due_at, row.repeat, row.attempts)


def engine_from_env() -> Engine:
    """The tracker store's database, as the action server finds it: TRACKER_DB_URL or tracker.db."""
    url = os.environ.get(DB_URL_ENV) or DEFAULT_DB_URL
    kwargs = {"connect_args": {"timeout": 15}} if url.startswith("sqlite") else {"pool_pre_ping": True}
    return sa.create_engine(url, **kwargs)


def ensure_tables(engine: Engine) -> None:
    """Create the reminders table once; the tracker store and the action server both may be first."""
    try:
        metadata.create_all(engine, checkfirst=True)
    except sa.exc.DBAPIError:  # another instance created the table at the same moment
        metadata.create_all(engine, checkfirst=True)


class ReminderStore:
    """Every read and write of the reminders table."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        ensure_tables(engine)

    def add(self, sender_id: str, channel: str, kind: str, zone: str, due_at: float, repeat: Optional[str], now: float) -> Optional[int]:
        """Store a reminder; None when the person already has the most they may have."""
        with self.engine.begin() as conn:
            if self._count_pending(conn, sender_id) >= MAX_ACTIVE_PER_PERSON:
                return None
            values = dict(sender_id=sender_id, channel=channel, kind=kind, zone=zone, due_at=due_at,
                          repeat=repeat, status=ACTIVE, attempts=0, created_at=now)
            return conn.execute(reminders.insert().values(**values)).inserted_primary_key[0]

    def add_notice(self, sender_id: str, channel: str, kind: str, now: float) -> int:
        """Store a notice due now; no limit and no quiet hours, it is a reply to something that happened."""
        values = dict(sender_id=sender_id, channel=channel, kind=kind, zone="UTC", due_at=now,
                      repeat=None, status=ACTIVE, attempts=0, created_at=now)
        with self.engine.begin() as conn:
            return conn.execute(reminders.insert().values(**values)).inserted_primary_key[0]

    def notice_pending(self, sender_id: str, kind: str) -> bool:
        """Whether a notice of this kind is still to be delivered (or being delivered) to the person."""
        query = sa.select(sa.func.count()).select_from(reminders).where(
            reminders.c.sender_id == sender_id, reminders.c.kind == kind, reminders.c.status.in_(PENDING)
        )
        with self.engine.connect() as conn:
            return conn.execute(query).scalar_one() > 0

    def take_notice(self, sender_id: str, kind: str, now: float) -> bool:
        """Mark a notice not yet being sent as delivered, for a reply that says it itself; True if one was."""
        update = reminders.update().where(
            reminders.c.sender_id == sender_id, reminders.c.kind == kind, reminders.c.status.in_((ACTIVE, WAITING))
        )
        with self.engine.begin() as conn:
            return conn.execute(update.values(status=FIRED, fired_at=now)).rowcount > 0

    def drop_notices(self, sender_ids: list[str], kind: str) -> int:
        """What the notices say is no longer true (partners unlinked): drop those not delivered yet."""
        update = reminders.update().where(
            reminders.c.sender_id.in_(sender_ids), reminders.c.kind == kind, reminders.c.status.in_(PENDING)
        )
        with self.engine.begin() as conn:
            return conn.execute(update.values(status=DROPPED)).rowcount

    def pending(self, sender_id: str) -> list[Reminder]:
        """The person's reminders that have not come yet (or are being sent), soonest first; no notices."""
        query = reminders.select().where(reminders.c.sender_id == sender_id, reminders.c.status.in_(PENDING), _asked_for)
        with self.engine.connect() as conn:
            return [_reminder(row) for row in conn.execute(query.order_by(reminders.c.due_at))]

    def cancel(self, sender_id: str, notices_too: bool = False) -> int:
        """Cancel every reminder of the person that has not fired; returns how many.

        Notices stay unless `notices_too` (the chat blocked the bot: nothing will ever reach it).
        """
        update = reminders.update().where(reminders.c.sender_id == sender_id, reminders.c.status.in_(PENDING))
        if not notices_too:
            update = update.where(_asked_for)
        with self.engine.begin() as conn:
            return conn.execute(update.values(status=CANCELLED)).rowcount

    def rows_of(self, sender_id: str) -> int:
        with self.engine.connect() as conn:
            query = sa.select(sa.func.count()).select_from(reminders).where(reminders.c.sender_id == sender_id)
            return conn.execute(query).scalar_one()

    def stale(self, before: float) -> list[Reminder]:
        """Active reminders that were due before `before` (missed while the servers were down); no notices."""
        query = reminders.select().where(
            reminders.c.status == ACTIVE, reminders.c.due_at < before, reminders.c.retry_at.is_(None), _asked_for
        )
        with self.engine.connect() as conn:
            return [_reminder(row) for row in conn.execute(query)]

    def claim_due(self, now: float, limit: int = 100) -> list[Reminder]:
        """Take the due reminders for this scheduler; another instance never gets the same one."""
        due = sa.func.coalesce(reminders.c.retry_at, reminders.c.due_at)
        with self.engine.begin() as conn:
            self._release_stuck(conn, now)
            candidates = conn.execute(
                sa.select(reminders.c.id)
                .where(reminders.c.status == ACTIVE, due <= now)
                .order_by(due)
                .limit(limit)
                .with_for_update(skip_locked=True)
            ).scalars().all()
            claimed = [id_ for id_ in candidates if self._move(conn, id_, ACTIVE, SENDING, claimed_at=now)]
            if not claimed:
                return []
            rows = conn.execute(reminders.select().where(reminders.c.id.in_(claimed)).order_by(reminders.c.due_at))
            return [_reminder(row) for row in rows]

    def finish(self, reminder: Reminder, now: float, next_due: Optional[float]) -> None:
        """Record that it fired; a repeating one becomes active again for its next time."""
        with self.engine.begin() as conn:
            if next_due is None:
                self._move(conn, reminder.id, None, FIRED, fired_at=now)
            else:
                self._move(conn, reminder.id, None, ACTIVE, fired_at=now, due_at=next_due, attempts=0, retry_at=None)

    def retry_later(self, reminder: Reminder, retry_at: float) -> None:
        with self.engine.begin() as conn:
            self._move(conn, reminder.id, SENDING, ACTIVE, attempts=reminder.attempts + 1, retry_at=retry_at)

    def give_up(self, reminder: Reminder) -> None:
        with self.engine.begin() as conn:
            self._move(conn, reminder.id, None, FAILED)

    def drop(self, reminder: Reminder) -> bool:
        """Mark a missed reminder as dropped, unless another instance already handled it."""
        with self.engine.begin() as conn:
            return self._move(conn, reminder.id, ACTIVE, DROPPED)

    def move_on(self, reminder: Reminder, next_due: float) -> bool:
        """Give a missed repeating reminder its next time instead of firing it late."""
        with self.engine.begin() as conn:
            return self._move(conn, reminder.id, ACTIVE, ACTIVE, due_at=next_due, expected_due=reminder.due_at)

    def hold_for_reply(self, reminder: Reminder) -> None:
        """A reminder for web or REST waits to be shown with the person's next reply."""
        with self.engine.begin() as conn:
            self._move(conn, reminder.id, SENDING, WAITING)

    def take_waiting(self, sender_id: str) -> list[Reminder]:
        """The person's reminders waiting to be shown, each handed out once."""
        query = reminders.select().where(reminders.c.sender_id == sender_id, reminders.c.status == WAITING)
        with self.engine.begin() as conn:
            rows = [_reminder(row) for row in conn.execute(query.order_by(reminders.c.due_at))]
            return [row for row in rows if self._move(conn, row.id, WAITING, SENDING)]

    @staticmethod
    def _count_pending(conn: sa.engine.Connection, sender_id: str) -> int:
        query = sa.select(sa.func.count()).select_from(reminders).where(
            reminders.c.sender_id == sender_id, reminders.c.status.in_(PENDING), _asked_for
        )
        return conn.execute(query).scalar_one()

    @staticmethod
    def _move(conn: sa.engine.Connection, id_: int, from_status: Optional[str], to_status: str,
              expected_due: Optional[float] = None, **values: object) -> bool:
        """Compare-and-set: change the row only if it is still in `from_status` (any when None)."""
        update = reminders.update().where(reminders.c.id == id_)
        if from_status is not None:
            update = update.where(reminders.c.status == from_status)
        if expected_due is not None:
            update = update.where(reminders.c.due_at == expected_due)
        return conn.execute(update.values(status=to_status, **values)).rowcount == 1

    @staticmethod
    def _release_stuck(conn: sa.engine.Connection, now: float) -> None:
        conn.execute(
            reminders.update()
            .where(reminders.c.status == SENDING, reminders.c.claimed_at < now - STUCK_AFTER_SECONDS)
            .values(status=ACTIVE)
        )


def forget(connection: sa.engine.Connection, sender_id: str) -> int:
    """Every reminder row of one person, gone ("delete my data"); returns how many."""
    return connection.execute(reminders.delete().where(reminders.c.sender_id == sender_id)).rowcount


def purge(connection: sa.engine.Connection, cutoff: float) -> int:
    """Retention: reminders that are over and older than `cutoff`, and those of forgotten people.

    Call it before the events are deleted: a person whose whole conversation is past retention is
    found by their newest event.
    """
    over = sa.not_(reminders.c.status.in_(PENDING))
    deleted = connection.execute(reminders.delete().where(over, reminders.c.created_at < cutoff)).rowcount
    events = sa.table("events", sa.column("sender_id"), sa.column("timestamp"))
    idle = sa.select(events.c.sender_id).group_by(events.c.sender_id).having(sa.func.max(events.c.timestamp) < cutoff)
    return deleted + connection.execute(reminders.delete().where(reminders.c.sender_id.in_(idle))).rowcount
