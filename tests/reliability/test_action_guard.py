"""A failed, slow or unreachable custom action ends the turn with an apology; helplines never fail."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.shared.core.events import BotUttered, FollowupAction, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException

from reliability import action_guard


def remote(name: str) -> RemoteAction:
    return RemoteAction(name, None)


def failing(error: BaseException):
    async def run(self: Any, *args: Any) -> list:
        raise error

    return run


async def slow(self: Any, *args: Any) -> list:
    await asyncio.sleep(5)
    return []


async def test_an_unreachable_action_server_gets_the_apology_and_the_turn_ends() -> None:
    run = action_guard.guard_remote_run(failing(RasaException("Couldn't connect")), timeout=1)
    events = await run(remote("action_coach"), None, None, None, None)
    assert isinstance(events[0], BotUttered) and "try again in a minute" in events[0].text
    assert events[1] == FollowupAction("action_listen")


async def test_a_slow_action_server_is_given_up_on_after_the_timeout() -> None:
    run = action_guard.guard_remote_run(slow, timeout=0.1)
    events = await asyncio.wait_for(run(remote("action_analyse_situation"), None, None, None, None), 2)
    assert isinstance(events[0], BotUttered)


async def test_the_helplines_come_from_this_process_when_the_action_server_fails() -> None:
    run = action_guard.guard_remote_run(failing(RasaException("500")), timeout=1)
    events = await run(remote("action_load_helplines"), None, None, None, None)
    slots = {event.key: event.value for event in events if isinstance(event, SlotSet)}
    assert slots["crisis_helplines"] and "112" in slots["crisis_emergency"]


async def test_a_rejection_is_left_to_rasa() -> None:
    run = action_guard.guard_remote_run(failing(ActionExecutionRejection("validate_reflection_form")), timeout=1)
    with pytest.raises(ActionExecutionRejection):
        await run(remote("validate_reflection_form"), None, None, None, None)


def tracker_after(intent: str) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("ana", [UserUttered("...", intent={"name": intent, "confidence": 1.0})])


async def form_run(self: Any, *args: Any) -> list:
    inner = action_guard.guard_remote_run(failing(RasaException("Couldn't connect")), timeout=1)
    await inner(remote("validate_reflection_form"), None, None, None, None)
    return [SlotSet("requested_slot", "next_question")]  # never reached: state stays as it was


async def test_inside_a_form_the_whole_form_step_fails_once_with_one_apology() -> None:
    guarded = action_guard.guard_form_run(form_run)
    events = await guarded(remote("reflection_form"), None, None, tracker_after("answer_reflection"), None)
    assert [type(event) for event in events] == [BotUttered, FollowupAction]


async def test_inside_a_form_a_crisis_makes_the_form_give_way_to_the_safety_rules() -> None:
    guarded = action_guard.guard_form_run(form_run)
    with pytest.raises(ActionExecutionRejection):
        await guarded(remote("reflection_form"), None, None, tracker_after("crisis"), None)
