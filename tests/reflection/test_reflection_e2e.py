"""The check-in against the real servers (trained model in models/): conversations, and memory.

Uses the shared `assistant` fixture and the conversation player of tests/e2e. Conversations whose
`needs` the trained model lacks are skipped with the reason, like tests/e2e does.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conversation import domain_names, load_conversations, play, transcript
from tests.servers import RunningAssistant

CONVERSATIONS = load_conversations(Path(__file__).with_name("conversations"))
ANSWER = '/answer_reflection{"reflection_level":"%d"}'
QUESTION_COUNT = 10


@pytest.fixture(scope="module")
def model_names(assistant: RunningAssistant) -> set[str]:
    return domain_names(assistant.domain())


def require(model_names: set[str], *names: str) -> None:
    missing = [name for name in names if name not in model_names]
    if missing:
        pytest.skip(f"feature not merged yet (model lacks {', '.join(missing)})")


@pytest.mark.parametrize("conversation", CONVERSATIONS, ids=[c.name for c in CONVERSATIONS])
def test_check_in_conversation(assistant: RunningAssistant, model_names: set[str], conversation) -> None:
    require(model_names, *conversation.needs)

    records, problems = play(assistant, conversation)

    assert not problems, "\n".join(problems) + "\n\n" + transcript(records)


def utterances_after(assistant: RunningAssistant, sender: str, text: str) -> list[str]:
    """Send one message; the response names of the bot messages it caused."""
    before = len(assistant.tracker(sender)["events"])
    assistant.send(sender, text)
    events: list[dict[str, Any]] = assistant.tracker(sender)["events"][before:]
    return [
        (event.get("metadata") or {}).get("utter_action")
        for event in events
        if event.get("event") == "bot"
    ]


def answer_every_question(assistant: RunningAssistant, sender: str, values: list[int]) -> list[str]:
    """Press one scale button per question; the response names that follow the last one."""
    for value in values[:-1]:
        assert utterances_after(assistant, sender, ANSWER % value) == ["utter_reflection_question"]
    return utterances_after(assistant, sender, ANSWER % values[-1])


def test_the_next_session_remembers_the_last_check_in_and_compares(
    assistant: RunningAssistant, model_names: set[str]
) -> None:
    require(model_names, "reflection_form", "action_reflection_last_result")
    sender = f"reflection-memory-{uuid.uuid4().hex[:8]}"
    # Saying no: "Never" the first time (question 3 is reverse-scored), "Often" the second.
    first = [3, 3, 1, 3, 3, 3, 3, 3, 3, 3]
    second = [3, 3, 4, 3, 3, 3, 3, 3, 3, 3]
    assert len(first) == QUESTION_COUNT

    assert "utter_reflection_intro" in utterances_after(assistant, sender, "start a check-in")
    answer_every_question(assistant, sender, first)
    assistant.send(sender, "/session_start")
    told = utterances_after(assistant, sender, "what did my last check-in say?")
    assert told[:1] == ["utter_reflection_last_result_intro"]

    restarted = utterances_after(assistant, sender, "start a check-in")
    assert {"utter_reflection_intro", "utter_reflection_intro_compare"} <= set(restarted)
    result = answer_every_question(assistant, sender, second)

    assert "utter_reflection_compare_easier" in result
    tracker = assistant.tracker(sender)
    easier = [
        event["text"]
        for event in tracker["events"]
        if (event.get("metadata") or {}).get("utter_action") == "utter_reflection_compare_easier"
    ]
    assert "saying no" in easier[-1]
