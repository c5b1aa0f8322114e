"""Login throttling: a few failed logins per account, and somewhat more per address, then a
wait. Kept in the console process's memory (one console process per office); the clock is
injected so tests move time instead of sleeping."""
from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Hashable

ACCOUNT_FAILURES = 5  # a lawyer mistyping a few times is not locked out for long
ADDRESS_FAILURES = 20  # an office shares one address: higher, but still stops guessing
WINDOW_SECONDS = 15 * 60
MAX_KEYS = 10_000  # many invented usernames must not grow memory without bound


class LoginThrottle:
    def __init__(self, clock: Callable[[], float] = time.monotonic,
                 account_failures: int = ACCOUNT_FAILURES, address_failures: int = ADDRESS_FAILURES,
                 window_seconds: float = WINDOW_SECONDS):
        self._clock, self._window = clock, window_seconds
        self._limits = {"account": account_failures, "address": address_failures}
        self._failures: dict[tuple[str, Hashable], deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str, Hashable], now: float) -> deque[float]:
        times = self._failures.get(key, deque())
        while times and times[0] <= now - self._window:
            times.popleft()
        return times

    def wait_seconds(self, account: str, address: str) -> float:
        """0 if a login may be tried now, else how long until it may."""
        now, wait = self._clock(), 0.0
        with self._lock:
            for key in (("account", account.lower()), ("address", address)):
                times = self._recent(key, now)
                limit = self._limits[key[0]]
                if len(times) >= limit:  # the wait ends when the oldest counted failure leaves the window
                    wait = max(wait, times[-limit] + self._window - now)
        return wait

    def failed(self, account: str, address: str) -> None:
        now = self._clock()
        with self._lock:
            if len(self._failures) > MAX_KEYS:
                for key in [k for k in self._failures if not self._recent(k, now)]:
                    del self._failures[key]
            for key in (("account", account.lower()), ("address", address)):
                self._failures.setdefault(key, deque()).append(now)

    def succeeded(self, account: str) -> None:
        # Only the account's count is forgiven: a guesser with an account of their own must not
        # reset the count of the address they guess from.
        with self._lock:
            self._failures.pop(("account", account.lower()), None)
