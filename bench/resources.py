"""CPU seconds and peak resident memory of the assistant's processes during one row.

psutil reads /proc: CPU time is the difference of user + system time (the process and its
children) between the row's start and end; Linux keeps no peak RSS a reader can reset, so the
peak is the largest sum of RSS seen by a thread sampling every ``interval`` seconds.
"""
from __future__ import annotations

import threading
from collections.abc import Collection

import psutil


def _tree(process: psutil.Process, children: bool = True) -> list[psutil.Process]:
    if not children:
        return [process]
    try:
        return [process] + process.children(recursive=True)
    except psutil.Error:
        return [process]


def cpu_seconds(process: psutil.Process, children: bool = False) -> float:
    """User + system CPU seconds of ``process`` (and its children when asked)."""
    total = 0.0
    for member in _tree(process, children):
        try:
            times = member.cpu_times()
        except psutil.Error:  # a child that ended between listing and reading
            continue
        total += times.user + times.system
    return total


def _rss(process: psutil.Process, children: bool) -> int:
    total = 0
    for member in _tree(process, children):
        try:
            total += member.memory_info().rss
        except psutil.Error:
            continue
    return total


class ProcessWatch:
    """``with ProcessWatch({"rasa": pid, ...}) as watch: ...``; then ``watch.figures()``.

    Each process counts with its children, except those named in ``alone``: the benchmark's
    own process, whose children are the assistant's servers when it started them."""

    def __init__(self, pids: dict[str, int], interval: float = 0.25, alone: Collection[str] = ()):
        self.processes = {name: psutil.Process(pid) for name, pid in pids.items()}
        self.children = {name: name not in alone for name in pids}
        self.interval = interval
        self._stop = threading.Event()
        self._peak = {name: 0 for name in self.processes}
        self._cpu_start: dict[str, float] = {}
        self._cpu_end: dict[str, float] = {}
        self._thread = threading.Thread(target=self._sample, name="bench-process-watch", daemon=True)

    def _sample(self) -> None:
        while True:
            for name, process in self.processes.items():
                self._peak[name] = max(self._peak[name], _rss(process, self.children[name]))
            if self._stop.wait(self.interval):
                return

    def __enter__(self) -> ProcessWatch:
        self._cpu_start = {name: cpu_seconds(p, self.children[name]) for name, p in self.processes.items()}
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self._cpu_end = {name: cpu_seconds(p, self.children[name]) for name, p in self.processes.items()}

    def figures(self) -> dict[str, dict[str, float]]:
        return {name: {"cpu_s": self._cpu_end[name] - self._cpu_start[name], "peak_rss_bytes": self._peak[name]}
                for name in self.processes}
