"""A throwaway PostgreSQL server on loopback for tests: private port, private data directory.

Needs the server binaries (Debian package `postgresql`); callers skip when they are missing.
When the tests run as root the server runs as the `postgres` user, since PostgreSQL refuses root.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path
from typing import Callable, Iterator, Optional

import sqlalchemy as sa

from tests.servers import free_port

SERVER_USER = "postgres"


def server_bin_dir() -> Optional[Path]:
    """The directory holding initdb and pg_ctl, or None when PostgreSQL is not installed."""
    on_path = shutil.which("pg_ctl")
    if on_path:
        return Path(on_path).resolve().parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(candidates[-1]).parent if candidates else None


class PostgresServer:
    """One running cluster; `new_database()` gives each test an empty database, `pg_ctl(...)` stops
    and starts it (a database going away and coming back)."""

    def __init__(self, port: int, pg_ctl: Callable[[str], None] = lambda _: None) -> None:
        self.admin_url = f"postgresql://coach@127.0.0.1:{port}/postgres"
        self.port = port
        self.pg_ctl = pg_ctl

    def new_database(self) -> str:
        """Create an empty database and return its SQLAlchemy URL."""
        name = f"tracker_{uuid.uuid4().hex[:12]}"
        engine = sa.create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(sa.text(f"CREATE DATABASE {name}"))
        engine.dispose()
        return f"postgresql://coach@127.0.0.1:{self.port}/{name}"


@contextlib.contextmanager
def throwaway_postgres(bin_dir: Path) -> Iterator[PostgresServer]:
    """Run a fresh cluster (trust auth, loopback only) until the `with` block ends."""
    root = Path(tempfile.mkdtemp(prefix="ic-postgres-"))
    user = SERVER_USER if os.geteuid() == 0 else None
    if user:
        shutil.chown(root, user)
    data, log = root / "data", root / "server.log"
    port = free_port()

    def run(*command: str) -> None:
        subprocess.run(command, check=True, user=user, capture_output=True, timeout=120)

    run(str(bin_dir / "initdb"), "-D", str(data), "-U", "coach", "--auth=trust", "-E", "UTF8", "--no-sync")
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"

    def pg_ctl(action: str) -> None:
        extra = ("-l", str(log), "-o", options) if action == "start" else ("-m", "fast")
        run(str(bin_dir / "pg_ctl"), "-D", str(data), *extra, "-w", action)

    pg_ctl("start")
    try:
        yield PostgresServer(port, pg_ctl)
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):  # a test may have stopped it already
            pg_ctl("stop")
        shutil.rmtree(root, ignore_errors=True)
