"""Saved trackers are kept only briefly and for a bounded number of conversations."""

from __future__ import annotations

from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.trackers import DialogueStateTracker

from stores.recent_trackers import RecentTrackers


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def saved_tracker(sender: str) -> DialogueStateTracker:
    tracker = DialogueStateTracker(sender, [])
    tracker.update(ActionExecuted("action_listen"))
    return tracker


def test_only_the_most_recently_saved_conversations_are_kept() -> None:
    recent = RecentTrackers(capacity=2, idle_seconds=600, clock=FakeClock())
    for sender in ("a", "b", "c"):
        recent.put(saved_tracker(sender), last_row_id=1)

    assert recent.take("a") is None
    assert recent.take("b") is not None and recent.take("c") is not None


def test_a_conversation_idle_too_long_is_dropped() -> None:
    clock = FakeClock()
    recent = RecentTrackers(capacity=10, idle_seconds=600, clock=clock)
    recent.put(saved_tracker("quiet"), last_row_id=1)
    clock.now += 300
    recent.put(saved_tracker("active"), last_row_id=2)
    clock.now += 301

    assert recent.take("quiet") is None
    assert recent.take("active").last_row_id == 2


def test_saving_again_replaces_the_kept_tracker() -> None:
    recent = RecentTrackers(capacity=10, idle_seconds=600, clock=FakeClock())
    first, second = saved_tracker("me"), saved_tracker("me")
    recent.put(first, last_row_id=1)
    recent.put(second, last_row_id=5)

    kept = recent.take("me")
    assert kept.tracker is second and kept.last_row_id == 5
    assert recent.take("me") is None


def test_capacity_zero_keeps_nothing() -> None:
    recent = RecentTrackers(capacity=0, idle_seconds=600)
    recent.put(saved_tracker("me"), last_row_id=1)

    assert recent.take("me") is None
