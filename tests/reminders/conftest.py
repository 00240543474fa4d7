"""Reminder stores on SQLite and on a throwaway PostgreSQL (the privacy tests' fixtures)."""

from tests.privacy.conftest import database_url, postgres  # noqa: F401  (fixtures)
