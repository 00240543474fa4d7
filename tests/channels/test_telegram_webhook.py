"""Real Telegram Updates posted to the running Rasa server, answered through the fake Bot API."""

from __future__ import annotations

import itertools
import time
from typing import Any

import pytest
import requests

from channels.telegram import ChannelTexts
from channels.telegram_format import MESSAGE_LIMIT, utf16_length
from tests.channels.conftest import (
    SECRET,
    TOKEN,
    button_press_update,
    domain_responses,
    message_update,
    post_update,
)
from tests.channels.fake_bot_api import ApiCall, FakeBotApi
from tests.servers import RunningAssistant

TEXTS = ChannelTexts.load()
RESPONSES = domain_responses()
_chats = itertools.count(int(time.time()) * 10)


def new_chat() -> int:
    """Each test talks in its own conversation."""
    return next(_chats)


def variations(response: str) -> list[str]:
    return [variation["text"] for variation in RESPONSES[response]]


def button_rows(response: str) -> list[list[tuple[str, str]]]:
    """For each variation of a response: its buttons as (title, payload)."""
    return [[(b["title"], b["payload"]) for b in variation.get("buttons", [])] for variation in RESPONSES[response]]


def keyboard_buttons(call: ApiCall) -> list[tuple[str, str]]:
    rows = call.params["reply_markup"]["inline_keyboard"]
    assert all(len(row) == 1 for row in rows)
    return [(row[0]["text"], row[0]["callback_data"]) for row in rows]


def user_turns(assistant: RunningAssistant, chat: int) -> list[str]:
    return [event.get("text") for event in assistant.tracker(str(chat))["events"] if event["event"] == "user"]


def messages(fake: FakeBotApi, chat: int) -> list[ApiCall]:
    return fake.calls("sendMessage", chat)


@pytest.mark.parametrize("secret", [None, "", "wrong-secret", SECRET[:-1], SECRET + "x"])
def test_updates_without_the_right_secret_are_refused_and_nothing_is_sent(
    telegram_assistant: RunningAssistant, fake_bot_api: FakeBotApi, secret: str | None
) -> None:
    chat = new_chat()
    reply = post_update(telegram_assistant, message_update(chat, "/start"), secret=secret)
    assert reply.status_code == 403
    assert fake_bot_api.calls(chat_id=chat) == []
    assert user_turns(telegram_assistant, chat) == []


def test_start_greets_and_offers_the_menu_as_an_inline_keyboard(
    telegram_assistant: RunningAssistant, fake_bot_api: FakeBotApi
) -> None:
    chat = new_chat()
    assert post_update(telegram_assistant, message_update(chat, "/start")).status_code == 200
    sent = messages(fake_bot_api, chat)
    assert [call.params["text"] in variations(name) for call, name in zip(sent, ["utter_greet", "utter_offer_menu"])] == [True, True]
    assert len(sent) == 2
    assert "reply_markup" not in sent[0].params
    assert keyboard_buttons(sent[1]) in button_rows("utter_offer_menu")
    assert all("parse_mode" not in call.params and call.token == TOKEN for call in sent)


def test_the_typing_indicator_shows_before_the_answer(telegram_assistant: RunningAssistant, fake_bot_api: FakeBotApi) -> None:
    chat = new_chat()
    post_update(telegram_assistant, message_update(chat, "/start"))
    methods = [call.method for call in fake_bot_api.calls(chat_id=chat)]
    assert methods[0] == "sendChatAction"
    assert fake_bot_api.calls("sendChatAction", chat)[0].params["action"] == "typing"


def test_a_typed_question_gets_its_answer_with_buttons(telegram_assistant: RunningAssistant, fake_bot_api: FakeBotApi) -> None:
    chat = new_chat()
    assert post_update(telegram_assistant, message_update(chat, "help")).status_code == 200
    sent = messages(fake_bot_api, chat)
    assert [call.params["text"] for call in sent] == variations("utter_help")
    assert [keyboard_buttons(sent[0])] == button_rows("utter_help")


def test_a_button_press_is_answered_and_processed_as_its_payload(
    telegram_assistant: RunningAssistant, fake_bot_api: FakeBotApi
) -> None:
    chat = new_chat()
    post_update(telegram_assistant, message_update(chat, "/start"))
    menu = messages(fake_bot_api, chat)[-1]
    explanations = {"/ask_interdependence": "utter_explain_interdependence", "/ask_difference": "utter_explain_difference"}
    title, payload = next((t, p) for t, p in keyboard_buttons(menu) if p in explanations)
    already_sent = len(messages(fake_bot_api, chat))

    press = button_press_update(chat, payload, menu.params["reply_markup"])
    assert post_update(telegram_assistant, press).status_code == 200

    answered = fake_bot_api.calls("answerCallbackQuery")
    assert press["callback_query"]["id"] in [call.params["callback_query_id"] for call in answered]
    assert messages(fake_bot_api, chat)[already_sent].params["text"] in variations(explanations[payload])
    assert user_turns(telegram_assistant, chat)[-1] == payload


