"""Pieces of the Telegram channel that need no Rasa server: splitting, keyboards, parsing, settings."""

from __future__ import annotations

import asyncio
import json

import pytest

from channels.telegram import ChannelTexts, TelegramInput
from channels.telegram_api import DEFAULT_API_URL, BotApi, TelegramApiError, TelegramSettings
from channels.telegram_format import (
    CALLBACK_DATA_LIMIT,
    MESSAGE_LIMIT,
    InlineKeyboards,
    split_message,
    utf16_length,
)
from channels.telegram_updates import RecentUpdates, parse_update, text_for_rasa
from tests.channels.conftest import SECRET, TOKEN
from tests.channels.fake_bot_api import FakeBotApi

COMMANDS = ChannelTexts.load().commands


def settings(token: str = TOKEN, secret: str = SECRET, api_url: str = DEFAULT_API_URL) -> TelegramSettings:
    return TelegramSettings(token=token, secret_token=secret, webhook_url="", api_url=api_url)


# --- splitting ---------------------------------------------------------------------------------


def test_a_short_reply_is_sent_as_it_is() -> None:
    assert split_message("One idea per message. That's all.") == ["One idea per message. That's all."]


def test_a_long_reply_is_split_at_sentence_ends_and_loses_nothing() -> None:
    text = " ".join(f"Sentence {i} is about giving and taking in a close relationship!" for i in range(200))
    parts = split_message(text)
    assert len(parts) > 1
    assert all(utf16_length(part) <= MESSAGE_LIMIT for part in parts)
    assert all(part.endswith("!") for part in parts)
    assert " ".join(parts) == text


def test_splitting_prefers_sentence_ends_over_the_limit() -> None:
    assert split_message("First sentence here. Second one follows. Third.", limit=25) == [
        "First sentence here.",
        "Second one follows.",
        "Third.",
    ]


def test_a_sentence_longer_than_a_message_is_split_between_words() -> None:
    parts = split_message("word " * 30, limit=22)
    assert parts[0] == "word word word word"
    assert " ".join(parts) == ("word " * 30).strip()


def test_a_single_endless_word_is_cut_to_fit() -> None:
    assert split_message("x" * 10, limit=4) == ["xxxx", "xxxx", "xx"]


def test_length_counts_utf16_units_like_telegram() -> None:
    parts = split_message("🌱" * 3000)  # each emoji is two UTF-16 units
    assert [utf16_length(part) for part in parts] == [4096, 1904]


def test_nothing_to_say_gives_no_messages() -> None:
    assert split_message("  \n ") == []


# --- keyboards ---------------------------------------------------------------------------------


def test_buttons_become_an_inline_keyboard_one_per_row() -> None:
    keyboard = InlineKeyboards().build(
        [
            {"title": "Do a short check-in", "payload": "/start_reflection"},
            {"title": "Coaching ideas", "payload": "/ask_coaching"},
            {"title": "Read more", "url": "https://example.org/more"},
        ]
    )
    assert keyboard == {
        "inline_keyboard": [
            [{"text": "Do a short check-in", "callback_data": "/start_reflection"}],
            [{"text": "Coaching ideas", "callback_data": "/ask_coaching"}],
            [{"text": "Read more", "url": "https://example.org/more"}],
        ]
    }


def test_a_payload_too_long_for_callback_data_still_comes_back_when_pressed() -> None:
    keyboards = InlineKeyboards()
    payload = '/ask_coaching{"topic": "professional_help", "note": "a payload longer than 64 bytes"}'
    data = keyboards.build([{"title": "Talk to someone", "payload": payload}])["inline_keyboard"][0][0]["callback_data"]
    assert len(data.encode()) <= CALLBACK_DATA_LIMIT
    assert keyboards.payload_for(data, "Talk to someone") == payload


def test_a_forgotten_long_payload_falls_back_to_the_button_title() -> None:
    payload = "/" + "x" * 100
    data = InlineKeyboards().build([{"title": "Coaching ideas", "payload": payload}])["inline_keyboard"][0][0]["callback_data"]
    assert InlineKeyboards().payload_for(data, "Coaching ideas") == "Coaching ideas"


