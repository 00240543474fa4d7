"""Our Telegram channel for Rasa (`channels.telegram.TelegramInput` in credentials.yml).

Why not Rasa's stock connector: it calls the Bot API at start-up (no Telegram, no server), reuses an
aiohttp session from a dead event loop, and trusts any POST. This one is configured from the
environment only, is off without a token, makes no Bot API call at start-up, refuses updates without
Telegram's secret header and answers every accepted update with 200 so Telegram never retries forever.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Awaitable, Callable, Mapping, Optional

import yaml
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.telegram_api import SECRET_HEADER, BotApi, TelegramApiError, TelegramSettings, Upload
from channels.telegram_format import InlineKeyboards, split_message
from channels.telegram_updates import RecentUpdates, chat_id_of, parse_update, pressed_title, text_for_rasa
from reliability.wiring import shared_door
from stores.files import FileStore

logger = logging.getLogger(__name__)

# Telegram shows "typing…" for about five seconds per sendChatAction.
TYPING_REFRESH_SECONDS = 4.5
# Message fields that carry content we cannot read (service messages like "X joined" are not here).
NON_TEXT_KINDS = frozenset(
    {
        "sticker", "photo", "voice", "video", "video_note", "audio", "document", "animation",
        "location", "venue", "contact", "poll", "dice", "game", "story", "invoice",
    }
)
TEXTS_FILE = Path(__file__).with_name("telegram.yml")

NewMessageHandler = Callable[[UserMessage], Awaitable[Any]]


@dataclass(frozen=True)
class ChannelTexts:
    """What the channel says by itself and which commands start which intent (telegram.yml)."""

    text_only: tuple[str, ...]
    apology: tuple[str, ...]
    commands: Mapping[str, str]

    @classmethod
    def load(cls, path: Path = TEXTS_FILE) -> "ChannelTexts":
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return cls(tuple(data["text_only"]), tuple(data["apology"]), dict(data["commands"]))


class TelegramOutput(OutputChannel):
    """Sends the bot's replies as plain text (no parse_mode, so nothing anyone wrote becomes markup)."""

    def __init__(self, api: BotApi, keyboards: InlineKeyboards, files: Optional[FileStore] = None) -> None:
        self._api = api
        self._keyboards = keyboards
        self._files = files or FileStore()

    @classmethod
    def name(cls) -> str:
        return TelegramInput.name()

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        for chunk in split_message(text):
            await self._api.call("sendMessage", chat_id=recipient_id, text=chunk)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        """Long text is split; the keyboard rides on the last part, right where the reader is."""
        *first_parts, last_part = split_message(text) or ["…"]
        for part in first_parts:
            await self._api.call("sendMessage", chat_id=recipient_id, text=part)
        await self._api.call(
            "sendMessage", chat_id=recipient_id, text=last_part, reply_markup=self._keyboards.build(buttons)
        )

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        """Our own charts are uploaded (sendPhoto, multipart); any other image URL is passed on."""
        found = self._files.find_for(recipient_id, image)
        if found is None:
            await self._api.call("sendPhoto", chat_id=recipient_id, photo=image)
            return
        stored, data = found
        await self._api.upload("sendPhoto", "photo", Upload(stored.name, data, stored.content_type), chat_id=recipient_id)

    async def send_attachment(self, recipient_id: str, attachment: Any, **kwargs: Any) -> None:
        """Our own files (the summary) arrive as documents (sendDocument, multipart) under their name."""
        link = attachment.get("url") if isinstance(attachment, dict) else attachment
        found = self._files.find_for(recipient_id, str(link or ""))
        if found is None:
            logger.warning("An attachment that is not in the file store was not sent to Telegram.")
            return
        stored, data = found
        name = str(attachment.get("name") or stored.name) if isinstance(attachment, dict) else stored.name
        await self._api.upload("sendDocument", "document", Upload(name, data, stored.content_type), chat_id=recipient_id)


