"""Our faster check of action-server replies accepts and refuses exactly what Rasa's own does."""

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

import components  # noqa: F401  (installs the check, as loading our model does)
from components.action_response_check import validate_action_result

GOOD_REPLIES = [
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "crisis_emergency", "value": "112", "timestamp": None}],
     "responses": [{"response": "utter_crisis_support"}]},
    {},
]
BAD_REPLIES = [
    {"events": "not a list"},
    {"events": [{"no_event_key": True}]},
    {"responses": ["a bare string"]},
    ["not", "an", "object"],
]


def original_check(result: object) -> None:
    """Rasa 3.6's own check, schema re-checked on every call."""
    from jsonschema import validate

    validate(result, RemoteAction.action_response_format_spec())


def test_the_installed_check_is_ours() -> None:
    assert RemoteAction._validate_action_result is validate_action_result


@pytest.mark.parametrize("reply", GOOD_REPLIES)
def test_replies_rasa_accepts_are_accepted(reply: dict) -> None:
    original_check(reply)
    assert RemoteAction("action_x", None)._validate_action_result(reply) is True


@pytest.mark.parametrize("reply", BAD_REPLIES)
def test_replies_rasa_refuses_are_refused_with_rasas_explanation(reply: object) -> None:
    with pytest.raises(ValidationError) as rasas:
        original_check(reply)
    with pytest.raises(ValidationError, match="Failed to validate Action server response") as ours:
        RemoteAction("action_x", None)._validate_action_result(reply)
    assert ours.value.message.startswith(rasas.value.message)
