"""The tracker store really forgets: deletion on request and retention, on SQLite and PostgreSQL.

Each test drives `PrivacySQLTrackerStore` the way the Rasa server does (save after every turn)
and then looks straight into the database, not through the store.
"""

from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import List, Tuple

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    Event,
    FollowupAction,
    SessionStarted,
    SlotSet,
    UserUttered,
    UserUtteranceReverted,
)
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

from actions.safety import privacy as privacy_actions
from stores import tracker_store
from stores.tracker_store import DELETION_SLOT, PrivacySQLTrackerStore

REPO = Path(__file__).resolve().parents[2]
DAY = 24 * 60 * 60
DOMAIN = Domain.from_file(str(REPO / "domain" / "privacy.yml"))


def store_for(
    url: str, monkeypatch: pytest.MonkeyPatch, retention_days: int = 30, recent_trackers: int = 200
) -> PrivacySQLTrackerStore:
    """The store as endpoints.yml builds it, with the database chosen by TRACKER_DB_URL."""
    monkeypatch.setenv("TRACKER_DB_URL", url)
    return PrivacySQLTrackerStore(
        domain=DOMAIN, dialect="sqlite", db="unused.db", retention_days=retention_days, recent_trackers=recent_trackers
    )


async def as_rasa_reads_it(store: PrivacySQLTrackerStore, sender: str) -> DialogueStateTracker:
    """The latest session of `sender` rebuilt from the database by stock Rasa's code."""
    return await SQLTrackerStore._retrieve(store, sender, fetch_events_from_all_sessions=False)


def stored_texts(url: str) -> List[str]:
    """The raw `data` column of every stored event, read with a separate connection."""
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT data FROM events")).fetchall()
    engine.dispose()
    return [row[0] for row in rows]


def conversation(sender: str, *events: Event) -> DialogueStateTracker:
    return DialogueStateTracker.from_events(sender, list(events), DOMAIN.slots)


def extend(tracker: DialogueStateTracker, events: List[Event]) -> None:
    """Append events keeping their timestamps (Rasa's own helper would reset them to now)."""
    for event in events:
        tracker.update(event, DOMAIN)


def chat_turn(text: str, at: float) -> List[Event]:
    return [UserUttered(text, timestamp=at), BotUttered("I hear you.", timestamp=at + 1), ActionExecuted("action_listen", timestamp=at + 2)]


def session_start(at: float) -> List[Event]:
    return [ActionExecuted("action_session_start", timestamp=at), SessionStarted(timestamp=at + 0.5), ActionExecuted("action_listen", timestamp=at + 1)]


async def take_turn(store: PrivacySQLTrackerStore, sender: str, events: List[Event]) -> DialogueStateTracker:
    """One turn as the Rasa server takes it: read the tracker, add the turn's events, save it."""
    tracker = await store.retrieve(sender)
    extend(tracker, events)
    await store.save(tracker)
    return tracker


def unique_marker() -> str:
    return f"marker-{uuid.uuid4().hex}"


def test_action_and_store_agree_on_the_deletion_slot() -> None:
    assert privacy_actions.DELETION_SLOT == DELETION_SLOT
    assert DELETION_SLOT in {slot.name for slot in DOMAIN.slots}


