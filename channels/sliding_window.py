"""A per-key sliding-window rate limit, in process memory.

Production note: the window lives in one process. Behind a load balancer each replica
counts on its own, so a sender spread over N replicas gets up to N times the limit; a
shared limit would need Redis (as the WeChat de-duplication does). Keys are channel and
sender ids, never a caller's words.
"""
from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable


class SlidingWindow:
    """At most ``limit`` events per key within any ``window_s`` seconds."""

    def __init__(self, limit: int, window_s: float, clock: Callable[[], float] = time.monotonic,
                 max_keys: int = 100_000) -> None:
        self.limit = limit
        self.window_s = window_s
        self.clock = clock
        # Bounds memory when many one-off senders come by: idle keys are dropped first.
        self.max_keys = max_keys
        self._events: dict[str, deque[float]] = {}

    def allow(self, key: str) -> bool:
        """Count one event for ``key``; False (and not counted) when over the limit."""
        now = self.clock()
        events = self._events.get(key)
        if events is None:
            if len(self._events) >= self.max_keys:
                self._forget_idle(now)
            events = self._events[key] = deque()
        while events and now - events[0] >= self.window_s:
            events.popleft()
        if len(events) >= self.limit:
            return False
        events.append(now)
        return True

    def _forget_idle(self, now: float) -> None:
        for key in [key for key, events in self._events.items()
                    if not events or now - events[-1] >= self.window_s]:
            del self._events[key]
        while len(self._events) >= self.max_keys:  # all busy: drop the oldest-started
            del self._events[next(iter(self._events))]
