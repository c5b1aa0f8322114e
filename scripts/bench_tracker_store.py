#!/usr/bin/env python3
"""The tracker store's read and save, in-process, Rasa's way against ours (issue 18). A tool, not a test.

Plays CONVERSATIONS conversations of TURNS turns on a fresh table, each turn as the assistant
does it: the caller gate's last-message time, Rasa's read of the tracker, the turn's events
appended, Rasa's save. "rasa" runs Rasa 3.6's own ``SQLTrackerStore`` read and save (the ORM
query, per-row decryption through the column type, the count before each save) on our store,
so only the code differs, not the table or the encryption; "ours" runs
``EncryptedSQLTrackerStore``'s. Variants alternate conversation by conversation so that the
machine's other load falls on both alike. Prints CPU (user+sys) and wall ms per turn, per
step. The events are made up (sizes like the assistant's: a user message with its intent
ranking, slots, a form, a reply with buttons); nothing is written outside a temporary folder.

    .venv/bin/python scripts/bench_tracker_store.py [--dialect sqlite|postgresql] [--turns 14]
        [--sqlite-wal]

--sqlite-wal measures SQLite in WAL mode with synchronous=NORMAL (not what the store does: a
commit then survives a crash of the application but not of the machine; docs/performance.md).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(PROJECT_ROOT), str(PROJECT_ROOT / "tests")]

import sqlalchemy as sa  # noqa: E402
from cryptography.fernet import Fernet  # noqa: E402
from rasa.core.tracker_store import SQLTrackerStore  # noqa: E402
from rasa.shared.core.domain import Domain  # noqa: E402
from rasa.shared.core.events import (  # noqa: E402
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker  # noqa: E402

os.environ.setdefault("APP_ENCRYPTION_KEYS", Fernet.generate_key().decode("ascii"))

from stores.tracker import EncryptedSQLTrackerStore  # noqa: E402

INTENTS = [f"intent_{n}" for n in range(10)]
MAX_TURNS = 40


def bench_domain() -> Domain:
    """The slots the made-up turns set, so that replaying them is as in the assistant."""
    def slot(kind: str) -> dict[str, Any]:  # one dict each: Rasa pops keys from it
        return {"type": kind, "influence_conversation": False, "mappings": [{"type": "custom"}]}

    slots = {f"answer_{n}": slot("text") for n in range(MAX_TURNS + 1)} | {
        f"answer_{n}_checked": slot("bool") for n in range(MAX_TURNS)}
    return Domain.from_dict({"slots": slots, "forms": {"intake_form": {"required_slots": ["answer_0"]}},
                             "intents": INTENTS})


def turn_events(turn: int, at: float) -> list[Event]:
    """One turn's events, about the assistant's: 9 events, ~2.5 kB of JSON."""
    ranking = [{"name": name, "confidence": round(0.9 / (rank + 1), 4)} for rank, name in enumerate(INTENTS)]
    parse = {"intent": ranking[0], "intent_ranking": ranking, "entities": [],
             "text": f"第{turn}个回答：借给同事两万元，说好半年还，到现在没还", "message_id": f"{turn:032x}",
             "metadata": {}}
    buttons = [{"title": f"选项{n}", "payload": f"/choose{{\"answer\": \"{n}\"}}"} for n in range(4)]
    return [
        UserUttered(parse["text"], ranking[0], [], parse, timestamp=at, input_channel="rest"),
        ActionExecuted("action_extract_slots", policy=None, confidence=None, timestamp=at),
        SlotSet(f"answer_{turn}", f"借给同事两万元 {turn}", timestamp=at),
        ActionExecuted("intake_form", policy="RulePolicy", confidence=1.0, timestamp=at),
        ActiveLoop("intake_form", timestamp=at),
        SlotSet(f"answer_{turn}_checked", True, timestamp=at),
        SlotSet("requested_slot", f"answer_{turn + 1}", timestamp=at),
        BotUttered(f"第{turn + 1}个问题：对方是否写过借条？请选择一项，或者直接告诉我们具体情况。",
                   {"buttons": buttons}, {"utter_action": f"utter_ask_answer_{turn + 1}"}, timestamp=at),
        ActionExecuted("action_listen", policy="RulePolicy", confidence=1.0, timestamp=at),
    ]


def first_events(at: float) -> list[Event]:
    return [ActionExecuted("action_session_start", timestamp=at), SessionStarted(timestamp=at),
            ActionExecuted("action_listen", timestamp=at)]


def rasa_last_user_message_time(store: EncryptedSQLTrackerStore, sender_id: str) -> float | None:
    """The caller gate's query as it was before issue 18 (an ORM query built per call)."""
    with store.session_scope() as session:
        return session.query(sa.func.max(store.SQLEvent.timestamp)).filter(
            store.SQLEvent.sender_id == sender_id, store.SQLEvent.type_name == UserUttered.type_name,
        ).scalar()


