"""Fixtures for the privacy tests: a store database on SQLite or on a throwaway PostgreSQL."""

from pathlib import Path
from typing import Iterator

import pytest

from tests.privacy.postgres import PostgresServer, server_bin_dir, throwaway_postgres

POSTGRES_MISSING = (
    "PostgreSQL server binaries (initdb, pg_ctl) are not installed; "
    "install the Debian package `postgresql` to run the PostgreSQL tests"
)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """One throwaway PostgreSQL cluster for the whole run, skipped when it cannot exist here."""
    bin_dir = server_bin_dir()
    if bin_dir is None:
        pytest.skip(POSTGRES_MISSING)
    with throwaway_postgres(bin_dir) as server:
        yield server


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty tracker database, once as an SQLite file and once on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'tracker.db'}"
    return request.getfixturevalue("postgres").new_database()