async def test_confirmed_deletion_removes_every_event_of_that_person_only(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = store_for(database_url, monkeypatch)
    mine, theirs = unique_marker(), unique_marker()
    now = time.time()
    tracker = conversation("me", *session_start(now - 3600), *chat_turn(f"my secret {mine}", now - 3000))
    await store.save(tracker)
    extend(tracker, session_start(now - 100) + chat_turn(f"more about {mine}", now - 90))
    await store.save(tracker)
    await store.save(conversation("someone else", *session_start(now), *chat_turn(f"their words {theirs}", now)))
    assert any(mine in data for data in stored_texts(database_url))

    extend(
        tracker,
        [
            UserUttered("yes", timestamp=now + 10),
            ActionExecuted("action_delete_conversation", timestamp=now + 11),
            SlotSet(DELETION_SLOT, True, timestamp=now + 11),
            ActionExecuted("action_listen", timestamp=now + 12),
        ],
    )
    await store.save(tracker)

    texts = stored_texts(database_url)
    assert not any(mine in data for data in texts), "an event of the deleted conversation is still stored"
    assert any(theirs in data for data in texts), "another person's conversation was deleted too"
    assert await store.retrieve_full_tracker("me") is None


@pytest.mark.parametrize("recent_trackers", [0, 200], ids=["rebuilt", "kept from its save"])
async def test_a_conversation_reads_back_exactly_as_it_was_saved(
    database_url: str, monkeypatch: pytest.MonkeyPatch, recent_trackers: int
) -> None:
    """The store rebuilds trackers with its own event lookup, or hands out the one it saved a
    moment ago; either way nothing may differ from what Rasa itself reads back."""
    store = store_for(database_url, monkeypatch, recent_trackers=recent_trackers)
    now = time.time()
    parse = {"text": "hi", "intent": {"name": "greet", "confidence": 0.9}, "entities": [], "intent_ranking": []}
    tracker = conversation(
        "me",
        *session_start(now),
        UserUttered("hi", intent=parse["intent"], parse_data=parse, timestamp=now + 2),
        ActionExecuted("utter_greet", timestamp=now + 3),
        BotUttered("Hello!", {"buttons": [{"title": "Yes", "payload": "/affirm"}]}, timestamp=now + 3.5),
        ActiveLoop("reflection_form", timestamp=now + 4),
        SlotSet(DELETION_SLOT, False, timestamp=now + 5),
        UserUtteranceReverted(timestamp=now + 6),
        FollowupAction("action_listen", timestamp=now + 7),
        ActionExecuted("action_listen", timestamp=now + 8),
    )
    await store.save(tracker)

    for all_sessions in (False, True):
        restored = await store._retrieve("me", fetch_events_from_all_sessions=all_sessions)
        as_rasa_does = await SQLTrackerStore._retrieve(store, "me", fetch_events_from_all_sessions=all_sessions)

        assert restored is not None and len(restored.events) >= 10
        assert restored.current_state(EventVerbosity.ALL) == as_rasa_does.current_state(EventVerbosity.ALL)
        assert [type(event) for event in restored.events] == [type(event) for event in as_rasa_does.events]


async def test_turn_after_turn_on_two_instances_each_event_is_stored_once(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As Rasa serves a person: each turn reads the tracker, adds to it and saves it, sometimes
    twice in a turn, and the turns alternate between two instances sharing the database."""
    instances = [store_for(database_url, monkeypatch), store_for(database_url, monkeypatch)]
    now = time.time()
    await instances[0].save(conversation("me", *session_start(now)))
    markers = []
    for turn in range(6):
        store = instances[turn % 2]
        tracker = await store.retrieve("me")
        markers.append(unique_marker())
        extend(tracker, chat_turn(f"turn {turn} {markers[-1]}", now + 10 * turn + 2))
        await store.save(tracker)
        if turn % 3 == 0:
            extend(tracker, [SlotSet(DELETION_SLOT, False, timestamp=now + 10 * turn + 5)])
            await store.save(tracker)
        if turn == 4:  # a new session starts within the turn, as after a long pause
            extend(tracker, session_start(now + 10 * turn + 6))
            await store.save(tracker)

    texts = stored_texts(database_url)
    assert [sum(marker in data for data in texts) for marker in markers] == [1] * len(markers)
    everything = await instances[1].retrieve_full_tracker("me")
    assert len(texts) == len(everything.events) == 3 + 6 * 3 + 2 + 3


async def test_the_next_turn_continues_the_saved_tracker_exactly_as_rasa_would_read_it(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Turn after turn on one instance, including a new session, a form and a reverted message."""
    store = store_for(database_url, monkeypatch)
    now = time.time()
    await store.save(conversation("me", *session_start(now)))
    turns = [
        chat_turn("hello", now + 10),
        [ActiveLoop("reflection_form", timestamp=now + 20), SlotSet(DELETION_SLOT, False, timestamp=now + 21)],
        [UserUttered("oops", timestamp=now + 30), UserUtteranceReverted(timestamp=now + 31)],
        session_start(now + 40) + chat_turn("back again", now + 42),
        chat_turn("and more", now + 50),
    ]
    for turn, events in enumerate(turns):
        tracker = await store.retrieve("me")
        assert tracker.current_state(EventVerbosity.ALL) == (await as_rasa_reads_it(store, "me")).current_state(
            EventVerbosity.ALL
        ), f"turn {turn} began from a tracker that differs from the stored one"
        extend(tracker, events)
        await store.save(tracker)
    assert (await store.retrieve("me")).latest_message.text == "and more"


async def two_instances_after_a_turn_on_the_first(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> Tuple[PrivacySQLTrackerStore, PrivacySQLTrackerStore]:
    """Two instances sharing the database; the first keeps the tracker of the turn it just served."""
    first, second = store_for(database_url, monkeypatch), store_for(database_url, monkeypatch)
    now = time.time()
    await first.save(conversation("me", *session_start(now - 10)))
    await take_turn(first, "me", chat_turn("on the first", now - 5))
    return first, second


async def test_a_turn_served_by_another_instance_is_never_missed(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = await two_instances_after_a_turn_on_the_first(database_url, monkeypatch)
    await take_turn(second, "me", chat_turn("on the second", time.time()))

    assert (await first.retrieve("me")).latest_message.text == "on the second"


async def test_a_conversation_deleted_by_another_instance_is_gone_on_this_one(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = await two_instances_after_a_turn_on_the_first(database_url, monkeypatch)
    second.delete_conversation("me")

    assert await first.retrieve("me") is None


async def test_a_turn_that_failed_before_its_save_leaves_no_trace(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rasa changes the tracker during the turn; when the turn fails, only what was saved counts."""
    store = store_for(database_url, monkeypatch)
    now = time.time()
    await store.save(conversation("me", *session_start(now), *chat_turn("saved", now + 2)))
    failed_turn = await store.retrieve("me")
    extend(failed_turn, chat_turn("never saved", now + 10))

    again = await store.retrieve("me")
    assert again is not failed_turn and again.latest_message.text == "saved"


async def test_a_tracker_changed_after_its_save_is_not_handed_out(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rasa's `create_tracker` saves a new tracker and its turn goes on adding to it."""
    store = store_for(database_url, monkeypatch)
    tracker = await store.create_tracker("me")
    extend(tracker, chat_turn("not saved yet", time.time()))

    assert (await store.retrieve("me")).latest_message.text != "not saved yet"


async def test_a_kept_tracker_is_handed_out_once_and_only_until_a_purge_or_a_new_model(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    keeping_store = store_for(database_url, monkeypatch, retention_days=0)
    store = store_for(database_url, monkeypatch, retention_days=30)
    now = time.time()
    await store.save(conversation("me", *session_start(now), *chat_turn("hello", now + 2)))

    kept = await take_turn(store, "me", [])
    assert await store.retrieve("me") is kept
    assert await store.retrieve("me") is not kept, "one tracker was handed to two turns"

    kept = await take_turn(store, "me", [])
    await keeping_store.save(conversation("idle", *session_start(now - 40 * DAY), *chat_turn("old", now - 40 * DAY)))
    assert store.purge_expired() == 6
    assert await store.retrieve("me") is not kept

    kept = await take_turn(store, "me", [])
    store.domain = DOMAIN  # as Rasa does when it loads a new model
    assert await store.retrieve("me") is not kept


async def test_without_confirmation_everything_is_kept(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    store = store_for(database_url, monkeypatch)
    marker = unique_marker()
    now = time.time()
    tracker = conversation("me", *session_start(now), *chat_turn(f"keep {marker}", now + 1))
    tracker.update(SlotSet(DELETION_SLOT, False, timestamp=now + 5))
    await store.save(tracker)

    assert sum(marker in data for data in stored_texts(database_url)) == 1


async def test_deleted_text_is_overwritten_in_the_sqlite_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    database = tmp_path / "tracker.db"
    store = store_for(f"sqlite:///{database}", monkeypatch)
    marker = unique_marker()
    tracker = conversation("me", *session_start(time.time()), *chat_turn(f"secret {marker}", time.time()))
    await store.save(tracker)
    assert marker.encode() in database.read_bytes()

    tracker.update(SlotSet(DELETION_SLOT, True))
    await store.save(tracker)

    assert marker.encode() not in database.read_bytes()


async def test_retention_removes_old_events_at_start_up(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    keeping_store = store_for(database_url, monkeypatch, retention_days=0)
    now = time.time()
    idle, ended, recent, spanning = (unique_marker() for _ in range(4))
    await keeping_store.save(conversation("idle", *session_start(now - 40 * DAY), *chat_turn(idle, now - 40 * DAY + 5)))
    await keeping_store.save(
        conversation(
            "returning",
            *session_start(now - 40 * DAY),
            *chat_turn(ended, now - 40 * DAY + 5),
            *session_start(now - DAY),
            *chat_turn(recent, now - DAY + 5),
        )
    )
    # A session still going on at the cutoff is left alone until it ends or goes quiet.
    await keeping_store.save(
        conversation("spanning", *session_start(now - 30 * DAY - 600), *chat_turn(spanning, now - 30 * DAY + 600))
    )
    assert len(stored_texts(database_url)) == 24

    store_for(database_url, monkeypatch, retention_days=30)

    texts = "\n".join(stored_texts(database_url))
    assert idle not in texts and ended not in texts
    assert recent in texts and spanning in texts
    assert (await keeping_store.retrieve("returning")).latest_message.text == recent


async def test_retention_zero_keeps_everything(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    store = store_for(database_url, monkeypatch, retention_days=0)
    old = time.time() - 400 * DAY
    await store.save(conversation("old", *session_start(old), *chat_turn("from long ago", old + 5)))

    assert store.purge_expired() == 0
    assert len(stored_texts(database_url)) == 6


async def test_a_conversation_purged_during_a_turn_is_not_written_back(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another instance may purge an idle conversation while this one answers its next message."""
    store = store_for(database_url, monkeypatch, retention_days=30)
    now = time.time()
    old = unique_marker()
    tracker = conversation("back", *session_start(now - 40 * DAY), *chat_turn(old, now - 40 * DAY + 5))
    extend(tracker, session_start(now) + chat_turn("hello again", now + 5))

    await store.save(tracker)

    texts = "\n".join(stored_texts(database_url))
    assert old not in texts and "hello again" in texts


def test_tracker_db_url_switches_the_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TRACKER_DB_URL", f"sqlite:///{tmp_path / 'elsewhere.db'}")
    assert PrivacySQLTrackerStore(domain=DOMAIN, dialect="sqlite", db="tracker.db").engine.url.database.endswith(
        "elsewhere.db"
    )
    monkeypatch.delenv("TRACKER_DB_URL")
    assert PrivacySQLTrackerStore(domain=DOMAIN, dialect="sqlite", db="tracker.db").engine.url.database == "tracker.db"


@pytest.mark.parametrize(("value", "days"), [("", 30), ("7", 7), ("0", 0)])
def test_retention_setting(value: str, days: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_RETENTION_DAYS", value)
    assert tracker_store.retention_days_from_env() == days


@pytest.mark.parametrize("value", ["-1", "a week", "1.5"])
def test_a_malformed_retention_setting_stops_start_up(value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_RETENTION_DAYS", value)
    with pytest.raises(ValueError, match="TRACKER_RETENTION_DAYS"):
        tracker_store.retention_days_from_env()


async def test_deletion_removes_that_persons_charts_and_summaries_and_purge_the_expired(
    database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("FILES_DIR", str(tmp_path / "files"))
    store = store_for(database_url, monkeypatch)
    now = time.time()
    tracker = conversation("me", *session_start(now), *chat_turn("show my progress", now + 1))
    await store.save(tracker)
    mine, theirs = store.files.put("me", b"\x89PNG mine", "png"), store.files.put("them", b"\x89PNG theirs", "png")

    extend(tracker, [SlotSet(DELETION_SLOT, True, timestamp=now + 10)])
    await store.save(tracker)

    assert store.files.find(mine.link) is None
    assert store.files.find(theirs.link) is not None
    monkeypatch.setattr(tracker_store, "FILE_PURGE_INTERVAL_SECONDS", 0)
    store._next_file_purge = 0.0
    store.files.ttl_seconds = 0  # everything kept is now past its hour
    await store.save(conversation("them", *session_start(now), *chat_turn("hi", now + 1)))
    assert not any((tmp_path / "files").rglob("*.png"))
