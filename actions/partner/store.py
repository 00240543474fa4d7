"""Partner mode's own tables in the tracker store's database, and every change made to them.

Same database as the conversations (TRACKER_DB_URL, else the SQLite file endpoints.yml names),
so "delete my data" and retention reach these rows too (stores/tracker_store.py calls `forget`
and `purge`). Each change is one transaction; redeeming a code is a single conditional UPDATE,
so two instances can never both use one code, and the primary key on `partner_members.sender_id`
keeps anyone from being in two links at once.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Dict, Optional, Sequence

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from actions.partner.codes import code_hash, new_code

DB_URL_ENV = "TRACKER_DB_URL"
# The SQLite file endpoints.yml names when TRACKER_DB_URL is unset (tests point it elsewhere).
DB_FILE_ENV = "TRACKER_DB_FILE"
DEFAULT_DB_FILE = "tracker.db"
# An invite stored before invites recorded a channel: the notice waits for the next reply.
DEFAULT_CHANNEL = "rest"

INVITE_SECONDS = 48 * 60 * 60
ATTEMPT_WINDOW_SECONDS = 60 * 60
MAX_WRONG_CODES = 5
CRISIS_DAYS = 30
CRISIS_INTENT = "crisis"

metadata = sa.MetaData()
invites = sa.Table(
    "partner_invites", metadata,
    sa.Column("code_hash", sa.String(64), primary_key=True),
    sa.Column("inviter", sa.String(255), nullable=False, index=True),
    sa.Column("expires_at", sa.Float, nullable=False),
    sa.Column("used_by", sa.String(255)),
    # Where the inviter asked (rest, socketio, telegram): where the joined notice goes.
    sa.Column("channel", sa.String(32)),
)
members = sa.Table(
    "partner_members", metadata,
    sa.Column("sender_id", sa.String(255), primary_key=True),
    sa.Column("partner_id", sa.String(255), nullable=False),
    sa.Column("linked_at", sa.Float, nullable=False),
    # False for the inviter until they have been told that their partner joined.
    sa.Column("told", sa.Boolean, nullable=False),
)
results = sa.Table(
    "partner_results", metadata,
    sa.Column("sender_id", sa.String(255), primary_key=True),
    sa.Column("levels", sa.Text, nullable=False),  # JSON: theme -> 1..5 or null (skipped)
    sa.Column("lean", sa.String(32)),
    sa.Column("finished_at", sa.Float, nullable=False),
)
wrong_codes = sa.Table(
    "partner_wrong_codes", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("sender_id", sa.String(255), nullable=False, index=True),
    sa.Column("at", sa.Float, nullable=False),
)
# Rasa's own table, read only: when did someone last write a crisis message.
_events = sa.table("events", sa.column("sender_id"), sa.column("intent_name"), sa.column("timestamp"))

# What redeeming a code can find.
LINKED, UNKNOWN, EXPIRED, USED, OWN, TAKEN = "linked", "unknown", "expired", "used", "own", "taken"


@dataclass(frozen=True)
class Invite:
    code: str
    expires_at: float


@dataclass(frozen=True)
class Link:
    partner_id: str
    linked_at: float
    told: bool


@dataclass(frozen=True)
class Shared:
    levels: Dict[str, Optional[int]]
    lean: Optional[str]


def database_url() -> str:
    return os.environ.get(DB_URL_ENV, "").strip() or f"sqlite:///{os.environ.get(DB_FILE_ENV, DEFAULT_DB_FILE)}"


@lru_cache(maxsize=4)
def engine_for(url: str) -> sa.engine.Engine:
    engine = sa.create_engine(url, pool_pre_ping=True)
    ensure_tables(engine)
    return engine


def ensure_tables(engine: sa.engine.Engine) -> None:
    """Create the tables if missing; another instance creating them at the same moment is fine."""
    try:
        metadata.create_all(engine)
    except sa.exc.DatabaseError:
        metadata.create_all(engine)
    add_channel_column(engine)


def add_channel_column(engine: sa.engine.Engine) -> None:
    """A database from before invites recorded the inviter's channel gets the column (nullable)."""
    if "channel" in {column["name"] for column in sa.inspect(engine).get_columns(invites.name)}:
        return
    try:
        with engine.begin() as db:
            db.execute(sa.text(f"ALTER TABLE {invites.name} ADD COLUMN channel VARCHAR(32)"))
    except sa.exc.DatabaseError:  # another instance added it at the same moment
        pass


