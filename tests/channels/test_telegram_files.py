"""Our charts and summaries reach Telegram as uploads (multipart), never as a URL Telegram must fetch."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

from PIL import Image
from pypdf import PdfReader

from actions.progress.chart import render_chart
from actions.progress.document import as_pdf, summary
from actions.reflection.catalogue import load_catalogue
from channels.telegram import TelegramOutput
from channels.telegram_api import BotApi
from channels.telegram_format import InlineKeyboards
from stores.files import FileStore
from tests.channels.conftest import TOKEN
from tests.channels.fake_bot_api import FakeBotApi, UploadedFile
from tests.progress.histories import history
from tests.progress.test_document import TODAY

CHAT = "4242"


def send(fake: FakeBotApi, files: FileStore, method: str, *args: object) -> None:
    async def sending() -> None:
        api = BotApi(fake.base_url, TOKEN)
        try:
            await getattr(TelegramOutput(api, InlineKeyboards(), files), method)(CHAT, *args)
        finally:
            await api.close()

    asyncio.run(sending())


def test_our_chart_is_uploaded_as_a_photo_that_opens_as_png(tmp_path: Path) -> None:
    files = FileStore(tmp_path)
    chart = files.put(CHAT, render_chart(history(2), load_catalogue()), "png")
    with FakeBotApi() as fake:
        send(fake, files, "send_image_url", chart.link)
        [call] = fake.calls("sendPhoto", chat_id=CHAT)
    photo = call.params["photo"]
    assert isinstance(photo, UploadedFile) and photo.content_type == "image/png"
    assert Image.open(io.BytesIO(photo.data)).format == "PNG"


def test_our_summary_is_uploaded_as_a_document_under_its_name(tmp_path: Path) -> None:
    files = FileStore(tmp_path)
    pdf = files.put(CHAT, as_pdf(summary(history(2), load_catalogue(), TODAY)), "pdf")
    attachment = {"url": pdf.link, "name": "interdependence-summary-2026-12-03.pdf", "type": "file"}
    with FakeBotApi() as fake:
        send(fake, files, "send_attachment", attachment)
        [call] = fake.calls("sendDocument", chat_id=CHAT)
    document = call.params["document"]
    assert document.filename == "interdependence-summary-2026-12-03.pdf"
    assert document.content_type == "application/pdf"
    assert "Your plan" in PdfReader(io.BytesIO(document.data)).pages[0].extract_text()


def test_another_chats_file_is_never_sent(tmp_path: Path) -> None:
    files = FileStore(tmp_path)
    theirs = files.put("999", b"%PDF-1.4 theirs", "pdf")
    with FakeBotApi() as fake:
        send(fake, files, "send_attachment", {"url": theirs.link})
        send(fake, files, "send_image_url", theirs.link.replace(".pdf", ".png"))
        assert fake.calls("sendDocument") == []
        assert not any(isinstance(call.params.get("photo"), UploadedFile) for call in fake.calls("sendPhoto"))


def test_an_image_from_elsewhere_is_still_sent_by_url(tmp_path: Path) -> None:
    with FakeBotApi() as fake:
        send(fake, FileStore(tmp_path), "send_image_url", "https://example.org/picture.png")
        [call] = fake.calls("sendPhoto", chat_id=CHAT)
    assert call.params["photo"] == "https://example.org/picture.png"
