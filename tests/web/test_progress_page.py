"""The chart and the summary in the chat page (real browser, real assistant): the chart is shown with
its description, and the summary's link downloads a PDF that holds the plan."""

from __future__ import annotations

import io
import re

from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.progress.histories import records
from tests.web.chat_site import ChatSite, bot_messages, send
from tests.web.test_chat_page import open_chat, stored_session_id


def test_the_chart_shows_and_the_summary_downloads_as_pdf(page: Page, chat_site: ChatSite) -> None:
    open_chat(page, chat_site)
    chat_site.assistant.set_slots(stored_session_id(page), {"reflection_history": records(2)})

    send(page, "show my progress")
    chart = page.locator("#webchat img.rw-image-frame")
    expect(chart).to_be_visible()
    expect(chart).to_have_attribute("alt", re.compile("Chart of your check-ins"))
    assert page.evaluate("img => img.naturalWidth", chart.element_handle()) == 540  # it loaded under the page's CSP
    expect(bot_messages(page).filter(has_text="Saying no has got easier since 3 November 2026")).to_have_count(1)

    send(page, "send me my summary")
    link = page.get_by_role("link", name="Download the PDF")
    expect(link).to_be_visible()
    with page.expect_download() as download_info:
        link.click()
    pdf = download_info.value
    assert pdf.suggested_filename.endswith(".pdf")
    with open(pdf.path(), "rb") as file:
        text = PdfReader(io.BytesIO(file.read())).pages[0].extract_text()
    assert text.startswith("This is a reflection, not a diagnosis") and "Your plan" in text
