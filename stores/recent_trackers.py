"""The trackers of conversations saved a moment ago, kept so their next turn need not rebuild them.

Rebuilding a tracker from its stored events (reading the rows, parsing their JSON, replaying every
event) was the largest share of the Rasa server's time per message. People answer within
minutes, so the tracker their last turn saved is usually still right: the tracker store keeps it
here and, before handing it out, checks with one small query that nothing was stored since.

A turn changes the tracker it was given, so each one is handed out once: `take` removes it, and
only a successful save puts it back. A turn that fails half-way leaves nothing here, and its
next turn reads the database as before. Kept in memory only, for a bounded number of
conversations and at most `idle_seconds` after their last save.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Callable, Optional, Text

from rasa.shared.core.trackers import DialogueStateTracker


@dataclass(frozen=True)
class SavedTracker:
    """A tracker as it was saved: its number of events then, and the id of the newest stored row."""

    tracker: DialogueStateTracker
    events_saved: int
    last_row_id: int
    saved_at: float


class RecentTrackers:
    """Bounded, idle-expiring map of sender id -> the tracker saved last for that sender."""

    def __init__(self, capacity: int, idle_seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.capacity = capacity
        self.idle_seconds = idle_seconds
        self._clock = clock
        self._saved: "OrderedDict[Text, SavedTracker]" = OrderedDict()

    def put(self, tracker: DialogueStateTracker, last_row_id: int) -> None:
        """Keep `tracker`, just saved, for its sender's next turn."""
        if self.capacity <= 0:
            return
        self._saved.pop(tracker.sender_id, None)
        self._saved[tracker.sender_id] = SavedTracker(tracker, len(tracker.events), last_row_id, self._clock())
        self._expire()

    def take(self, sender_id: Text) -> Optional[SavedTracker]:
        """The tracker saved last for `sender_id`, removed from here; None if none or changed since."""
        self._expire()
        saved = self._saved.pop(sender_id, None)
        if saved is None or len(saved.tracker.events) != saved.events_saved:
            return None  # changed after its save (by a turn still holding it): not what is stored
        return saved

    def forget(self, sender_id: Text) -> None:
        self._saved.pop(sender_id, None)

    def clear(self) -> None:
        self._saved.clear()

    def _expire(self) -> None:
        """Drop the oldest entries beyond capacity and those idle too long (oldest come first)."""
        oldest_kept = self._clock() - self.idle_seconds
        while self._saved:
            sender_id, saved = next(iter(self._saved.items()))
            if len(self._saved) <= self.capacity and saved.saved_at >= oldest_kept:
                break
            del self._saved[sender_id]
