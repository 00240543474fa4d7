"""Fixtures shared by every test folder."""

from pathlib import Path
from typing import Iterator

import pytest

from tests.servers import RunningAssistant, start_assistant


@pytest.fixture(scope="session")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningAssistant]:
    """One real action server + Rasa server (trained model, fresh SQLite store) per test run."""
    with start_assistant(Path(tmp_path_factory.mktemp("assistant"))) as running:
        yield running
