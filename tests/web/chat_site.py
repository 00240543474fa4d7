"""Start the chat page server and a headless Chromium; shared by the browser tests and
scripts/screenshot_page.py.

The page is served from 127.0.0.1 and Rasa is addressed as `localhost`, so the widget always talks
to another origin, as it does when Rasa runs on its own host.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional

import requests
from playwright.sync_api import Browser, Page, Playwright

from tests.servers import REPO, RunningAssistant, free_port, start_assistant

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
PAGE_START_SECONDS = 30
# Long enough for a cold Rasa model and the action server on a 2-core machine; not a timing assertion.
REPLY_TIMEOUT_MS = 60_000


@dataclass
class ChatSite:
    """The page's URL and the assistant behind it."""

    page_url: str
    origin: str
    assistant: RunningAssistant


@contextlib.contextmanager
def serve_chat_page(rasa_url: str, port: int, files_dir: Optional[Path] = None) -> Iterator[str]:
    """Run web/serve.py on 127.0.0.1:`port` pointing the widget at `rasa_url`; yields the page URL.

    `files_dir`: the assistant's FILES_DIR, so the page serves the charts and summaries it makes.
    """
    env = {**os.environ, "WEB_HOST": "127.0.0.1", "WEB_PORT": str(port), "RASA_URL": rasa_url}
    if files_dir is not None:
        env["FILES_DIR"] = str(files_dir)
    process = subprocess.Popen(
        [sys.executable, str(REPO / "web" / "serve.py")],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + PAGE_START_SECONDS
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"web/serve.py exited with {process.returncode}:\n{process.stdout.read()}")
            with contextlib.suppress(requests.RequestException):
                if requests.get(url, timeout=2).ok:
                    break
            if time.monotonic() > deadline:
                raise TimeoutError(f"web/serve.py did not answer on {url}")
            time.sleep(0.2)
        yield url
    finally:
        # A page server that already exited has nothing left to stop (its error is raised above).
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)


@contextlib.contextmanager
def start_chat_site(workdir: Path) -> Iterator[ChatSite]:
    """The real assistant (CORS limited to the page's origin) plus the page that talks to it."""
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    with start_assistant(workdir, cors=origin) as assistant:
        with serve_chat_page(assistant.rasa_url, port, assistant.files_dir) as page_url:
            yield ChatSite(page_url=page_url, origin=origin, assistant=assistant)


def launch_chromium(playwright: Playwright) -> Browser:
    """Debian's Chromium, headless, with nothing phoning home."""
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} not found: install it with `apt-get update && apt-get install -y chromium`.")
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


def bot_messages(page: Page):
    """The coach's text bubbles in the widget."""
    return page.locator("#webchat .rw-response .rw-message-text")


def user_messages(page: Page):
    """The person's bubbles in the widget."""
    return page.locator("#webchat .rw-client .rw-message-text")


def quick_replies(page: Page):
    """Buttons the coach offers (rendered by the widget as quick replies)."""
    return page.locator("#webchat .rw-replies .rw-reply")


def send(page: Page, text: str) -> None:
    """Type a message into the widget and press Enter, as a person would."""
    box = page.get_by_role("textbox", name="Your message to the coach")
    box.fill(text)
    box.press("Enter")
