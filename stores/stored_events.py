"""How many of a tracker's events are already in the table, known without asking it (issue 18).

Rasa's ``SQLTrackerStore.save`` finds the events to insert by counting, in a query, the stored
events of the conversation's latest session and skipping that many of the tracker's events.
But in a turn Rasa reads the tracker, appends events and saves that same object, so the store
can know the number: every event it read into the tracker, or wrote from it, is stored.
``StoredEvents`` keeps that number per tracker object this store read or saved, for as long as
the object lives. A tracker it never saw (built from JSON by Rasa's HTTP API, a copy, a tracker
of another store) or whose events it cannot follow (replaced, or capped so that they drop off
the front) gets no number, and the store counts as Rasa does.

The number is a fact about one tracker object, not about the conversation, so it stays true
whatever else writes to the table: when a second tracker of the same conversation is saved
meanwhile (two reads of it in one process, another replica whose turn outlasted the
conversation lock), its events are appended and this tracker's first events are still stored;
each save writes exactly the events its tracker gained, none dropped or written twice, where
Rasa's count would take the other tracker's events for this one's and skip as many. A deletion
meanwhile (the console's erasure or retention purge, intake_core/rights/tracker_events.py) is
the one change that makes stored events go, and then writing only the new events is what
erasure needs: counting instead finds fewer stored events and writes the deleted ones back.

Only a weak reference and two integers are kept: no event, nothing the caller said, outlives the
turn's own tracker, and the entry goes with it.
"""

from __future__ import annotations

import weakref
from collections import deque
from dataclasses import dataclass
from typing import Any

from rasa.shared.core.trackers import DialogueStateTracker


@dataclass(frozen=True)
class _Entry:
    tracker: weakref.ReferenceType[DialogueStateTracker]
    events: weakref.ReferenceType[deque[Any]]  # the deque the number counts in
    stored: int


class StoredEvents:
    """Per live tracker object: how many of its first events are stored."""

    def __init__(self) -> None:
        # By id(): a tracker defines __eq__ and so is not hashable. An entry is removed when its
        # tracker is collected, before the id can be reused, and identity is checked anyway.
        self._entries: dict[int, _Entry] = {}

    def remember(self, tracker: DialogueStateTracker, stored: int) -> None:
        """The first ``stored`` events of ``tracker`` are in the table now."""
        key = id(tracker)
        if tracker.events.maxlen is not None:  # events drop off the front: positions shift
            self.forget(tracker)
            return

        def gone(reference: weakref.ReferenceType[DialogueStateTracker]) -> None:
            entry = self._entries.get(key)
            if entry is not None and entry.tracker is reference:
                del self._entries[key]

        self._entries[key] = _Entry(weakref.ref(tracker, gone), weakref.ref(tracker.events), stored)

    def stored(self, tracker: DialogueStateTracker) -> int | None:
        """How many of ``tracker``'s first events are stored, or None when unknown."""
        entry = self._entries.get(id(tracker))
        if entry is None or entry.tracker() is not tracker or entry.events() is not tracker.events:
            return None
        if len(tracker.events) < entry.stored:  # events taken away: not the count it was
            return None
        return entry.stored

    def forget(self, tracker: DialogueStateTracker) -> None:
        entry = self._entries.get(id(tracker))
        if entry is not None and entry.tracker() is tracker:
            del self._entries[id(tracker)]

    def __len__(self) -> int:
        return len(self._entries)
