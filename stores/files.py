"""Charts and summaries made for one conversation, kept on disk for a short while.

Why on disk: the action server makes the files, the chat page server hands them to the browser and
the Rasa server uploads them to Telegram and deletes them with the conversation; a folder all three
can reach (`FILES_DIR`) needs no service. Layout: `FILES_DIR/<owner>/<file id>.<png|pdf|txt>`, where
`owner` is a hash of the conversation's sender id and the file id is 192 random bits.

- A link names both, `/files/<owner>/<file id>.<ext>`: another conversation's owner, a guessed id or
  a changed extension finds nothing (404), and the sender id itself never appears in a link.
- A file is readable for `FILES_TTL_SECONDS` (default 3600) after it was made, then removed.
- `delete_conversation` removes every file of a sender ("delete my data"); retention removes
  expired files with the tracker store's purge.
- Nothing here logs a file id or a link.

Standard library only, so web/serve.py can use it without Rasa.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

REPO = Path(__file__).resolve().parent.parent
DIR_ENV = "FILES_DIR"
TTL_ENV = "FILES_TTL_SECONDS"
DEFAULT_DIR = REPO / ".run" / "files"
DEFAULT_TTL_SECONDS = 3600
ROUTE = "/files/"
CONTENT_TYPES = {"png": "image/png", "pdf": "application/pdf", "txt": "text/plain; charset=utf-8"}
_OWNER = re.compile(r"^[0-9a-f]{32}$")
_NAME = re.compile(r"^([A-Za-z0-9_-]{32})\.(png|pdf|txt)$")


def owner_of(sender_id: str) -> str:
    """The folder name of a conversation: a hash, so folders and links never show the sender id."""
    return hashlib.sha256(f"interdependence-coach-files:{sender_id}".encode()).hexdigest()[:32]


@dataclass(frozen=True)
class StoredFile:
    owner: str
    name: str  # "<file id>.<ext>"

    @property
    def link(self) -> str:
        """The path of the download route; the chat page serves it on its own origin."""
        return f"{ROUTE}{self.owner}/{self.name}"

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.name.rsplit(".", 1)[1]]


class FileStore:
    """Put, read and remove the files of conversations under one folder."""

    def __init__(self, root: Optional[Path] = None, ttl_seconds: Optional[int] = None) -> None:
        self.root = Path(root or os.environ.get(DIR_ENV) or DEFAULT_DIR)
        self.ttl_seconds = ttl_seconds if ttl_seconds is not None else ttl_from_env()

    def put(self, sender_id: str, data: bytes, extension: str) -> StoredFile:
        """Store `data` for this conversation under a new unguessable name (readable by owner only)."""
        if extension not in CONTENT_TYPES:
            raise ValueError(f"unsupported file type {extension!r}")
        stored = StoredFile(owner_of(sender_id), f"{secrets.token_urlsafe(24)}.{extension}")
        folder = self.root / stored.owner
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = folder / stored.name
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
        return stored

    def find(self, link: str, now: Optional[float] = None) -> Optional[tuple[StoredFile, bytes]]:
        """The file a link names and its bytes, or None when the link is malformed, unknown or expired."""
        if not link.startswith(ROUTE):
            return None
        owner, _, name = link[len(ROUTE):].partition("/")
        if not _OWNER.match(owner) or not _NAME.match(name):
            return None
        path = self.root / owner / name
        try:
            if self._expired(path.stat().st_mtime, now):
                path.unlink(missing_ok=True)
                return None
            return StoredFile(owner, name), path.read_bytes()
        except FileNotFoundError:
            return None

    def find_for(self, sender_id: str, link: str) -> Optional[tuple[StoredFile, bytes]]:
        """Like `find`, but only a file of this conversation (the Telegram upload path)."""
        found = self.find(link)
        return found if found is not None and found[0].owner == owner_of(sender_id) else None

    def delete_conversation(self, sender_id: str) -> int:
        """Remove every file of a sender; returns how many there were."""
        folder = self.root / owner_of(sender_id)
        if not folder.is_dir():
            return 0
        count = sum(1 for _ in folder.iterdir())
        shutil.rmtree(folder, ignore_errors=True)
        return count

    def purge_expired(self, now: Optional[float] = None) -> int:
        """Remove files past their time (and folders left empty); returns how many files."""
        if not self.root.is_dir():
            return 0
        removed = 0
        for folder in self.root.iterdir():
            if not folder.is_dir() or not _OWNER.match(folder.name):
                continue
            for path in folder.iterdir():
                try:
                    if self._expired(path.stat().st_mtime, now):
                        path.unlink()
                        removed += 1
                except FileNotFoundError:
                    continue
            try:
                folder.rmdir()  # only when empty
            except OSError:
                pass
        return removed

    def _expired(self, made: float, now: Optional[float]) -> bool:
        return (time.time() if now is None else now) - made >= self.ttl_seconds


def ttl_from_env() -> int:
    """Seconds a file stays readable, from FILES_TTL_SECONDS (default one hour)."""
    raw = os.environ.get(TTL_ENV, "").strip()
    if not raw:
        return DEFAULT_TTL_SECONDS
    if not raw.isdigit() or int(raw) == 0:
        raise ValueError(f"{TTL_ENV} must be a positive whole number of seconds, got {raw!r}")
    return int(raw)