class Steps:
    """CPU and wall seconds per (variant, step)."""

    def __init__(self) -> None:
        self.cpu: dict[tuple[str, str], list[float]] = defaultdict(list)
        self.wall: dict[tuple[str, str], list[float]] = defaultdict(list)

    @contextmanager
    def timed(self, variant: str, step: str) -> Iterator[None]:
        cpu, wall = time.process_time(), time.perf_counter()
        yield
        self.cpu[variant, step].append(time.process_time() - cpu)
        self.wall[variant, step].append(time.perf_counter() - wall)


async def play(store: EncryptedSQLTrackerStore, variant: str, sender_id: str, turns: int, steps: Steps) -> None:
    rasa = variant == "rasa"
    retrieve: Callable[[str], Awaitable[DialogueStateTracker | None]] = (
        (lambda s: SQLTrackerStore._retrieve(store, s, fetch_events_from_all_sessions=False))
        if rasa else store.retrieve)
    save: Callable[[DialogueStateTracker], Awaitable[None]] = (
        (lambda t: SQLTrackerStore.save(store, t)) if rasa else store.save)
    last_time = rasa_last_user_message_time if rasa else EncryptedSQLTrackerStore.last_user_message_time
    now = time.time()
    for turn in range(turns):
        with steps.timed(variant, "gate: last message time"):
            last_time(store, sender_id)
        with steps.timed(variant, "read"):
            tracker = await retrieve(sender_id)
        new = turn_events(turn, now + turn)
        if tracker is None:
            tracker = DialogueStateTracker(sender_id, store.domain.slots)
            new = first_events(now) + new
        for event in new:
            tracker.update(event)
        with steps.timed(variant, "save"):
            await save(tracker)


async def play_all(store: EncryptedSQLTrackerStore, conversations: int, turns: int, steps: Steps) -> None:
    await play(store, "ours", "warm-up-ours", 3, Steps())
    await play(store, "rasa", "warm-up-rasa", 3, Steps())
    for number in range(conversations):
        for variant in ("rasa", "ours") if number % 2 == 0 else ("ours", "rasa"):
            await play(store, variant, f"{variant}-{number}", turns, steps)


def wal(store: EncryptedSQLTrackerStore) -> None:
    """SQLite's WAL journal with synchronous=NORMAL on the store's connections from now on."""
    @sa.event.listens_for(store.engine, "connect")
    def pragmas(connection: Any, _record: Any) -> None:
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    store.engine.dispose()  # the connections made so far had none


def store_for(dialect: str, folder: Path, postgres_url: str) -> EncryptedSQLTrackerStore:
    if dialect == "sqlite":
        return EncryptedSQLTrackerStore(bench_domain(), dialect="sqlite", db=str(folder / "tracker.db"))
    url = sa.engine.make_url(postgres_url)
    return EncryptedSQLTrackerStore(bench_domain(), dialect="postgresql", host=url.host, port=url.port or 5432,
                                    db=url.database, username=url.username, password=url.password)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dialect", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--postgres-url", default="postgresql+psycopg2://postgres@127.0.0.1/bench_tracker_store",
                        help="an empty scratch database (its events table is dropped first)")
    parser.add_argument("--sqlite-wal", action="store_true", help="SQLite in WAL mode, synchronous=NORMAL")
    parser.add_argument("--conversations", type=int, default=12, help="per variant")
    parser.add_argument("--turns", type=int, default=14, choices=range(1, MAX_TURNS + 1), metavar="1..40",
                        help="per conversation")
    args = parser.parse_args()
    steps = Steps()
    with tempfile.TemporaryDirectory(prefix="bench-tracker-") as folder:
        if args.dialect == "postgresql":
            engine = sa.create_engine(args.postgres_url)
            with engine.begin() as connection:
                connection.exec_driver_sql("DROP TABLE IF EXISTS events")
            engine.dispose()
        store = store_for(args.dialect, Path(folder), args.postgres_url)
        if args.sqlite_wal and args.dialect == "sqlite":
            wal(store)
        asyncio.run(play_all(store, args.conversations, args.turns, steps))
        store.engine.dispose()
    journal = " (WAL, synchronous=NORMAL)" if args.sqlite_wal and args.dialect == "sqlite" else ""
    print(f"{args.dialect}{journal}: {args.conversations} conversations of {args.turns} turns per variant "
          f"({len(turn_events(0, 0))} events a turn); ms per turn, mean (CPU user+sys / wall)")
    print("| step | rasa CPU | ours CPU | rasa wall | ours wall |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for step in ("gate: last message time", "read", "save"):
        cells = [statistics.mean(table[variant, step]) * 1000
                 for table in (steps.cpu, steps.wall) for variant in ("rasa", "ours")]
        print(f"| {step} | " + " | ".join(f"{cell:.2f}" for cell in cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
