"""One row's figures from its intakes and, read after the row, their trackers."""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from bench.load import Intake, Row
from bench.reconcile import Reconciliation, reconcile_intake
from bench.stats import latency_summary

Judge = Callable[[dict[str, Any], dict[str, Any], list[str], list, int, bool, bool], dict[str, Any]]


def errors(intakes: list[Intake]) -> dict[str, int]:
    """Failed turns and failed connections by kind."""
    kinds = Counter(turn.error for intake in intakes for turn in intake.turns if turn.error)
    kinds.update(intake.connect_error for intake in intakes if intake.connect_error)
    return dict(kinds)


def reconcile(intakes: list[Intake], trackers: dict[str, dict[str, Any] | None]) -> Reconciliation:
    """Every intake without a failed turn whose tracker could be read (see bench/reconcile.py)."""
    total = Reconciliation()
    for intake in intakes:
        tracker = trackers.get(intake.conversation_id)
        if not intake.turns or tracker is None or any(turn.error for turn in intake.turns):
            continue
        total.add(reconcile_intake([turn.replies for turn in intake.turns], tracker.get("events") or [],
                                   where=f"{intake.persona} ({intake.outcome})"))
    return total


def rejudge(intake: Intake, persona: dict[str, Any], tracker: dict[str, Any], judge: Judge) -> bool:
    """``converse``'s verdict again, now with the tracker's slots (it played against an empty one)."""
    result = intake.result or {}
    log = result.get("log") or []
    texts = [entry[1] for entry in log if entry[0] == "bot"]
    return bool(judge(persona, tracker, texts, log, result.get("repeated_questions", 0),
                      result.get("guidance_seen", False), result.get("dead_end", False))["pass"])


def summarise(row: Row, trackers: dict[str, dict[str, Any] | None], personas: dict[str, dict[str, Any]],
              judge: Judge) -> dict[str, Any]:
    ok = [turn for intake in row.intakes for turn in intake.turns if not turn.error]
    elapsed = row.ended_at - row.started_at
    complete = [intake for intake in row.intakes if intake.outcome == "complete"]
    passed = sum(rejudge(intake, personas[intake.persona], trackers[intake.conversation_id], judge)
                 for intake in complete if trackers.get(intake.conversation_id) is not None)
    check = reconcile(row.intakes, trackers)
    return {
        "channel": row.channel,
        "callers": row.callers,
        "seconds": elapsed,
        "latency": latency_summary([turn.latency_s for turn in ok]),
        "turns_per_s": len(ok) / elapsed if elapsed > 0 else None,
        "errors": errors(row.intakes),
        "intakes": {"started": len(row.intakes), "complete": len(complete), "passed": passed,
                    "stopped_at_deadline": sum(i.outcome == "deadline" for i in row.intakes),
                    "trackers_unread": sum(trackers.get(i.conversation_id) is None for i in row.intakes if i.turns)},
        "reconciliation": {name: getattr(check, name) for name in
                           ("intakes", "turns", "replies", "lost", "duplicated", "stray", "misaligned", "examples")},
    }
