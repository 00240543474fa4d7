"""Our Telegram channel for Rasa (`channels.telegram.TelegramInput` in credentials.yml).

Why not Rasa's stock connector: it calls the Bot API at start-up (no Telegram, no server), reuses an
aiohttp session from a dead event loop, and trusts any POST. This one is configured from the
environment only, is off without a token, makes no Bot API call at start-up, refuses updates without
Telegram's secret header and answers every accepted update with 200 so Telegram never retries forever.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import os
import random
import re
from collections import OrderedDict, deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Awaitable, Callable, Mapping, Optional

import aiohttp
import yaml
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from reliability.wiring import shared_door
from stores.files import FileStore

logger = logging.getLogger(__name__)

DEFAULT_API_URL = "https://api.telegram.org"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Edited messages, channel posts and the rest are never asked for (and ignored if they come).
ALLOWED_UPDATES = ("message", "callback_query")
MESSAGE_LIMIT = 4096
CALLBACK_DATA_LIMIT = 64
API_TIMEOUT_SECONDS = 20
# Telegram shows "typing…" for about five seconds per sendChatAction.
TYPING_REFRESH_SECONDS = 4.5
REMEMBERED_UPDATES = 4096
REMEMBERED_LONG_PAYLOADS = 4096
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
class TelegramSettings:
    """The four TELEGRAM_* variables; read in Python because credentials.yml's ${VAR} fails when unset."""

    token: str
    secret_token: str
    webhook_url: str
    api_url: str

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> "TelegramSettings":
        def read(name: str) -> str:
            return environ.get(name, "").strip()

        return cls(
            token=read("TELEGRAM_TOKEN"),
            secret_token=read("TELEGRAM_SECRET_TOKEN"),
            webhook_url=read("TELEGRAM_WEBHOOK_URL"),
            api_url=(read("TELEGRAM_API_URL") or DEFAULT_API_URL).rstrip("/"),
        )


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


class TelegramApiError(Exception):
    """A Bot API call failed; the message never contains the bot token."""

    def __init__(self, message: str, status: Optional[int] = None) -> None:
        super().__init__(message)
        self.status = status  # Telegram's HTTP status; None when no answer came


