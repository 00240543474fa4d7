"""Partner mode's tables on SQLite and PostgreSQL: codes, misuse, two instances, deletion, retention."""

from concurrent.futures import ThreadPoolExecutor
from typing import List

import pytest
import sqlalchemy as sa

from actions.partner import store as stores
from actions.partner.codes import ALPHABET, code_hash, find_code, new_code
from actions.partner.store import PartnerStore
from stores.tracker_store import PrivacySQLTrackerStore

NOW = 1_800_000_000.0
HOUR, DAY = 3600.0, 86400.0


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(database_url: str, clock: Clock) -> PartnerStore:
    engine = sa.create_engine(database_url)
    stores.ensure_tables(engine)
    return PartnerStore(engine, clock)


def rows(store: PartnerStore, table: sa.Table) -> List[tuple]:
    with store.engine.connect() as db:
        return [tuple(row) for row in db.execute(sa.select(table))]


def linked_pair(store: PartnerStore) -> None:
    assert store.redeem(store.invite("ann").code, "ben") == stores.LINKED


def test_codes_are_ten_unambiguous_characters_found_in_a_message_and_stored_only_hashed(store: PartnerStore) -> None:
    for _ in range(200):
        code = new_code()
        assert any(ch.isdigit() for ch in code)
        assert find_code(f"join with {code.lower()}") == code
    code = store.invite("ann").code
    assert len(code) == 10 and set(code) <= set(ALPHABET) and not set(code) & set("01OIL")
    assert find_code(f"join my partner with code {code.lower()[:5]}-{code.lower()[5:]} please") == code
    assert find_code("join my partner together") is None
    assert rows(store, stores.invites)[0][0] == code_hash(code) != code


def test_a_code_links_once_and_tells_the_inviter_later(store: PartnerStore) -> None:
    code = store.invite("ann").code
    assert store.check(code, "ben") == (stores.LINKED, "ann")
    assert store.link("ben") is None, "checking a code must not link"
    assert store.redeem(code, "ben") == stores.LINKED
    assert store.link("ben").partner_id == "ann" and store.link("ann").partner_id == "ben"
    assert store.link("ann").told is False and store.link("ben").told is True
    assert store.redeem(code, "cat") == stores.USED
    assert store.link("cat") is None


def test_wrong_expired_and_own_codes_link_no_one(store: PartnerStore, clock: Clock) -> None:
    code = store.invite("ann").code
    assert store.redeem("ABCDEFGH23", "ben") == stores.UNKNOWN
    assert store.redeem(code, "ann") == stores.OWN
    clock.now += 48 * HOUR
    assert store.redeem(code, "ben") == stores.EXPIRED
    assert rows(store, stores.members) == []


def test_a_new_invite_replaces_the_open_one(store: PartnerStore) -> None:
    first = store.invite("ann").code
    second = store.invite("ann").code
    assert store.redeem(first, "ben") == stores.UNKNOWN
    assert store.redeem(second, "ben") == stores.LINKED


def test_more_than_five_wrong_codes_in_an_hour_block_that_sender_only(store: PartnerStore, clock: Clock) -> None:
    for _ in range(5):
        store.note_wrong_code("mallory")
    assert not store.blocked("mallory")
    store.note_wrong_code("mallory")
    assert store.blocked("mallory") and not store.blocked("ben")
    clock.now += HOUR + 1
    assert not store.blocked("mallory")


def test_two_instances_redeeming_one_code_at_once_link_exactly_one(database_url: str, clock: Clock) -> None:
    instances = []
    for _ in range(2):
        engine = sa.create_engine(database_url)
        stores.ensure_tables(engine)
        instances.append(PartnerStore(engine, clock))
    for attempt in range(5):
        code = instances[0].invite(f"inviter{attempt}").code
        with ThreadPoolExecutor(2) as pool:
            outcomes = list(pool.map(lambda pair: pair[0].redeem(code, pair[1]), zip(instances, [f"a{attempt}", f"b{attempt}"])))
        assert sorted(outcomes) == [stores.LINKED, stores.USED], outcomes


def test_someone_linked_already_cannot_be_linked_again(store: PartnerStore) -> None:
    linked_pair(store)
    assert store.redeem(store.invite("cat").code, "ben") == stores.TAKEN
    assert store.redeem(store.invite("ann").code, "dan") == stores.TAKEN
    assert store.link("cat") is None and store.link("dan") is None


def test_results_are_kept_only_while_linked_and_unlinking_drops_both(store: PartnerStore) -> None:
    assert store.share("ann", {"saying_no": 2}, "interdependence") is False
    linked_pair(store)
    store.share("ann", {"saying_no": 2}, "interdependence")
    store.share("ben", {"saying_no": None}, "codependency")
    assert store.shared("ben").levels == {"saying_no": None}
    assert store.unlink("ben") is True
    assert rows(store, stores.members) == rows(store, stores.results) == []
    assert store.unlink("ann") is False


def test_crisis_messages_of_the_last_30_days_are_found(store: PartnerStore, clock: Clock) -> None:
    events = sa.table("events", sa.column("sender_id"), sa.column("intent_name"), sa.column("timestamp"))
    with store.engine.begin() as db:
        db.execute(sa.text("CREATE TABLE IF NOT EXISTS events (sender_id VARCHAR(255), intent_name VARCHAR(255), timestamp FLOAT)"))
        db.execute(events.insert(), [
            {"sender_id": "ann", "intent_name": "crisis", "timestamp": NOW - 29 * DAY},
            {"sender_id": "ben", "intent_name": "crisis", "timestamp": NOW - 31 * DAY},
            {"sender_id": "cat", "intent_name": "greet", "timestamp": NOW},
        ])
    assert store.had_crisis(["ann", "ben", "cat"]) == {"ann"}


@pytest.fixture
def with_tracker_store(
    database_url: str, monkeypatch: pytest.MonkeyPatch, clock: Clock
) -> tuple[PrivacySQLTrackerStore, PartnerStore]:
    """The tracker store and partner mode on one database, as the two servers share it."""
    monkeypatch.setenv("TRACKER_DB_URL", database_url)
    tracker_store = PrivacySQLTrackerStore(dialect="sqlite", db="unused.db")
    return tracker_store, PartnerStore(tracker_store.engine, clock)


@pytest.mark.parametrize("who", ["ann", "ben"])
def test_deleting_either_persons_data_removes_the_link_and_shared_results(
    with_tracker_store: tuple[PrivacySQLTrackerStore, PartnerStore], who: str
) -> None:
    tracker_store, store = with_tracker_store
    linked_pair(store)
    store.share("ann", {"saying_no": 2}, "interdependence")
    store.share("ben", {"saying_no": 4}, "codependency")
    store.invite("cat")
    tracker_store.delete_conversation(who)
    assert store.link("ann") is None and store.link("ben") is None
    assert rows(store, stores.results) == []
    assert len(rows(store, stores.invites)) == 1, "someone else's invite stays"


def test_retention_removes_expired_codes_old_results_and_links_of_forgotten_conversations(
    with_tracker_store: tuple[PrivacySQLTrackerStore, PartnerStore],
) -> None:
    tracker_store, store = with_tracker_store
    linked_pair(store)
    store.share("ann", {"saying_no": 2}, "interdependence")
    store.invite("cat")
    store.note_wrong_code("mallory")
    tracker_store.purge_expired(now=NOW + 31 * DAY)
    for table in (stores.invites, stores.members, stores.results, stores.wrong_codes):
        assert rows(store, table) == [], table.name
