"""The reminders table: exactly-once claims (also with two instances on PostgreSQL), limits, deletion, retention."""

from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from reminding.store import MAX_ACTIVE_PER_PERSON, ReminderStore
from stores.tracker_store import PrivacySQLTrackerStore

NOW = 1_790_000_000.0
DAY = 86_400.0


def new_store(url: str) -> ReminderStore:
    return ReminderStore(sa.create_engine(url))


def add(store: ReminderStore, sender: str, due: float = NOW, repeat: str | None = None) -> int | None:
    return store.add(sender, "telegram", "checkin", "UTC", due, repeat, NOW - 3600)


def test_a_person_has_at_most_five_reminders(database_url: str) -> None:
    store = new_store(database_url)
    ids = [add(store, "ana", NOW + i) for i in range(MAX_ACTIVE_PER_PERSON + 1)]
    assert None not in ids[:MAX_ACTIVE_PER_PERSON] and ids[-1] is None
    assert add(store, "ben") is not None, "another person's limit is their own"
    store.cancel("ana")
    assert add(store, "ana") is not None, "cancelled reminders no longer count"


def test_a_due_reminder_is_claimed_once_and_a_future_one_not_at_all(database_url: str) -> None:
    store = new_store(database_url)
    add(store, "ana", NOW - 1)
    add(store, "ana", NOW + 60)
    assert [r.sender_id for r in store.claim_due(NOW)] == ["ana"]
    assert store.claim_due(NOW) == []


def test_two_instances_claiming_fifty_due_reminders_get_each_exactly_once(database_url: str) -> None:
    first, second = new_store(database_url), new_store(database_url)
    for person in range(50):
        add(first, f"person-{person}", NOW - 1)

    def claim_all(store: ReminderStore) -> list[int]:
        claimed: list[int] = []
        while batch := store.claim_due(NOW, limit=3):
            claimed.extend(reminder.id for reminder in batch)
        return claimed

    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(claim_all, [first, second, first, second]))
    claimed = [id_ for result in results for id_ in result]
    assert len(claimed) == 50 and len(set(claimed)) == 50


def test_a_repeating_reminder_comes_back_for_its_next_time(database_url: str) -> None:
    store = new_store(database_url)
    add(store, "ana", NOW - 1, repeat="weekly")
    [reminder] = store.claim_due(NOW)
    store.finish(reminder, NOW, NOW + 7 * 86400)
    assert [r.due_at for r in store.pending("ana")] == [NOW + 7 * 86400]


def test_delete_my_data_leaves_no_reminder_row_of_that_person(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_DB_URL", database_url)
    tracker_store = PrivacySQLTrackerStore(dialect="sqlite", db="unused.db")
    store = ReminderStore(tracker_store.engine)
    add(store, "ana")
    add(store, "ana", NOW + 5)
    add(store, "ben")
    tracker_store.delete_conversation("ana")
    assert store.rows_of("ana") == 0 and store.rows_of("ben") == 1
    assert [r.sender_id for r in store.claim_due(NOW + 10)] == ["ben"]


def test_retention_removes_finished_reminders_and_those_of_forgotten_conversations(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_DB_URL", database_url)
    tracker_store = PrivacySQLTrackerStore(dialect="sqlite", db="unused.db", retention_days=30)
    store = ReminderStore(tracker_store.engine)
    add(store, "cancelled")
    store.cancel("cancelled")
    add(store, "forgotten", NOW + 90 * DAY)
    add(store, "talking", NOW + 90 * DAY)
    events = sa.table("events", sa.column("sender_id"), sa.column("type_name"), sa.column("timestamp"))
    with tracker_store.engine.begin() as db:
        db.execute(events.insert(), [
            {"sender_id": "forgotten", "type_name": "user", "timestamp": NOW - 3600},
            {"sender_id": "talking", "type_name": "user", "timestamp": NOW + 40 * DAY},
        ])
    tracker_store.purge_expired(now=NOW + 45 * DAY)
    assert (store.rows_of("cancelled"), store.rows_of("forgotten"), store.rows_of("talking")) == (0, 0, 1)


def test_waiting_reminders_are_handed_out_once(database_url: str) -> None:
    store = new_store(database_url)
    add(store, "ana", NOW - 1)
    [reminder] = store.claim_due(NOW)
    store.hold_for_reply(reminder)
    assert [r.id for r in store.take_waiting("ana")] == [reminder.id]
    assert store.take_waiting("ana") == []