class BotApi:
    """Minimal Bot API client: JSON POSTs to {api_url}/bot{token}/{method}.

    The aiohttp session is created on first use inside the running event loop (the stock
    connector's "Event loop is closed" came from a session born in another loop).
    """

    def __init__(self, api_url: str, token: str, timeout_seconds: float = API_TIMEOUT_SECONDS) -> None:
        self._api_url = api_url.rstrip("/")
        self._token = token
        self._timeout = aiohttp.ClientTimeout(total=timeout_seconds)
        self._session: Optional[aiohttp.ClientSession] = None
        self._session_loop: Optional[asyncio.AbstractEventLoop] = None

    async def call(self, method: str, **params: Any) -> Any:
        """Call one method and return its `result`, or raise TelegramApiError."""
        return await self._post(method, json=params)

    async def upload(self, method: str, field: str, file: Upload, **params: Any) -> Any:
        """Call a method that takes a file (sendPhoto, sendDocument) with its bytes, as multipart."""
        form = aiohttp.FormData()
        for name, value in params.items():
            form.add_field(name, value if isinstance(value, str) else json.dumps(value))
        form.add_field(field, file.data, filename=file.name, content_type=file.content_type)
        return await self._post(method, data=form)

    async def _post(self, method: str, **payload: Any) -> Any:
        """POST `payload` (json= or data=) to one method and return its `result`."""
        url = f"{self._api_url}/bot{self._token}/{method}"
        try:
            async with self._current_session().post(url, **payload) as reply:
                body = await reply.json(content_type=None)
                status = reply.status
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
            raise TelegramApiError(f"{method} failed: {self._redact(f'{type(error).__name__}: {error}')}") from None
        if not isinstance(body, dict) or body.get("ok") is not True:
            description = body.get("description") if isinstance(body, dict) else None
            raise TelegramApiError(f"{method} refused ({status}): {self._redact(str(description))}", status)
        return body.get("result")

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    def _current_session(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        if self._session is None or self._session.closed or self._session_loop is not loop:
            self._session = aiohttp.ClientSession(timeout=self._timeout)
            self._session_loop = loop
        return self._session

    def _redact(self, text: str) -> str:
        return text.replace(self._token, "<token>") if self._token else text


@dataclass(frozen=True)
class Upload:
    """A file sent to Telegram by its bytes, so Telegram never has to reach our server."""

    name: str
    data: bytes
    content_type: str


def utf16_length(text: str) -> int:
    """Telegram measures message length in UTF-16 code units (an emoji can count twice)."""
    return len(text.encode("utf-16-le")) // 2


_SENTENCE = re.compile(r".*?(?:[.!?…]+[\"'”’)\]]*(?=\s|$)|\n|$)\s*", re.DOTALL)
_WORD = re.compile(r"\S+\s*|\s+")


def split_message(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Split text into messages of at most `limit`, at sentence ends where possible, then at spaces."""
    chunks: list[str] = []
    current = ""
    for piece in _pieces(text, limit):
        if current and utf16_length(current + piece.rstrip()) > limit:
            chunks.append(current.rstrip())
            current = ""
        current += piece
    if current.strip():
        chunks.append(current.rstrip())
    return [chunk for chunk in chunks if chunk.strip()]


def _pieces(text: str, limit: int) -> list[str]:
    """Sentences (with their trailing space); any sentence longer than `limit` cut into words or slices."""
    pieces: list[str] = []
    for sentence in filter(None, _SENTENCE.findall(text)):
        if utf16_length(sentence.rstrip()) <= limit:
            pieces.append(sentence)
            continue
        for word in _WORD.findall(sentence):
            while utf16_length(word.rstrip()) > limit:
                head = _longest_prefix(word, limit)
                pieces.append(head)
                word = word[len(head):]
            pieces.append(word)
    return pieces


def _longest_prefix(text: str, limit: int) -> str:
    end = min(len(text), limit)
    while utf16_length(text[:end]) > limit:
        end -= 1
    return text[:end]


class InlineKeyboards:
    """Rasa buttons as Telegram inline keyboards, one button per row.

    callback_data holds at most 64 bytes, so a longer payload is sent as a short digest and looked up
    when pressed; if the server restarted meanwhile, the pressed button's title is used instead.
    """

    def __init__(self, remembered: int = REMEMBERED_LONG_PAYLOADS) -> None:
        self._long_payloads: OrderedDict[str, str] = OrderedDict()
        self._remembered = remembered

    def build(self, buttons: list[dict[str, Any]]) -> dict[str, Any]:
        return {"inline_keyboard": [[self._button(button)] for button in buttons]}

    def payload_for(self, callback_data: str, button_title: Optional[str]) -> str:
        """The text to process when a button with this callback_data was pressed."""
        if callback_data in self._long_payloads:
            return self._long_payloads[callback_data]
        if self._is_digest(callback_data):
            return button_title or ""
        return callback_data

    def _button(self, button: dict[str, Any]) -> dict[str, Any]:
        payload = str(button.get("payload") or button.get("title") or "")
        title = str(button.get("title") or payload)
        if button.get("url"):
            return {"text": title, "url": str(button["url"])}
        return {"text": title, "callback_data": self._callback_data(payload)}

    def _callback_data(self, payload: str) -> str:
        if len(payload.encode("utf-8")) <= CALLBACK_DATA_LIMIT and not self._is_digest(payload):
            return payload
        digest = "#" + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]
        self._long_payloads[digest] = payload
        self._long_payloads.move_to_end(digest)
        while len(self._long_payloads) > self._remembered:
            self._long_payloads.popitem(last=False)
        return digest

    @staticmethod
    def _is_digest(data: str) -> bool:
        return len(data) == 33 and data.startswith("#") and all(c in "0123456789abcdef" for c in data[1:])


class RecentUpdates:
    """update_ids seen lately, so a Telegram retry of the same update is processed once."""

    def __init__(self, remembered: int = REMEMBERED_UPDATES) -> None:
        self._order: deque[int] = deque()
        self._seen: set[int] = set()
        self._remembered = remembered

    def first_time(self, update_id: int) -> bool:
        if update_id in self._seen:
            return False
        self._seen.add(update_id)
        self._order.append(update_id)
        if len(self._order) > self._remembered:
            self._seen.discard(self._order.popleft())
        return True


def parse_update(body: bytes) -> Optional[dict[str, Any]]:
    """The Update object, or None when the body is not one (answered with 400)."""
    try:
        update = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(update, dict) or type(update.get("update_id")) is not int:
        return None
    message = update.get("message")
    if message is not None and not (isinstance(message, dict) and _chat_id(message) is not None):
        return None
    query = update.get("callback_query")
    if query is not None and not (isinstance(query, dict) and isinstance(query.get("id"), str)):
        return None
    return update


def text_for_rasa(text: str, commands: Mapping[str, str]) -> str:
    """Known commands start their intent; any other leading slash is read as words, so typed text
    can never pass itself off as an intent payload (only our buttons send those)."""
    stripped = text.strip()
    if not stripped.startswith("/"):
        return stripped
    command = stripped[1:].split(maxsplit=1)[0].split("@", 1)[0].lower() if len(stripped) > 1 else ""
    return commands.get(command) or stripped.lstrip("/").strip()


def _chat_id(message: Any) -> Optional[int]:
    chat = message.get("chat") if isinstance(message, dict) else None
    chat_id = chat.get("id") if isinstance(chat, dict) else None
    return chat_id if type(chat_id) is int else None


def _pressed_title(message: dict[str, Any], callback_data: str) -> Optional[str]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard") or []
    for row in rows:
        for button in row:
            if button.get("callback_data") == callback_data:
                return button.get("text")
    return None


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
        chat_id = _chat_id(message)
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
        chat_id = _chat_id(message) or (query.get("from") or {}).get("id")
        data = query.get("data")
        if not isinstance(data, str) or not data or chat_id is None:
            return
        payload = self.keyboards.payload_for(data, _pressed_title(message, data))
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
        chat_id = _chat_id(update.get("message")) or _chat_id(query.get("message")) or (query.get("from") or {}).get("id")
        if chat_id is None:
            return
        try:
            await self._say(chat_id, random.choice(self.texts.apology))
        except Exception as error:
            logger.warning("Could not send the apology either: %s", error)
