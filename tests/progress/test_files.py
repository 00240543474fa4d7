"""The file store: unguessable links, one conversation's files only, an hour's life, deletion."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest

from stores.files import FileStore, owner_of

PNG = b"\x89PNG\r\n\x1a\nnot really"


@pytest.fixture
def store(tmp_path: Path) -> FileStore:
    return FileStore(tmp_path / "files", ttl_seconds=3600)


def test_a_stored_file_is_found_by_its_link_only_with_its_owner(store: FileStore) -> None:
    stored = store.put("alice", PNG, "png")
    assert stored.link.startswith("/files/") and "alice" not in stored.link
    assert store.find(stored.link)[1] == PNG
    assert store.find_for("alice", stored.link)[1] == PNG
    assert store.find_for("bob", stored.link) is None
    others = stored.link.replace(stored.owner, owner_of("bob"))
    assert store.find(others) is None


def test_links_are_unguessable_and_files_private(store: FileStore) -> None:
    first, second = store.put("alice", PNG, "png"), store.put("alice", PNG, "png")
    assert first.name != second.name and len(first.name.split(".")[0]) == 32
    path = store.root / first.owner / first.name
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    "link", ["/files/../../etc/passwd", "/files/abc/def.png", "/other/x.png", "/files/{owner}/{name}.pdf", "/files/{owner}/../{name}"]
)
def test_malformed_or_changed_links_find_nothing(store: FileStore, link: str) -> None:
    stored = store.put("alice", PNG, "png")
    assert store.find(link.format(owner=stored.owner, name=stored.name.split(".")[0])) is None


def test_a_file_expires_after_its_time(store: FileStore) -> None:
    stored = store.put("alice", PNG, "png")
    assert store.find(stored.link, now=time.time() + 3599) is not None
    assert store.find(stored.link, now=time.time() + 3601) is None
    assert not (store.root / stored.owner / stored.name).exists()


def test_purge_removes_expired_files_of_everyone(store: FileStore) -> None:
    old, new = store.put("alice", PNG, "png"), store.put("bob", PNG, "png")
    past = time.time() - 7200
    os.utime(store.root / old.owner / old.name, (past, past))
    assert store.purge_expired() == 1
    assert store.find(old.link) is None and store.find(new.link) is not None


def test_delete_conversation_removes_only_that_conversation(store: FileStore) -> None:
    mine = [store.put("alice", PNG, "png"), store.put("alice", b"%PDF-1.4", "pdf")]
    theirs = store.put("bob", PNG, "png")
    assert store.delete_conversation("alice") == 2
    assert all(store.find(stored.link) is None for stored in mine)
    assert store.find(theirs.link) is not None
    assert store.delete_conversation("alice") == 0


def test_only_known_kinds_are_stored(store: FileStore) -> None:
    with pytest.raises(ValueError):
        store.put("alice", b"<script>", "html")
