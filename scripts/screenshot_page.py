"""Take docs/screenshot.png: the chat page with a short conversation, against the real assistant.

Starts the action server, the Rasa server (trained model in models/) and web/serve.py on free ports,
drives Debian's Chromium through a greeting and one coaching topic, and saves a palette PNG small
enough to commit. Usage: .venv/bin/python scripts/screenshot_page.py [--out docs/screenshot.png]
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from PIL import Image  # noqa: E402
from playwright.sync_api import expect, sync_playwright  # noqa: E402

from tests.web.chat_site import REPLY_TIMEOUT_MS, bot_messages, launch_chromium, start_chat_site  # noqa: E402

MAX_BYTES = 200_000
VIEWPORT = {"width": 1100, "height": 760}


def capture(out: Path) -> None:
    """Drive a short conversation and save the visible page."""
    expect.set_options(timeout=REPLY_TIMEOUT_MS)
    with tempfile.TemporaryDirectory() as workdir, start_chat_site(Path(workdir)) as site, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page(viewport=VIEWPORT, device_scale_factor=1)
        page.set_default_timeout(REPLY_TIMEOUT_MS)
        page.goto(site.page_url)
        expect(bot_messages(page).filter(has_text=re.compile("therapist"))).to_have_count(1)
        page.get_by_role("button", name="Coaching ideas").click()
        page.get_by_role("button", name="Setting boundaries").click()
        expect(bot_messages(page).filter(has_text="To try this week")).to_have_count(1)
        expect(page.get_by_role("button", name="That's all for now")).to_be_visible()
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
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshot.png")
    args = parser.parse_args()
    capture(args.out)
    size = shrink(args.out)
    print(f"{args.out}: {size / 1000:.0f} kB")
    if size > MAX_BYTES:
        sys.exit(f"{args.out} is larger than {MAX_BYTES // 1000} kB; use a smaller viewport.")


if __name__ == "__main__":
    main()
