"""The chat page's download route for charts and summaries: its own origin, the owner's links only,
404 once a file is gone, downloads for documents, and no file link in the page server's log."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import pytest
import requests

from stores.files import FileStore, owner_of
from tests.servers import REPO, free_port

PNG = b"\x89PNG\r\n\x1a\nchart"
PDF = b"%PDF-1.4 summary"


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, FileStore, Path]]:
    """web/serve.py on a free port with its own FILES_DIR; its output goes to a log file we read."""
    folder = tmp_path_factory.mktemp("page")
    store, log, port = FileStore(folder / "files"), folder / "serve.log", free_port()
    env = {**os.environ, "WEB_PORT": str(port), "RASA_URL": "http://localhost:5005", "FILES_DIR": str(store.root)}
    process = subprocess.Popen([sys.executable, str(REPO / "web" / "serve.py")], env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            with contextlib.suppress(requests.RequestException):
                if requests.get(url, timeout=1).ok:
                    break
            time.sleep(0.1)
        yield url, store, log
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_a_chart_is_shown_inline_and_never_cached(page: tuple[str, FileStore, Path]) -> None:
    url, store, _ = page
    chart = store.put("alice", PNG, "png")
    reply = requests.get(url + chart.link, timeout=10)
    assert reply.status_code == 200 and reply.content == PNG
    assert reply.headers["Content-Type"] == "image/png"
    assert reply.headers["Content-Disposition"].startswith("inline")
    assert reply.headers["Cache-Control"] == "no-store"
    assert "img-src 'self' data:;" in reply.headers["Content-Security-Policy"]


def test_a_summary_is_downloaded(page: tuple[str, FileStore, Path]) -> None:
    url, store, _ = page
    summary = store.put("alice", PDF, "pdf")
    reply = requests.get(url + summary.link, timeout=10)
    assert reply.content == PDF and reply.headers["Content-Type"] == "application/pdf"
    assert reply.headers["Content-Disposition"].startswith("attachment; filename=")


def test_another_conversation_and_deleted_files_get_404(page: tuple[str, FileStore, Path]) -> None:
    url, store, _ = page
    chart = store.put("alice", PNG, "png")
    assert requests.get(url + chart.link.replace(chart.owner, owner_of("mallory")), timeout=10).status_code == 404
    store.delete_conversation("alice")
    assert requests.get(url + chart.link, timeout=10).status_code == 404


def test_file_links_never_reach_the_log(page: tuple[str, FileStore, Path]) -> None:
    url, store, log = page
    chart = store.put("bob", PNG, "png")
    requests.get(url + chart.link, timeout=10)
    requests.get(url + chart.link.replace(".png", ".pdf"), timeout=10)  # a 404
    requests.get(url + "/missing-page", timeout=10)  # a 404 that is logged, so the log is written
    time.sleep(0.2)
    text = log.read_text()
    assert "/missing-page" in text
    assert "/files/" not in text and chart.owner not in text
