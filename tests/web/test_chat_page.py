"""The chat page in a real browser (Debian's Chromium) against the real assistant over socket.io.

The page is served from 127.0.0.1 and Rasa is reached as `localhost`, so every test also shows the
widget working with Rasa on another origin, with CORS limited to the page's origin and
`session_persistence: true` (replies must still arrive: RasaHQ/rasa#13027).
"""

from __future__ import annotations

import http.client
import json
import re
from urllib.parse import urlsplit

import pytest
import requests
import yaml
from playwright.sync_api import Browser, Page, expect

from tests.servers import REPO
from tests.web.chat_site import ChatSite, bot_messages, quick_replies, send, user_messages

# Every greeting variation says the coach is not a therapist (domain/core.yml, utter_greet).
GREETING = re.compile(r"therapist", re.I)
COACHING_MENU = re.compile(r"Which area would you like|Pick a theme")
BOUNDARIES = re.compile(r"Boundaries show where you end")
EXERCISE = re.compile(r"To try this week")
GOODBYE = re.compile(r"Take care of yourself|Goodbye for now|Bye! Small steps count")
XSS = '<img src=x onerror="window.__xss=1">'
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def open_chat(page: Page, site: ChatSite) -> None:
    """Load the page and wait for the greeting that initPayload "/greet" asks for."""
    page.goto(site.page_url)
    expect(page.get_by_role("textbox", name="Your message to the coach")).to_be_visible()
    expect(bot_messages(page).filter(has_text=GREETING)).to_have_count(1)
    expect(quick_replies(page).first).to_be_visible()


def stored_session_id(page: Page) -> str:
    """The socket.io session id the widget keeps in local storage (the Rasa sender id)."""
    stored = page.evaluate("() => window.localStorage.getItem('chat_session')")
    return json.loads(stored)["session_id"]


def test_page_says_what_the_assistant_is_and_greets(page: Page, chat_site: ChatSite) -> None:
    open_chat(page, chat_site)
    about = page.get_by_role("complementary", name="About this assistant")
    expect(about).to_contain_text("automated coach")
    expect(about).to_contain_text("not a therapist")
    expect(about).to_contain_text("not a crisis service")
    expect(about).to_contain_text("delete my data")
    expect(page.get_by_role("note")).to_contain_text("emergency number")

    send(page, "hi")
    expect(user_messages(page).last).to_have_text("hi")
    expect(bot_messages(page).filter(has_text=GREETING)).to_have_count(2)


def test_quick_replies_lead_through_a_short_coaching_flow(page: Page, chat_site: ChatSite) -> None:
    open_chat(page, chat_site)
    page.get_by_role("button", name="Coaching ideas").click()
    expect(user_messages(page).last).to_have_text("Coaching ideas")
    expect(bot_messages(page).filter(has_text=COACHING_MENU)).to_have_count(1)

    # Quick replies work from the keyboard too (the widget renders them as <div>s; app.js fixes that).
    topic = page.get_by_role("button", name="Setting boundaries")
    topic.focus()
    page.keyboard.press("Enter")
    expect(bot_messages(page).filter(has_text=BOUNDARIES)).to_have_count(1)
    expect(bot_messages(page).filter(has_text=EXERCISE)).to_have_count(1)

    page.get_by_role("button", name="That's all for now").click()
    expect(bot_messages(page).filter(has_text=GOODBYE)).to_have_count(1)


def test_conversation_survives_a_reload(page: Page, chat_site: ChatSite) -> None:
    socketio = yaml.safe_load((REPO / "credentials.yml").read_text())["channels.socketio.OriginCheckedSocketIOInput"]
    assert socketio["session_persistence"] is True  # the setting RasaHQ/rasa#13027 is about
    open_chat(page, chat_site)
    page.get_by_role("button", name="Coaching ideas").click()
    expect(bot_messages(page).filter(has_text=COACHING_MENU)).to_have_count(1)
    session_id = stored_session_id(page)

    page.reload()
    expect(user_messages(page).filter(has_text="Coaching ideas")).to_have_count(1)
    expect(bot_messages(page).filter(has_text=COACHING_MENU)).to_have_count(1)
    expect(bot_messages(page).filter(has_text=GREETING)).to_have_count(1)  # no second greeting on reload
    assert stored_session_id(page) == session_id

    # After the reload the socket rejoins the same session: replies must still reach the page.
    send(page, "hi")
    expect(bot_messages(page).filter(has_text=GREETING)).to_have_count(2)

    said = [event.get("text") for event in chat_site.assistant.tracker(session_id)["events"] if event["event"] == "user"]
    assert said[:1] == ["/greet"] and "/ask_coaching" in said and said[-1] == "hi", said


def test_markup_in_a_message_is_shown_as_text_and_never_runs(page: Page, chat_site: ChatSite) -> None:
    open_chat(page, chat_site)
    replies_before = bot_messages(page).count()
    send(page, XSS)
    expect(user_messages(page).last).to_have_text(XSS)
    expect(bot_messages(page)).not_to_have_count(replies_before)  # the coach answered after it

    assert page.evaluate("() => window.__xss") is None
    assert page.locator("#webchat img").count() == 0
    assert page.locator("#webchat [onerror]").count() == 0


