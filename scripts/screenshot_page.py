"""Take docs/screenshot.png: the chat page with a short conversation, against the real assistant.

Starts the action server, the Rasa server (trained model in models/) and web/serve.py on free ports,
drives Debian's Chromium through a greeting and one coaching topic, and saves a palette PNG small
enough to commit. Usage: .venv/bin/python scripts/screenshot_page.py [--out docs/screenshot.png]

With --progress: a conversation with three earlier check-ins (made-up answers) asks "show my
progress", and the page with the chart is saved (docs/progress.png in the README).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from PIL import Image  # noqa: E402
from playwright.sync_api import Page, expect, sync_playwright  # noqa: E402

from tests.progress.histories import records  # noqa: E402
from tests.web.chat_site import REPLY_TIMEOUT_MS, ChatSite, bot_messages, launch_chromium, start_chat_site  # noqa: E402

MAX_BYTES = 200_000
VIEWPORT = {"width": 1100, "height": 760}
# The chart is made for phones, so it is shown at a phone's width.
PHONE_VIEWPORT = {"width": 430, "height": 900}


def show_progress(page: Page, site: ChatSite) -> None:
    """Three earlier check-ins in which saying no got easier, then "show my progress"."""
    session = json.loads(page.evaluate("() => window.localStorage.getItem('chat_session')"))["session_id"]
    site.assistant.set_slots(session, {"reflection_history": records(3, days_apart=7)})
    box = page.get_by_role("textbox", name="Your message to the coach")
    box.fill("show my progress")
    box.press("Enter")
    expect(page.locator("#webchat img.rw-image-frame")).to_be_visible()
    page.locator("#webchat img.rw-image-frame").scroll_into_view_if_needed()


def talk_about_boundaries(page: Page, site: ChatSite) -> None:
    page.get_by_role("button", name="Coaching ideas").click()
    page.get_by_role("button", name="Setting boundaries").click()
    expect(bot_messages(page).filter(has_text="To try this week")).to_have_count(1)
    expect(page.get_by_role("button", name="That's all for now")).to_be_visible()


def capture(out: Path, conversation: Callable[[Page, ChatSite], None], viewport: dict) -> None:
    """Drive a short conversation and save the visible page."""
    expect.set_options(timeout=REPLY_TIMEOUT_MS)
    with tempfile.TemporaryDirectory() as workdir, start_chat_site(Path(workdir)) as site, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page(viewport=viewport, device_scale_factor=1)
        page.set_default_timeout(REPLY_TIMEOUT_MS)
        page.goto(site.page_url)
        expect(bot_messages(page).filter(has_text=re.compile("therapist"))).to_have_count(1)
        conversation(page, site)
        expect(page.locator("#webchat .rw-typing-indication")).to_have_count(0)
        page.mouse.move(0, 0)
        out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(out))
        browser.close()


def shrink(path: Path) -> int:
    """Re-save as a 64-colour palette PNG (flat UI colours survive) and return the size in bytes."""
    with Image.open(path) as image:
        image.convert("RGB").quantize(colors=64, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)
    return path.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path)
    parser.add_argument("--progress", action="store_true", help="the progress chart instead of coaching")
    args = parser.parse_args()
    out = args.out or REPO / "docs" / ("progress.png" if args.progress else "screenshot.png")
    if args.progress:
        capture(out, show_progress, PHONE_VIEWPORT)
    else:
        capture(out, talk_about_boundaries, VIEWPORT)
    size = shrink(out)
    print(f"{out}: {size / 1000:.0f} kB")
    if size > MAX_BYTES:
        sys.exit(f"{out} is larger than {MAX_BYTES // 1000} kB; use a smaller viewport.")


if __name__ == "__main__":
    main()
