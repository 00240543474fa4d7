"""Play every conversation in tests/e2e/conversations/ against the real servers over REST.

A conversation whose `needs` names are missing from the trained model waits for a feature that is
not merged yet: it is skipped with the missing names in the reason (shown by `pytest -ra`).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conversation import (
    Conversation,
    TurnRecord,
    check_turn,
    domain_names,
    expected_names,
    load_conversations,
    play,
    transcript,
)
from tests.servers import RunningAssistant

# The intents of the public contract (shared/contract.md); each must be reached by a conversation.
CONTRACT_INTENTS = (
    "greet", "goodbye", "affirm", "deny", "thank", "bot_challenge", "help", "out_of_scope",
    "ask_interdependence", "ask_codependency", "ask_counterdependency", "ask_dependency",
    "ask_difference", "ask_healthy_signs", "ask_example", "start_reflection", "share_situation",
    "ask_coaching", "crisis", "delete_data", "ask_privacy", "stop",
)

CONVERSATIONS = load_conversations()


@pytest.fixture(scope="session")
def known_names(assistant: RunningAssistant) -> set[str]:
    """Names in the trained model's domain, read through the token-protected API."""
    domain: dict[str, Any] = assistant.domain()
    return domain_names(domain) | {"action_deactivate_loop", "action_restart", "action_default_fallback"}


@pytest.mark.parametrize("conversation", CONVERSATIONS, ids=[c.test_id for c in CONVERSATIONS])
def test_conversation(
    assistant: RunningAssistant, known_names: set[str], conversation: Conversation, request: pytest.FixtureRequest
) -> None:
    if conversation.known_gap:
        # Strict: once the gap is closed the conversation passes, and this marker must go.
        request.applymarker(pytest.mark.xfail(reason=conversation.known_gap, strict=True))
    missing_feature = [name for name in conversation.needs if name not in known_names]
    if missing_feature:
        pytest.skip(f"feature not merged yet (model lacks {', '.join(missing_feature)})")
    unknown = sorted(name for name in expected_names(conversation) if name not in known_names)
    assert not unknown, f"the conversation names things the model does not know: {unknown}"

    records, problems = play(assistant, conversation)

    if problems:
        pytest.fail(
            "\n".join(problems) + "\n\nConversation so far:\n" + transcript(records), pytrace=False
        )


def test_every_contract_intent_is_reached_by_a_conversation() -> None:
    covered = {turn.expect.get("intent") for conversation in CONVERSATIONS for turn in conversation.turns}
    missing = [intent for intent in CONTRACT_INTENTS if intent not in covered]
    assert not missing, f"no conversation expects these contract intents: {missing}"


def test_a_goodbye_the_person_did_not_say_fails_the_turn() -> None:
    """The check every played turn gets: utter_goodbye only where the person says goodbye."""
    farewell = TurnRecord(
        user="well somebody has to pay the bills",
        intent="goodbye",
        names=["action_farewell", "utter_goodbye"],
        replies=[{"response": "utter_goodbye", "text": "Bye!", "buttons": []}],
        slots={},
        active_loop=None,
        stored="",
    )
    assert any("said goodbye" in problem for problem in check_turn(farewell, {"intent": "push_back"}))
    assert not check_turn(farewell, {"intent": "goodbye"})
