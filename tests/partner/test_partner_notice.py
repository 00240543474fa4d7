"""The partner-joined notice: stored when a link is made, delivered once through the reminders'
pipeline (pushed on Telegram, with the next reply on web and REST), never while untrue.

On SQLite and PostgreSQL, with the tracker store's own tables (events, partner, reminders).
"""

from __future__ import annotations

import time
from pathlib import Path
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
import yaml
from rasa_sdk.executor import CollectingDispatcher

from actions.partner import store as stores
from actions.partner.notice import drop_joined_notices, send_joined_notice, tell_if_joined
from actions.partner.store import PartnerStore
from reminding import clock
from reminding.scheduler import Scheduler
from reminding.store import MAX_ACTIVE_PER_PERSON, PARTNER_JOINED, ReminderStore
from stores.tracker_store import PrivacySQLTrackerStore
from tests.reminders.test_scheduler import Collecting, FakeTelegram, FakeTrackers, button_titles

REPO = Path(__file__).resolve().parents[2]
RESPONSES = yaml.safe_load((REPO / "domain/partner.yml").read_text())["responses"]
NOTICE_TEXT = "Your partner has joined you in partner mode"
NOTICE_BUTTONS = ["Start a check-in", "Compare with my partner"]


@pytest.fixture
def engine(database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> sa.engine.Engine:
    """The tracker store's database, with its events table (the crisis rule reads it)."""
    monkeypatch.setenv("TRACKER_DB_URL", database_url)
    monkeypatch.setenv(clock.CLOCK_FILE_ENV, str(tmp_path / "clock"))
    return PrivacySQLTrackerStore(dialect="sqlite", db="unused.db").engine


def link(partners: PartnerStore, inviter: str = "ann", channel: str = "telegram", joiner: str = "ben") -> None:
    """What action_partner_consent does on a yes: redeem, then queue the notice."""
    code = partners.invite(inviter, channel).code
    assert partners.redeem(code, joiner) == stores.LINKED
    send_joined_notice(partners, inviter, code)


def scheduler(engine: sa.engine.Engine, telegram: FakeTelegram) -> Scheduler:
    agent = SimpleNamespace(domain=SimpleNamespace(responses=RESPONSES), tracker_store=FakeTrackers())
    return Scheduler(ReminderStore(engine), agent, telegram)


def statuses(engine: sa.engine.Engine, sender: str) -> list[str]:
    query = sa.text("SELECT status FROM reminders WHERE sender_id = :sender ORDER BY id")
    with engine.connect() as db:
        return [row[0] for row in db.execute(query, {"sender": sender})]


def told_inline(partners: PartnerStore, sender: str) -> list[str]:
    dispatcher = CollectingDispatcher()
    tell_if_joined(dispatcher, partners, sender)
    return [message["response"] for message in dispatcher.messages]


def test_a_notice_is_no_reminder_limit_list_or_stop_reminders_do_not_touch_it(engine: sa.engine.Engine) -> None:
    store = ReminderStore(engine)
    now = clock.now_ts()
    for i in range(MAX_ACTIVE_PER_PERSON):
        assert store.add("ann", "telegram", "checkin", "UTC", now + 3600 + i, None, now) is not None
    store.add_notice("ann", "telegram", PARTNER_JOINED, now)
    assert [r.kind for r in store.pending("ann")] == ["checkin"] * MAX_ACTIVE_PER_PERSON, "not listed"
    store.cancel("ann")
    assert store.add("ann", "telegram", "checkin", "UTC", now + 60, None, now) is not None, "not counted"
    assert store.notice_pending("ann", PARTNER_JOINED), "stop reminders keeps it"
    assert all(r.kind != PARTNER_JOINED for r in store.stale(now + 3 * 86400)), "never dropped as late"
    store.cancel("ann", notices_too=True)
    assert not store.notice_pending("ann", PARTNER_JOINED)


async def test_an_inviter_on_telegram_is_pushed_the_notice_once_with_its_buttons(engine: sa.engine.Engine) -> None:
    partners, telegram = PartnerStore(engine), FakeTelegram()
    link(partners, channel="telegram")
    running = scheduler(engine, telegram)
    await running.tick()
    await running.tick()
    [(chat, [message])] = telegram.sent
    assert chat == "ann" and NOTICE_TEXT in message["text"] and button_titles(message) == NOTICE_BUTTONS
    assert partners.link("ann").told, "told once delivered"
    assert told_inline(partners, "ann") == [], "a later partner message does not say it again"
    assert statuses(engine, "ben") == [], "the joiner gets no notice"


async def test_an_inviter_on_rest_gets_it_with_the_next_reply_once(engine: sa.engine.Engine) -> None:
    partners, telegram = PartnerStore(engine), FakeTelegram()
    link(partners, channel="rest")
    running = scheduler(engine, telegram)
    await running.tick()
    assert telegram.sent == [] and not partners.link("ann").told
    first, second = Collecting(), Collecting()
    await running.show_waiting("ann", first)
    await running.show_waiting("ann", second)
    assert [button_titles(m) for m in first.messages] == [NOTICE_BUTTONS] and second.messages == []
    assert partners.link("ann").told


async def test_a_partner_message_first_says_it_in_place_and_the_notice_is_not_shown_again(engine: sa.engine.Engine) -> None:
    partners, telegram = PartnerStore(engine), FakeTelegram()
    link(partners, channel="rest")
    running = scheduler(engine, telegram)
    await running.tick()  # waiting for the next reply
    assert told_inline(partners, "ann") == ["utter_partner_joined_note"]
    shown = Collecting()
    await running.show_waiting("ann", shown)
    assert shown.messages == [] and told_inline(partners, "ann") == []


def test_while_the_notice_is_being_pushed_a_partner_message_does_not_repeat_it(engine: sa.engine.Engine) -> None:
    partners = PartnerStore(engine)
    link(partners, channel="telegram")
    assert [r.kind for r in ReminderStore(engine).claim_due(clock.now_ts())] == [PARTNER_JOINED]  # now "sending"
    assert told_inline(partners, "ann") == []


def test_if_the_notice_could_not_be_stored_the_next_partner_message_tells(engine: sa.engine.Engine) -> None:
    partners = PartnerStore(engine)
    code = partners.invite("ann", "telegram").code
    assert partners.redeem(code, "ben") == stores.LINKED  # no notice queued
    assert told_inline(partners, "ann") == ["utter_partner_joined_note"]
    assert told_inline(partners, "ann") == []


@pytest.mark.parametrize("who", ["ann", "ben"])
async def test_unlinking_before_delivery_drops_the_notice(engine: sa.engine.Engine, who: str) -> None:
    partners, telegram = PartnerStore(engine), FakeTelegram()
    link(partners, channel="telegram")
    pair = [who, partners.link(who).partner_id]
    assert partners.unlink(who)
    drop_joined_notices(partners, pair)
    await scheduler(engine, telegram).tick()
    assert telegram.sent == [] and statuses(engine, "ann") == ["dropped"]


@pytest.mark.parametrize("deleted", ["ann", "ben"])
async def test_a_notice_whose_link_is_gone_is_dropped_by_the_scheduler(engine: sa.engine.Engine, deleted: str) -> None:
    """ "delete my data" ends the link without the unlink action: the scheduler checks itself."""
    partners, telegram = PartnerStore(engine), FakeTelegram()
    link(partners, channel="telegram")
    with engine.begin() as db:
        stores.forget(db, deleted)
    await scheduler(engine, telegram).tick()
    assert telegram.sent == []
    assert statuses(engine, "ann") in (["dropped"], []), "dropped, or deleted with ann's data"


async def test_after_a_crisis_message_of_either_partner_the_notice_is_not_sent(engine: sa.engine.Engine) -> None:
    partners, telegram = PartnerStore(engine), FakeTelegram()
    link(partners, channel="telegram")
    events = sa.table("events", sa.column("sender_id"), sa.column("type_name"), sa.column("intent_name"),
                      sa.column("timestamp"), sa.column("data"))
    with engine.begin() as db:
        db.execute(events.insert().values(sender_id="ben", type_name="user", intent_name="crisis", timestamp=time.time(), data="{}"))
    await scheduler(engine, telegram).tick()
    assert telegram.sent == [] and statuses(engine, "ann") == ["dropped"]
    assert not partners.link("ann").told


def test_an_invites_table_from_before_the_channel_column_gets_it(tmp_path: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    with engine.begin() as db:
        db.execute(sa.text(
            "CREATE TABLE partner_invites (code_hash VARCHAR(64) PRIMARY KEY, inviter VARCHAR(255) NOT NULL,"
            " expires_at FLOAT NOT NULL, used_by VARCHAR(255))"
        ))
    stores.ensure_tables(engine)
    partners = PartnerStore(engine)
    code = partners.invite("ann", "socketio").code
    assert partners.inviter_channel(code) == "socketio"
