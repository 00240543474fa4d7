"""When the action server is unreachable, slow or failing, say so instead of going quiet.

Rasa 3.6 logs a failed custom action, drops its events and carries on predicting, so the person
saw nothing at all, or a reply that hid the failure ("Tell me whatever is on your mind"). With the
guard installed, a failed call (no connection, an error status, a broken reply, or no answer within
`ACTION_TIMEOUT_SECONDS`) instead ends the turn with a short apology and waits for the next
message. Inside the check-in the whole form step fails the same way, so its state stays as it was
and the open question is asked again once the action server is back; a crisis message makes the
form step give way instead, so the safety rules answer it.

The helplines never depend on the action server: `action_load_helplines` is answered from the
same helplines file in this process when the action server does not answer within a moment.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
from typing import Any, Awaitable, Callable, List

from rasa.core.actions.action import ActionExecutionRejection, RemoteAction, create_bot_utterance
from rasa.core.actions.forms import FormAction
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import Event, FollowupAction, SlotSet

from reliability.settings import Limits
from reliability.texts import say

logger = logging.getLogger(__name__)

HELPLINES_ACTION = "action_load_helplines"
CRISIS_INTENT = "crisis"
# A crisis reply waits at most this long for the action server before using the local file.
HELPLINES_TIMEOUT_SECONDS = 2.0
# Set while a form runs: its validation calls must fail the whole form step, not apologise alone.
_inside_form: contextvars.ContextVar[bool] = contextvars.ContextVar("inside_form", default=False)

ActionRun = Callable[..., Awaitable[List[Event]]]


def apology() -> List[Event]:
    """The apology, then nothing more this turn (the next action is to listen)."""
    return [create_bot_utterance({"text": say("action_down")}), FollowupAction(ACTION_LISTEN_NAME)]


def local_helpline_events() -> List[Event]:
    """The crisis responses' slots from the helplines file, read in this process."""
    from actions.safety.crisis_support import crisis_response_variables

    return [SlotSet(name, value) for name, value in crisis_response_variables().items()]


def guard_remote_run(original: ActionRun, timeout: float) -> ActionRun:
    async def run(self: RemoteAction, *args: Any, **kwargs: Any) -> List[Event]:
        helplines = self.name() == HELPLINES_ACTION
        try:
            return await asyncio.wait_for(
                original(self, *args, **kwargs), HELPLINES_TIMEOUT_SECONDS if helplines else timeout
            )
        except ActionExecutionRejection:
            raise
        except Exception as error:
            logger.error("Custom action %s failed (%s: %s).", self.name(), type(error).__name__, error)
            if helplines:
                return local_helpline_events()
            if _inside_form.get():
                raise
            return apology()

    return run


def guard_form_run(original: ActionRun) -> ActionRun:
    async def run(self: FormAction, output_channel: Any, nlg: Any, tracker: Any, domain: Any) -> List[Event]:
        token = _inside_form.set(True)
        try:
            return await original(self, output_channel, nlg, tracker, domain)
        except ActionExecutionRejection:
            raise
        except Exception as error:
            logger.error("Form %s could not run (%s: %s); its state is kept.", self.name(), type(error).__name__, error)
            if (tracker.latest_message.intent or {}).get("name") == CRISIS_INTENT:
                # Rasa gives an active form the first word; a rejection lets the safety rules answer.
                raise ActionExecutionRejection(self.name(), "a crisis: the safety rules answer it") from error
            return apology()
        finally:
            _inside_form.reset(token)

    return run


def install(limits: Limits) -> None:
    """Wrap Rasa's custom-action and form runs once per process."""
    if getattr(RemoteAction.run, "_guarded", False):
        return
    remote_run = guard_remote_run(RemoteAction.run, limits.action_timeout_seconds)
    form_run = guard_form_run(FormAction.run)
    remote_run._guarded = form_run._guarded = True  # type: ignore[attr-defined]
    RemoteAction.run = remote_run  # type: ignore[method-assign]
    FormAction.run = form_run  # type: ignore[method-assign]