class PartnerStore:
    """Links, invites, shared results and wrong-code tries; `clock` lets tests move time."""

    def __init__(self, engine: Optional[sa.engine.Engine] = None, clock: Callable[[], float] = time.time) -> None:
        self.engine = engine if engine is not None else engine_for(database_url())
        self.clock = clock

    def invite(self, inviter: str, channel: str = DEFAULT_CHANNEL) -> Invite:
        """A fresh code, remembering the inviter's channel; their earlier unused codes stop working."""
        code, now = new_code(), self.clock()
        with self.engine.begin() as db:
            db.execute(invites.delete().where(invites.c.inviter == inviter, invites.c.used_by.is_(None)))
            db.execute(invites.insert().values(
                code_hash=code_hash(code), inviter=inviter, expires_at=now + INVITE_SECONDS, channel=channel
            ))
        return Invite(code, now + INVITE_SECONDS)

    def inviter_channel(self, code: str) -> str:
        """The channel the code's inviter asked on, where their joined notice goes."""
        with self.engine.connect() as db:
            channel = db.execute(sa.select(invites.c.channel).where(invites.c.code_hash == code_hash(code))).scalar()
        return channel or DEFAULT_CHANNEL

    def check(self, code: str, joiner: str) -> tuple[str, Optional[str]]:
        """What redeeming `code` would find now, and the inviter when it is usable (nothing changes)."""
        with self.engine.connect() as db:
            row = db.execute(sa.select(invites).where(invites.c.code_hash == code_hash(code))).first()
        if row is None:
            return UNKNOWN, None
        if row.inviter == joiner:
            return OWN, None
        if row.used_by is not None:
            return USED, None
        if row.expires_at <= self.clock():
            return EXPIRED, None
        if self.link(joiner) or self.link(row.inviter):
            return TAKEN, None
        return LINKED, row.inviter

    def redeem(self, code: str, joiner: str) -> str:
        """Use the code and link both people in one transaction; LINKED or why not."""
        now = self.clock()
        try:
            with self.engine.begin() as db:
                row = db.execute(sa.select(invites.c.inviter).where(invites.c.code_hash == code_hash(code))).first()
                claimed = db.execute(
                    invites.update()
                    .where(invites.c.code_hash == code_hash(code), invites.c.used_by.is_(None))
                    .where(invites.c.expires_at > now, invites.c.inviter != joiner)
                    .values(used_by=joiner)
                ).rowcount
                if row is None or claimed != 1:
                    raise _NotRedeemed(self.check(code, joiner)[0])
                db.execute(members.insert(), [
                    {"sender_id": row.inviter, "partner_id": joiner, "linked_at": now, "told": False},
                    {"sender_id": joiner, "partner_id": row.inviter, "linked_at": now, "told": True},
                ])
        except _NotRedeemed as refused:
            return refused.reason
        except IntegrityError:
            return TAKEN
        return LINKED

    def link(self, sender_id: str) -> Optional[Link]:
        with self.engine.connect() as db:
            row = db.execute(sa.select(members).where(members.c.sender_id == sender_id)).first()
        return Link(row.partner_id, row.linked_at, bool(row.told)) if row else None

    def mark_told(self, sender_id: str) -> None:
        with self.engine.begin() as db:
            db.execute(members.update().where(members.c.sender_id == sender_id).values(told=True))

    def unlink(self, sender_id: str) -> bool:
        """End the link on both sides and drop both shared results (they were shared for it)."""
        link = self.link(sender_id)
        if link is None:
            return False
        pair = [sender_id, link.partner_id]
        with self.engine.begin() as db:
            db.execute(members.delete().where(members.c.sender_id.in_(pair)))
            db.execute(results.delete().where(results.c.sender_id.in_(pair)))
        return True

    def share(self, sender_id: str, levels: Dict[str, Optional[int]], lean: Optional[str]) -> bool:
        """Keep the levels of a check-in just finished, only while linked; True if kept."""
        if self.link(sender_id) is None:
            return False
        with self.engine.begin() as db:
            db.execute(results.delete().where(results.c.sender_id == sender_id))
            db.execute(results.insert().values(sender_id=sender_id, levels=json.dumps(levels), lean=lean, finished_at=self.clock()))
        return True

    def shared(self, sender_id: str) -> Optional[Shared]:
        with self.engine.connect() as db:
            row = db.execute(sa.select(results).where(results.c.sender_id == sender_id)).first()
        return Shared(json.loads(row.levels), row.lean) if row else None

    def note_wrong_code(self, sender_id: str) -> None:
        with self.engine.begin() as db:
            db.execute(wrong_codes.insert().values(sender_id=sender_id, at=self.clock()))

    def blocked(self, sender_id: str) -> bool:
        """More than MAX_WRONG_CODES wrong codes within the last hour: no more tries for now."""
        since = self.clock() - ATTEMPT_WINDOW_SECONDS
        query = sa.select(sa.func.count()).where(wrong_codes.c.sender_id == sender_id, wrong_codes.c.at > since)
        with self.engine.connect() as db:
            return db.execute(query).scalar() > MAX_WRONG_CODES

    def had_crisis(self, senders: Sequence[str]) -> set[str]:
        """Which of these people wrote a crisis message in the last CRISIS_DAYS days."""
        since = self.clock() - CRISIS_DAYS * 24 * 60 * 60
        query = sa.select(_events.c.sender_id).distinct().where(
            _events.c.sender_id.in_(list(senders)), _events.c.intent_name == CRISIS_INTENT, _events.c.timestamp >= since
        )
        with self.engine.connect() as db:
            return {row.sender_id for row in db.execute(query)}