class TelegramInput(InputChannel):
    """Receives Telegram updates on /webhooks/telegram/webhook (webhook or scripts/telegram_poll.py)."""

    def __init__(self, settings: TelegramSettings, texts: Optional[ChannelTexts] = None) -> None:
        self.settings = settings
        self.texts = texts or ChannelTexts.load()
        self.api = BotApi(settings.api_url, settings.token) if settings.token else None
        self.keyboards = InlineKeyboards()
        self.recent_updates = RecentUpdates()
        if self.api is None:
            logger.info("Telegram channel is off: TELEGRAM_TOKEN is not set.")
        elif not settings.secret_token:
            logger.error("TELEGRAM_SECRET_TOKEN is not set: every Telegram update will be refused (403).")
        else:
            logger.info("Telegram channel is on (Bot API at %s).", settings.api_url)

    @classmethod
    def name(cls) -> str:
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: Optional[dict[str, Any]]) -> "TelegramInput":
        """Settings come from TELEGRAM_* variables only, so the credentials section stays empty."""
        return cls(TelegramSettings.from_env())

    def get_output_channel(self) -> Optional[OutputChannel]:
        return TelegramOutput(self.api, self.keyboards) if self.api else None

    def blueprint(self, on_new_message: NewMessageHandler) -> Blueprint:
        telegram_webhook = Blueprint("telegram_webhook", __name__)

        @telegram_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok", "enabled": self.api is not None})

        @telegram_webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            return await self.receive(request.headers.get(SECRET_HEADER), request.body, on_new_message)

        @telegram_webhook.listener("after_server_stop")
        async def close_session(*_: Any) -> None:
            if self.api is not None:
                await self.api.close()

        return telegram_webhook

    def secret_matches(self, header: Optional[str]) -> bool:
        """Constant-time comparison; with no secret configured nothing matches."""
        secret = self.settings.secret_token
        return bool(secret) and header is not None and hmac.compare_digest(header.encode(), secret.encode())

    async def receive(self, secret_header: Optional[str], body: bytes, on_new_message: NewMessageHandler) -> HTTPResponse:
        if self.api is None:
            return response.json({"error": "The Telegram channel is off (TELEGRAM_TOKEN is not set)."}, status=404)
        if not self.secret_matches(secret_header):
            return response.json({"error": "Missing or wrong secret token."}, status=403)
        update = parse_update(body)
        if update is None:
            return response.json({"error": "The body is not a Telegram Update."}, status=400)
        if not self.recent_updates.first_time(update["update_id"]):
            logger.debug("Telegram update %s was already processed.", update["update_id"])
            return response.json({"status": "duplicate"})
        try:
            await self._handle(update, on_new_message)
        except Exception:
            logger.exception("Handling Telegram update %s failed.", update["update_id"])
            await self._apologise(update)
        return response.json({"status": "ok"})

    async def _handle(self, update: dict[str, Any], on_new_message: NewMessageHandler) -> None:
        if "callback_query" in update:
            await self._handle_button_press(update["callback_query"], on_new_message)
        elif "message" in update:
            await self._handle_message(update["message"], on_new_message)
        else:
            logger.debug("Ignoring Telegram update %s (%s).", update["update_id"], ", ".join(sorted(update)))

    async def _handle_message(self, message: dict[str, Any], on_new_message: NewMessageHandler) -> None:
        chat_id = chat_id_of(message)
        text = message.get("text")
        if isinstance(text, str) and text.strip():
            rasa_text = text_for_rasa(text, self.texts.commands)
            if rasa_text:
                await self._process(rasa_text, chat_id, on_new_message)
        elif NON_TEXT_KINDS & message.keys():
            await self._say(chat_id, random.choice(self.texts.text_only))

    async def _handle_button_press(self, query: dict[str, Any], on_new_message: NewMessageHandler) -> None:
        try:
            await self.api.call("answerCallbackQuery", callback_query_id=query["id"])
        except TelegramApiError as error:
            # Usually "query is too old"; the press itself still deserves an answer.
            logger.warning("Could not answer a Telegram button press: %s", error)
        message = query.get("message") or {}
        chat_id = chat_id_of(message) or (query.get("from") or {}).get("id")
        data = query.get("data")
        if not isinstance(data, str) or not data or chat_id is None:
            return
        payload = self.keyboards.payload_for(data, pressed_title(message, data))
        if payload:
            await self._process(payload, chat_id, on_new_message)

    async def _process(self, text: str, chat_id: int, on_new_message: NewMessageHandler) -> None:
        """Hand the text to Rasa while Telegram shows that the bot is typing."""
        await self._show_typing(chat_id)
        typing = asyncio.create_task(self._keep_typing(chat_id))
        try:
            # The door: rate limit per chat, long text cut with a note, an apology if a store is down.
            await shared_door().receive(
                UserMessage(text, TelegramOutput(self.api, self.keyboards), str(chat_id), input_channel=self.name()),
                on_new_message,
            )
        finally:
            typing.cancel()

    async def _show_typing(self, chat_id: int) -> bool:
        try:
            await self.api.call("sendChatAction", chat_id=chat_id, action="typing")
            return True
        except TelegramApiError as error:
            logger.debug("No typing indicator: %s", error)
            return False

    async def _keep_typing(self, chat_id: int) -> None:
        while True:
            await asyncio.sleep(TYPING_REFRESH_SECONDS)
            if not await self._show_typing(chat_id):
                return

    async def _say(self, chat_id: int, text: str) -> None:
        await TelegramOutput(self.api, self.keyboards).send_text_message(str(chat_id), text)

    async def _apologise(self, update: dict[str, Any]) -> None:
        query = update.get("callback_query") or {}
        chat_id = chat_id_of(update.get("message")) or chat_id_of(query.get("message")) or (query.get("from") or {}).get("id")
        if chat_id is None:
            return
        try:
            await self._say(chat_id, random.choice(self.texts.apology))
        except Exception as error:
            logger.warning("Could not send the apology either: %s", error)