def test_a_short_payload_is_pressed_as_it_is() -> None:
    assert InlineKeyboards().payload_for("/ask_privacy", "What do you store?") == "/ask_privacy"


# --- reading updates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [b"", b"not json", b"[]", b'"text"', b'{"message": {"chat": {"id": 1}}}', b'{"update_id": "5"}',
     b'{"update_id": true}', b'{"update_id": 5, "message": "hi"}', b'{"update_id": 5, "message": {"text": "hi"}}',
     b'{"update_id": 5, "callback_query": {"data": "/help"}}', b"\xff\xfe"],
)
def test_bodies_that_are_not_updates_are_rejected(body: bytes) -> None:
    assert parse_update(body) is None


def test_an_update_is_read() -> None:
    update = {"update_id": 5, "message": {"message_id": 1, "chat": {"id": 7, "type": "private"}, "text": "hi"}}
    assert parse_update(json.dumps(update).encode()) == update


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("/start", "/greet"), ("/start@CoachBot", "/greet"), ("/START deep-link", "/greet"), ("/help", "/help"),
     ("/ask_coaching{\"topic\": \"goals\"}", "ask_coaching{\"topic\": \"goals\"}"), ("/greet", "greet"),
     ("I keep saying yes to everything", "I keep saying yes to everything")],
)
def test_commands_start_intents_and_typed_slashes_are_just_words(typed: str, expected: str) -> None:
    assert text_for_rasa(typed, COMMANDS) == expected


def test_a_retried_update_id_is_seen_once_and_memory_stays_bounded() -> None:
    recent = RecentUpdates(remembered=3)
    assert [recent.first_time(i) for i in (1, 2, 1, 3)] == [True, True, False, True]
    recent.first_time(4)  # pushes 1 out
    assert recent.first_time(1) is True
    assert recent.first_time(4) is False


# --- configuration and the secret --------------------------------------------------------------


def test_settings_come_from_the_environment_with_telegram_as_default_api() -> None:
    read = TelegramSettings.from_env({"TELEGRAM_TOKEN": " 1:a ", "TELEGRAM_API_URL": "http://127.0.0.1:9/"})
    assert (read.token, read.secret_token, read.api_url) == ("1:a", "", "http://127.0.0.1:9")
    assert TelegramSettings.from_env({}).api_url == DEFAULT_API_URL


def test_without_a_token_the_channel_is_off() -> None:
    channel = TelegramInput(TelegramSettings.from_env({}))
    assert channel.api is None
    assert channel.get_output_channel() is None


@pytest.mark.parametrize(("header", "accepted"), [(SECRET, True), (None, False), ("", False), (SECRET + "x", False), (SECRET.upper(), False)])
def test_only_the_exact_secret_is_accepted(header: str | None, accepted: bool) -> None:
    assert TelegramInput(settings()).secret_matches(header) is accepted


def test_with_no_secret_configured_nothing_is_accepted() -> None:
    assert TelegramInput(settings(secret="")).secret_matches("") is False


# --- the Bot API client ------------------------------------------------------------------------


def test_the_client_works_in_each_new_event_loop() -> None:
    """The stock connector failed with "Event loop is closed" when its session outlived its loop."""
    with FakeBotApi() as fake:
        api = BotApi(fake.base_url, TOKEN)
        for _ in range(2):
            assert asyncio.run(api.call("sendChatAction", chat_id=1, action="typing")) is True
        assert [call.method for call in fake.calls()] == ["sendChatAction", "sendChatAction"]
        assert fake.calls()[0].token == TOKEN


def test_api_errors_never_reveal_the_token() -> None:
    with FakeBotApi() as fake:
        fake.fail_next("sendMessage")
        with pytest.raises(TelegramApiError, match="sendMessage refused") as refused:
            asyncio.run(BotApi(fake.base_url, TOKEN).call("sendMessage", chat_id=1, text="hi"))
    with pytest.raises(TelegramApiError, match="sendMessage failed") as unreachable:
        asyncio.run(BotApi("http://127.0.0.1:9", TOKEN).call("sendMessage", chat_id=1, text="hi"))
    assert TOKEN not in str(refused.value) + str(unreachable.value)