@pytest.mark.parametrize(
    "content",
    [
        {"sticker": {"file_id": "CAAC", "file_unique_id": "u1", "type": "regular", "width": 512, "height": 512, "is_animated": False, "is_video": False}},
        {"photo": [{"file_id": "AgAC", "file_unique_id": "u2", "width": 90, "height": 90}], "caption": "look"},
        {"voice": {"file_id": "AwAC", "file_unique_id": "u3", "duration": 3}},
        {"document": {"file_id": "BQAC", "file_unique_id": "u4", "file_name": "notes.pdf"}},
    ],
    ids=["sticker", "photo", "voice", "document"],
)
def test_non_text_messages_get_the_kind_text_only_reply(
    telegram_assistant: RunningAssistant, fake_bot_api: FakeBotApi, content: dict[str, Any]
) -> None:
    chat = new_chat()
    assert post_update(telegram_assistant, message_update(chat, **content)).status_code == 200
    sent = messages(fake_bot_api, chat)
    assert len(sent) == 1
    assert sent[0].params["text"] in TEXTS.text_only
    assert user_turns(telegram_assistant, chat) == []


def test_the_same_update_twice_is_answered_once(telegram_assistant: RunningAssistant, fake_bot_api: FakeBotApi) -> None:
    chat = new_chat()
    update = message_update(chat, "help")
    assert post_update(telegram_assistant, update).status_code == 200
    answered_once = len(messages(fake_bot_api, chat))
    assert post_update(telegram_assistant, update).status_code == 200
    assert answered_once > 0
    assert len(messages(fake_bot_api, chat)) == answered_once
    assert user_turns(telegram_assistant, chat) == ["help"]


def test_an_edited_message_is_not_processed_again(telegram_assistant: RunningAssistant, fake_bot_api: FakeBotApi) -> None:
    chat = new_chat()
    original = message_update(chat, "help")
    post_update(telegram_assistant, original)
    answered = len(messages(fake_bot_api, chat))
    edited = message_update(chat)
    edited["edited_message"] = {**original["message"], "text": "help me please", "edit_date": int(time.time())}
    del edited["message"]
    assert post_update(telegram_assistant, edited).status_code == 200
    assert len(messages(fake_bot_api, chat)) == answered
    assert user_turns(telegram_assistant, chat) == ["help"]


@pytest.mark.parametrize(
    "body",
    [b"not json", b"[]", b'{"message": {"chat": {"id": 1}, "text": "hi"}}', b'{"update_id": 1, "message": {"text": "hi"}}'],
)
def test_a_malformed_body_gets_400_and_nothing_is_sent(
    telegram_assistant: RunningAssistant, fake_bot_api: FakeBotApi, body: bytes
) -> None:
    calls_before = len(fake_bot_api.calls())
    assert post_update(telegram_assistant, body).status_code == 400
    assert len(fake_bot_api.calls()) == calls_before


def test_a_long_reply_is_split_at_sentence_boundaries(telegram_assistant: RunningAssistant, fake_bot_api: FakeBotApi) -> None:
    """A bot message of ~9,000 characters, sent through the server's HTTP API to the Telegram channel."""
    chat = new_chat()
    long_text = " ".join(f"Step {i}: notice what you give, and what you get back." for i in range(170))
    reply = requests.post(
        f"{telegram_assistant.rasa_url}/conversations/{chat}/tracker/events",
        params={"token": telegram_assistant.token, "output_channel": "telegram", "execute_side_effects": "true"},
        json=[{"event": "bot", "text": long_text}],
        timeout=60,
    )
    assert reply.ok, reply.text
    parts = [call.params["text"] for call in messages(fake_bot_api, chat)]
    assert len(parts) == 3
    assert all(utf16_length(part) <= MESSAGE_LIMIT and part.endswith("back.") for part in parts)
    assert " ".join(parts) == long_text


def test_an_error_while_answering_gets_200_and_an_apology(telegram_assistant: RunningAssistant, fake_bot_api: FakeBotApi) -> None:
    chat = new_chat()
    fake_bot_api.fail_next("sendMessage")
    assert post_update(telegram_assistant, message_update(chat, "/start")).status_code == 200
    assert messages(fake_bot_api, chat)[-1].params["text"] in TEXTS.apology


def test_message_text_and_the_token_stay_out_of_the_logs(telegram_assistant: RunningAssistant, fake_bot_api: FakeBotApi) -> None:
    chat = new_chat()
    private = "my sister borrowed the blue umbrella again"
    post_update(telegram_assistant, message_update(chat, private))
    assert messages(fake_bot_api, chat)
    logs = telegram_assistant.logs()
    assert private not in logs
    assert TOKEN not in logs
