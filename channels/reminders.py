"""Not a way to chat: starts the reminder scheduler inside the Rasa server (credentials.yml).

Listed like a channel so every `rasa run` with our credentials gets it, next to the agent and its
tracker store: reminders are kept in that store's database (reminding/store.py). Without an SQL
tracker store there is nowhere durable to keep them, so the scheduler stays off and says so.
GET /webhooks/reminders/ tells whether it runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any, Awaitable, Callable, Optional, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from reminding.delivery import TelegramPush
from reminding.scheduler import Scheduler, running, set_running
from reminding.store import ReminderStore

logger = logging.getLogger(__name__)


def _sql_engine(tracker_store: Any) -> Optional[Any]:
    """The database engine of the tracker store doing the work (Rasa wraps ours)."""
    while hasattr(tracker_store, "_tracker_store"):
        tracker_store = tracker_store._tracker_store
    return getattr(tracker_store, "engine", None)


class ReminderScheduler(InputChannel):
    """Runs reminding.scheduler.Scheduler for as long as the server runs."""

    @classmethod
    def name(cls) -> Text:
        return "reminders"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = Blueprint("reminder_scheduler", __name__)
        tasks: list[asyncio.Task] = []

        @blueprint.route("/", methods=["GET"])
        async def status(_: Request) -> HTTPResponse:
            return response.json({"status": "ok", "scheduler": running() is not None})

        @blueprint.listener("after_server_start")
        async def start(app: Sanic, _: Any) -> None:
            agent = getattr(app.ctx, "agent", None)
            engine = _sql_engine(agent.tracker_store) if agent is not None else None
            if engine is None:
                logger.warning("Reminders are off: they need the SQL tracker store (endpoints.yml).")
                return
            store = await asyncio.to_thread(ReminderStore, engine)
            scheduler = Scheduler(store, agent, TelegramPush.from_env())
            set_running(scheduler)
            tasks.append(asyncio.create_task(scheduler.run_forever()))
            logger.info("Reminder scheduler started.")

        @blueprint.listener("before_server_stop")
        async def stop(*_: Any) -> None:
            scheduler = running()
            for task in tasks:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            if scheduler is not None and scheduler.telegram is not None:
                await scheduler.telegram.close()
            set_running(None)

        return blueprint
