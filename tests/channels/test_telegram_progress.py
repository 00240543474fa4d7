"""Progress and the summary on Telegram (fake Bot API): the chart arrives as an uploaded photo, the
summary as uploaded documents, and nothing asks Telegram to fetch a URL from our server."""

from __future__ import annotations

import io

from PIL import Image
from pypdf import PdfReader

from tests.channels.conftest import button_press_update, message_update, post_update
from tests.channels.fake_bot_api import FakeBotApi, UploadedFile
from tests.channels.test_telegram_webhook import new_chat
from tests.servers import RunningAssistant

ANSWER = '/answer_reflection{"reflection_level":"%d"}'
FIRST = [3, 3, 1, 3, 3, 3, 3, 3, 3, 3]
SECOND = [3, 3, 4, 3, 3, 3, 3, 3, 3, 3]


def say(assistant: RunningAssistant, chat: int, text: str) -> None:
    assert post_update(assistant, message_update(chat, text)).ok


def check_in(assistant: RunningAssistant, fake: FakeBotApi, chat: int, values: list[int]) -> None:
    say(assistant, chat, "start a check-in")
    for value in values:
        keyboard = fake.calls("sendMessage", chat)[-1].params["reply_markup"]
        assert post_update(assistant, button_press_update(chat, ANSWER % value, keyboard)).ok


def test_chart_and_summary_arrive_as_uploads(telegram_assistant: RunningAssistant, fake_bot_api: FakeBotApi) -> None:
    chat = new_chat()
    check_in(telegram_assistant, fake_bot_api, chat, FIRST)
    check_in(telegram_assistant, fake_bot_api, chat, SECOND)

    say(telegram_assistant, chat, "show my progress")
    [photo] = fake_bot_api.calls("sendPhoto", chat)
    assert isinstance(photo.params["photo"], UploadedFile)
    assert Image.open(io.BytesIO(photo.params["photo"].data)).format == "PNG"
    texts = " ".join(call.params["text"] for call in fake_bot_api.calls("sendMessage", chat))
    assert "Saying no has got easier since" in texts and "The chart in words:" in texts

    say(telegram_assistant, chat, "send me my summary")
    pdf, text = [call.params["document"] for call in fake_bot_api.calls("sendDocument", chat)]
    assert pdf.filename.endswith(".pdf") and text.filename.endswith(".txt")
    pdf_text = PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()
    assert pdf_text.startswith("This is a reflection, not a diagnosis") and "Your plan" in pdf_text
    assert text.data.decode().startswith("This is a reflection, not a diagnosis")
