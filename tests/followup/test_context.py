"""The context record: written by `remember`, read back by `recall` only while it is fresh."""

from typing import Any, Dict, List

from rasa_sdk import Tracker

from actions.context import CONTEXT_SLOT, FRESH_TURNS, KIND_SLOT, SIGN, Context, recall, remember


def tracker_after(messages: int, slots: Dict[str, Any]) -> Tracker:
    events: List[Dict[str, Any]] = [{"event": "user", "text": f"message {n}"} for n in range(messages)]
    return Tracker("someone", slots, {}, events, False, None, {}, "action_listen")


def test_a_record_is_recalled_until_the_subject_has_moved_on() -> None:
    written = remember(tracker_after(3, {}), Context(SIGN, topic="boundaries"))
    slots = {event["name"]: event["value"] for event in written}
    assert slots[KIND_SLOT] == SIGN
    assert recall(tracker_after(3 + FRESH_TURNS, slots)) == Context(SIGN, turn=3, topic="boundaries")
    assert recall(tracker_after(4 + FRESH_TURNS, slots)) is None


def test_a_record_from_an_earlier_session_is_not_recalled() -> None:
    slots = {CONTEXT_SLOT: Context(SIGN, turn=9).to_slot()}
    assert recall(tracker_after(1, slots)) is None


def test_anything_but_a_record_reads_as_no_context() -> None:
    for value in (None, "sign", {"kind": "astrology"}, {"kind": SIGN, "turn": "soon", "nonsense": 1}, [1]):
        assert recall(tracker_after(1, {CONTEXT_SLOT: value})) is None
