"""Our simulated callers (tests/callers/personas.yml) against the real assistant.

Each persona is one test, so a failure names the persona and says what went wrong (the
conversation is in the message); the totals are judged over all of them: no dead end at all,
and at most one repeated question per intake on average (issue 14). The runner is
tests/callers/simulate.py, the repository's copy of the shared simulator's rules, so this runs
on a fresh clone without ../shared.

The personas are played a few at a time (threads, one conversation each) the first time a test
needs them: the assistant serves conversations independently, and the run takes a fraction of
playing them one after the other.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from callers.simulate import converse, load_personas, summarize

pytestmark = pytest.mark.model

PERSONAS = {persona["name"]: persona for persona in load_personas()}
WORKERS = 3
MAX_MEAN_REPEATED_QUESTIONS = 1


def play(assistant, persona: dict[str, Any]) -> dict[str, Any]:
    try:
        return converse(persona, lambda sender, text: assistant.send(sender, text, timeout=120), assistant.tracker)
    except Exception as error:  # the assistant failing to answer is this persona's failure
        return {"name": persona["name"], "pass": False, "error": repr(error)[:300], "log": []}


@pytest.fixture(scope="module")
def played(assistant, request):
    """``played(names)``: the results of those personas, each played once per session.

    The first call plays every persona selected in this session at once, so that the
    parametrized tests do not wait for one another."""
    results: dict[str, dict[str, Any]] = {}

    def results_of(names: list[str]) -> list[dict[str, Any]]:
        missing = [name for name in names if name not in results]
        with ThreadPoolExecutor(WORKERS) as pool:
            for name, result in zip(missing, pool.map(lambda n: play(assistant, PERSONAS[n]), missing), strict=False):
                results[name] = result
        return [results[name] for name in names]

    selected = [item.callspec.params["name"] for item in request.session.items
                if item.module is request.module and getattr(item, "originalname", "") == "test_persona"]
    results_of(selected)
    return results_of


def explain(result: dict[str, Any]) -> str:
    """What went wrong for one persona, and the conversation as it went."""
    reasons = {key: result.get(key) for key in ("error", "case_type_ok", "guidance_seen", "dead_end",
                                                 "slots_missing", "text_missing", "text_wrong")}
    lines = [f"{result['name']}: {reasons}"]
    for entry in result.get("log", []):
        lines.append(f"  {entry[0]} | {entry[1][:300]!r} {entry[2] if len(entry) > 2 else ''}")
    return "\n".join(lines)


@pytest.mark.parametrize("name", sorted(PERSONAS))
def test_persona(name, played):
    [result] = played([name])
    assert result["pass"], explain(result)


def test_no_dead_ends_and_few_repeated_questions(played):
    results = played(sorted(PERSONAS))
    summary = summarize(results)
    print(summary)
    assert summary["dead_ends"] == 0, [r["name"] for r in results if r.get("dead_end")]
    assert summary["mean_repeated_questions"] <= MAX_MEAN_REPEATED_QUESTIONS, {
        r["name"]: r["repeated_questions"] for r in results if r.get("repeated_questions")}