class _NotRedeemed(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def forget(connection: sa.engine.Connection, sender_id: str) -> None:
    """Everything partner mode holds of one person, gone: their link (both sides), results, codes."""
    partner = sa.select(members.c.partner_id).where(members.c.sender_id == sender_id).scalar_subquery()
    connection.execute(results.delete().where(results.c.sender_id == sender_id))
    connection.execute(results.delete().where(results.c.sender_id == partner))
    connection.execute(members.delete().where(members.c.partner_id == sender_id))
    connection.execute(members.delete().where(members.c.sender_id == sender_id))
    connection.execute(invites.delete().where(sa.or_(invites.c.inviter == sender_id, invites.c.used_by == sender_id)))
    connection.execute(wrong_codes.delete().where(wrong_codes.c.sender_id == sender_id))


def purge(connection: sa.engine.Connection, cutoff: float, now: float) -> int:
    """Retention: expired codes, old wrong tries and results, links whose conversations are gone."""
    deleted = connection.execute(invites.delete().where(invites.c.expires_at < now)).rowcount
    deleted += connection.execute(wrong_codes.delete().where(wrong_codes.c.at < now - ATTEMPT_WINDOW_SECONDS)).rowcount
    deleted += connection.execute(results.delete().where(results.c.finished_at < cutoff)).rowcount
    gone = sa.select(members.c.sender_id).where(
        members.c.linked_at < cutoff, members.c.sender_id.not_in(sa.select(_events.c.sender_id).distinct())
    )
    deleted += connection.execute(
        members.delete().where(sa.or_(members.c.sender_id.in_(gone), members.c.partner_id.in_(gone)))
    ).rowcount
    return deleted
