"""Partner tests use the privacy tests' databases: an SQLite file and a throwaway PostgreSQL."""

from tests.privacy.conftest import database_url, postgres  # noqa: F401  (fixtures)
