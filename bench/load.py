"""N simulated callers at once, each playing whole intakes one after the other.

Each caller is a thread running tests/callers/simulate.py's ``converse`` (the persona answers
the assistant's questions as in `make simulate`) with a ``say`` that times the turn: one
message sent and its replies received, on a conversation opened for that intake (a new sender
or widget session each time). Personas are handed out round-robin in the order callers ask.

A row runs either for ``seconds`` (no message is sent after that; the intakes under way stop
there, their turns counted) or for ``intakes_per_caller`` complete intakes each. A failed turn
(TurnError, or an empty reply list) ends its intake; the caller starts the next one. The
tracker is not read during the row (a real caller does not read it): ``converse`` gets an
empty one, and the intakes are judged and reconciled afterwards (bench/summary.py).
"""
from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bench.channels import TurnError


@dataclass
class Turn:
    latency_s: float
    ended_at: float  # time.monotonic()
    replies: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None


@dataclass
class Intake:
    persona: str
    conversation_id: str = ""
    turns: list[Turn] = field(default_factory=list)
    outcome: str = "under way"  # complete | deadline | error
    connect_error: str | None = None
    result: dict[str, Any] | None = None  # converse's result (judged on an empty tracker)


@dataclass
class Row:
    channel: str
    callers: int
    started_at: float
    intakes: list[Intake] = field(default_factory=list)
    sent: list[str] = field(default_factory=list)  # the messages, for the parse floor; never written out

    @property
    def ended_at(self) -> float:
        return max((turn.ended_at for intake in self.intakes for turn in intake.turns), default=self.started_at)


class _DeadlineReached(Exception):
    pass


class _TurnFailed(Exception):
    pass


Converse = Callable[[dict[str, Any], Callable, Callable], dict[str, Any]]


def play_intake(channel, persona: dict[str, Any], converse: Converse, row: Row,
                deadline: float | None) -> Intake:
    intake = Intake(persona["name"])
    try:
        conversation = channel.open()
    except TurnError as error:
        intake.outcome, intake.connect_error = "error", error.kind
        return intake
    intake.conversation_id = conversation.conversation_id

    def say(_sender: str, text: str) -> list[dict[str, Any]]:
        if deadline is not None and time.monotonic() >= deadline:
            raise _DeadlineReached
        row.sent.append(text)
        started = time.perf_counter()
        try:
            replies = conversation.say(text)
            error = None if replies else "empty"
        except TurnError as failure:
            replies, error = [], failure.kind
        intake.turns.append(Turn(time.perf_counter() - started, time.monotonic(), replies, error))
        if error:
            raise _TurnFailed
        return replies

    try:
        intake.result = converse(persona, say, lambda _sender: {})
        intake.outcome = "complete"
    except _DeadlineReached:
        intake.outcome = "deadline"
    except _TurnFailed:
        intake.outcome = "error"
    except Exception as error:  # the harness's own failure: counted and named, never hidden
        intake.outcome, intake.connect_error = "error", f"harness {type(error).__name__}"
    finally:
        conversation.close()
    return intake


def run_row(channel, personas: list[dict[str, Any]], callers: int, converse: Converse,
            seconds: float | None = None, intakes_per_caller: int | None = None) -> Row:
    if (seconds is None) == (intakes_per_caller is None):
        raise ValueError("give either seconds or intakes_per_caller")
    order = itertools.count()
    order_lock = threading.Lock()
    go = threading.Event()
    row = Row(channel.name, callers, started_at=0.0)
    deadline: list[float | None] = [None]

    def caller() -> None:
        go.wait()
        played = 0
        while intakes_per_caller is None or played < intakes_per_caller:
            if deadline[0] is not None and time.monotonic() >= deadline[0]:
                return
            with order_lock:
                persona = personas[next(order) % len(personas)]
            row.intakes.append(play_intake(channel, persona, converse, row, deadline[0]))
            played += 1

    threads = [threading.Thread(target=caller, name=f"bench-caller-{i}", daemon=True) for i in range(callers)]
    for thread in threads:
        thread.start()
    row.started_at = time.monotonic()
    deadline[0] = None if seconds is None else row.started_at + seconds
    go.set()
    for thread in threads:
        thread.join()
    return row