def test_typing_indicator_shows_while_a_reply_is_on_its_way(page: Page, chat_site: ChatSite) -> None:
    open_chat(page, chat_site)
    page.evaluate(
        """() => {
            window.__typingSeen = false;
            new MutationObserver(() => {
                if (document.querySelector('#webchat .rw-typing-indication')) window.__typingSeen = true;
            }).observe(document.getElementById('webchat'), {childList: true, subtree: true});
        }"""
    )
    send(page, "hi")
    expect(bot_messages(page).filter(has_text=GREETING)).to_have_count(2)
    assert page.evaluate("() => window.__typingSeen") is True


def test_page_loads_nothing_from_outside_localhost(page: Page, chat_site: ChatSite) -> None:
    requested: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on("websocket", lambda socket: requested.append(socket.url))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))

    open_chat(page, chat_site)
    send(page, "hi")
    expect(bot_messages(page).filter(has_text=GREETING)).to_have_count(2)

    outside = [url for url in requested if urlsplit(url).hostname not in LOCAL_HOSTS]
    assert outside == []
    assert any(url.endswith("/vendor/rasa-webchat.js") for url in requested)
    assert any("/socket.io/" in url for url in requested)
    assert errors == []


def test_keyboard_and_screen_reader_basics(page: Page, chat_site: ChatSite) -> None:
    open_chat(page, chat_site)
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to the chat")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#chat")).to_be_focused()

    expect(page.get_by_role("heading", level=1)).to_have_text("Interdependence Coach")
    expect(page.get_by_role("log", name="Conversation with the coach")).to_have_attribute("aria-live", "polite")
    expect(page.get_by_role("button", name="Send")).to_be_attached()
    for reply in quick_replies(page).all():
        expect(reply).to_have_attribute("role", "button")
        expect(reply).to_have_attribute("tabindex", "0")

    low_contrast = page.evaluate(CONTRAST_CHECK)
    assert low_contrast == [], low_contrast


def test_page_fits_a_phone_screen(browser: Browser, chat_site: ChatSite) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    phone = context.new_page()
    try:
        open_chat(phone, chat_site)
        overflow = phone.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0
        box = phone.get_by_role("textbox", name="Your message to the coach").bounding_box()
        assert box is not None and box["width"] >= 200
        phone.get_by_role("button", name="Coaching ideas").tap()
        expect(bot_messages(phone).filter(has_text=COACHING_MENU)).to_have_count(1)
    finally:
        context.close()


# WCAG 2 contrast of the text people read: page copy, the urgent-help note, both chat bubbles, the
# quick replies and the input. Returns the elements below 4.5:1.
CONTRAST_CHECK = """() => {
  const channel = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); };
  const rgba = (css) => css.match(/[\\d.]+/g).map(Number);
  const luminance = ([r, g, b]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  const background = (el) => {
    for (let node = el; node; node = node.parentElement) {
      const colour = rgba(getComputedStyle(node).backgroundColor);
      if (colour.length < 4 || colour[3] > 0) return colour;
    }
    return [255, 255, 255];
  };
  const selectors = ['.tagline', '.about p', '.about li', '.urgent', '.site-footer p',
                     '#webchat .rw-response', '#webchat .rw-client', '#webchat .rw-reply',
                     '#webchat .rw-new-message', 'button.secondary'];
  const low = [];
  for (const selector of selectors) {
    for (const el of document.querySelectorAll(selector)) {
      const fg = luminance(rgba(getComputedStyle(el).color));
      const bg = luminance(background(el));
      const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
      if (ratio < 4.5) low.push(`${selector}: ${ratio.toFixed(2)}`);
    }
  }
  return low;
}"""


def test_rasa_allows_cross_origin_polling_only_from_the_page(chat_site: ChatSite) -> None:
    polling = f"{chat_site.assistant.rasa_url}/socket.io/?EIO=4&transport=polling"
    from_page = requests.get(polling, headers={"Origin": chat_site.origin}, timeout=30)
    from_elsewhere = requests.get(polling, headers={"Origin": "http://elsewhere.test"}, timeout=30)
    assert from_page.headers.get("Access-Control-Allow-Origin") == chat_site.origin
    assert "Access-Control-Allow-Origin" not in from_elsewhere.headers


def websocket_handshake_status(chat_site: ChatSite, origin: str) -> int:
    """The HTTP status Rasa's socket.io endpoint answers a browser's WebSocket upgrade with."""
    host, port = urlsplit(chat_site.assistant.rasa_url).netloc.split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    connection.request(
        "GET", "/socket.io/?EIO=4&transport=websocket",
        headers={
            "Origin": origin, "Connection": "Upgrade", "Upgrade": "websocket",
            "Sec-WebSocket-Version": "13", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
        },
    )
    status = connection.getresponse().status
    connection.close()
    return status


def test_rasa_refuses_websockets_from_other_sites(chat_site: ChatSite) -> None:
    assert websocket_handshake_status(chat_site, "http://elsewhere.test") == 400


def test_rasa_accepts_websockets_from_the_page(chat_site: ChatSite) -> None:
    assert websocket_handshake_status(chat_site, chat_site.origin) == 101


def test_clearing_this_browser_starts_a_fresh_conversation(page: Page, chat_site: ChatSite) -> None:
    open_chat(page, chat_site)
    page.get_by_role("button", name="Coaching ideas").click()
    expect(bot_messages(page).filter(has_text=COACHING_MENU)).to_have_count(1)
    old_session = stored_session_id(page)

    with page.expect_navigation():
        page.get_by_role("button", name="Clear the chat from this browser").click()
    expect(bot_messages(page).filter(has_text=GREETING)).to_have_count(1)
    expect(user_messages(page)).to_have_count(0)
    assert stored_session_id(page) != old_session
