"""Simulated callers inside the repository: play whole intakes and judge them.

Why this exists beside ``../shared/callers/simulate.py``: that file lives outside the
repository. CI has it, a fresh clone does not, and ``make test`` must pass on a fresh clone;
pytest also needs the judging as functions it can call per persona (one failure names one
persona) against the assistant it already started. So this module plays the same conversations
with the same judging rules, and the two must agree: a persona that passes here passes there.
When the shared simulator changes its rules, change them here too.

A persona (tests/callers/personas.yml, format documented at the top of that file, the same as
the shared personas.yml) opens a conversation and answers each question from its own facts (the
first ``answers`` rule whose pattern matches the question), sends its ``script`` replies once
each when their question comes, then its ``then`` replies, confirms the summary in its own
words, taps a button when typing did not work, and stops when a cited article arrives (the
guidance), at a dead end (the same question three times in a row) or after ``max_turns``.

It passes when the case type is right, the guidance came, no dead end, every ``expect_slots``
pattern is found among the slot values, every ``expect_text`` pattern and no ``reject_text``
pattern among the assistant's messages. Repeated questions (the same question twice in a row)
are counted, not judged per persona.

usage: python tests/callers/simulate.py [--url URL] [--token T] [--personas FILE] [--only NAME] [-v] [--json OUT]
(the token defaults to $RASA_AUTH_TOKEN); prints one JSON line per persona and the summary last.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

PERSONAS = Path(__file__).resolve().parent / "personas.yml"

# The summary asks for a confirmation; a cited article means the guidance came; the
# "what to change" prompt is answered with "nothing" when the caller is stuck there.
CONFIRM = re.compile(r"确认|是否正确|对吗|都对吗|核对|无误|需要修改")
GUIDANCE = re.compile(r"第[一二三四五六七八九十百千零0-9]+条")
CHANGE = re.compile(r"改|修改|更正")
NOTHING_TO_CHANGE = "都对，没有要改的"
DONT_KNOW = "不清楚"

Say = Callable[[str, str], list[dict[str, Any]]]
ReadTracker = Callable[[str], dict[str, Any]]


def load_personas(path: Path = PERSONAS) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def question_of(text: str) -> str:
    """The last line of the assistant's turn as a person reads it: no bracketed hints, no examples."""
    last = text.strip().splitlines()[-1] if text.strip() else ""
    last = re.sub(r"（[^）]*）|\([^)]*\)", "", last)
    return re.split(r"比如|例如", last)[0]


def _first_answer(persona: dict[str, Any], question: str) -> str | None:
    return next((answer for pattern, answer in persona["answers"] if re.search(pattern, question)), None)


def _tap(persona: dict[str, Any], buttons: list[dict[str, Any]]) -> str:
    """The button the caller prefers (``prefer``, in order), else the first one."""
    for preference in persona.get("prefer", []):
        pick = next((b for b in buttons if re.search(preference, b.get("title", ""))), None)
        if pick:
            return pick.get("payload") or pick.get("title")
    return buttons[0].get("payload") or buttons[0].get("title")


def converse(persona: dict[str, Any], say: Say, read_tracker: ReadTracker) -> dict[str, Any]:
    """Play one persona's conversation; the judged result (with the conversation under ``log``)."""
    sender = f"sim-{persona['name']}-{uuid.uuid4().hex[:8]}"
    script, then = list(persona.get("script", [])), list(persona.get("then", []))
    confirm = persona.get("confirm", "确认无误")
    log: list[tuple] = [("caller", persona["open"])]
    texts: list[str] = []
    asked: list[str] = []
    repeats, guidance, dead_end = 0, False, False
    messages = say(sender, persona["open"])
    for turn in range(int(persona.get("max_turns", 40))):
        text = "\n".join(m.get("text", "") for m in messages if m.get("text"))
        buttons = [b for m in messages for b in (m.get("buttons") or [])]
        texts.append(text)
        log.append(("bot", text, [b.get("title") for b in buttons]))
        if GUIDANCE.search(text) and turn > 1:
            guidance = True
            break
        question = question_of(text)
        if asked and question and question == asked[-1]:
            repeats += 1
        asked.append(question)
        if len(asked) >= 3 and asked[-1] == asked[-2] == asked[-3] and question:
            dead_end = True
            break
        stuck = len(asked) >= 2 and asked[-1] == asked[-2]
        reply = None
        if script and re.search(script[0][0], question):
            reply = script.pop(0)[1]
        elif not script and then and turn > 0:
            reply = then.pop(0)
        elif CONFIRM.search(text) and not any(re.search(p, question) for p, _ in persona["answers"]):
            reply = confirm if not stuck else None
        if reply is None and not stuck:
            reply = _first_answer(persona, question)
        if reply is None and buttons:  # typing did not work, or nothing to say: tap a button
            reply = _tap(persona, buttons)
        if reply is None and stuck and CHANGE.search(question):
            reply = NOTHING_TO_CHANGE
        if reply is None:
            reply = DONT_KNOW
        log.append(("caller", reply))
        messages = say(sender, reply)
    return judge(persona, read_tracker(sender), texts, log, repeats, guidance, dead_end)


def judge(persona, tracker, texts, log, repeats, guidance, dead_end) -> dict[str, Any]:
    slots = tracker.get("slots") or {}
    slot_values = " ".join(json.dumps(v, ensure_ascii=False) for v in slots.values() if v)
    all_text = "\n".join(texts)
    result = {
        "name": persona["name"],
        "turns": sum(1 for entry in log if entry[0] == "caller"),
        "case_type_ok": slots.get("case_type") == persona["case_type"],
        # A finer practice area (work injury within labor) must be recognised too.
        "practice_area_ok": slots.get("practice_area") == persona.get("practice_area"),
        "guidance_seen": guidance,
        "dead_end": dead_end,
        "repeated_questions": repeats,
        "slots_missing": [p for p in persona.get("expect_slots", []) if not re.search(p, slot_values)],
        "text_missing": [p for p in persona.get("expect_text", []) if not re.search(p, all_text)],
        "text_wrong": [p for p in persona.get("reject_text", []) if re.search(p, all_text)],
    }
    result["pass"] = (result["case_type_ok"] and result["practice_area_ok"] and guidance and not dead_end
                      and not result["slots_missing"] and not result["text_missing"]
                      and not result["text_wrong"])
    result["log"] = log
    return result


def summarize(results: list[dict[str, Any]]) -> dict[str, Any]:
    """The totals the shared simulator prints last, plus the mean repeated questions per intake."""
    count = max(1, len(results))
    repeated = sum(r.get("repeated_questions", 0) for r in results)
    return {
        "personas_passed": f"{sum(bool(r.get('pass')) for r in results)}/{len(results)}",
        "mean_turns": round(sum(r.get("turns", 0) for r in results) / count, 1),
        "dead_ends": sum(bool(r.get("dead_end")) for r in results),
        "repeated_questions": repeated,
        "mean_repeated_questions": round(repeated / count, 2),
    }


def print_log(log: list[tuple]) -> None:
    for entry in log:
        print("   ", entry[0], "|", entry[1].replace("\n", " / ")[:200], *entry[2:])


def http_client(url: str, token: str):
    """``say`` and ``read_tracker`` over the REST channel and the HTTP API (standard library only)."""

    def say(sender: str, message: str) -> list[dict[str, Any]]:
        request = urllib.request.Request(
            f"{url}/webhooks/rest/webhook", data=json.dumps({"sender": sender, "message": message}).encode(),
            headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=120) as response:
            return json.loads(response.read().decode() or "null") or []

    def read_tracker(sender: str) -> dict[str, Any]:
        query = f"?token={urllib.parse.quote(token)}" if token else ""
        with urllib.request.urlopen(f"{url}/conversations/{sender}/tracker{query}", timeout=60) as response:
            return json.loads(response.read().decode())

    return say, read_tracker


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:5005")
    parser.add_argument("--token", default=os.environ.get("RASA_AUTH_TOKEN", ""))
    parser.add_argument("--personas", default=str(PERSONAS))
    parser.add_argument("--only")
    parser.add_argument("-v", action="store_true", help="print each conversation")
    parser.add_argument("--json", help="write all results to this file")
    args = parser.parse_args()
    say, read_tracker = http_client(args.url.rstrip("/"), args.token)
    results = []
    for persona in load_personas(Path(args.personas)):
        if args.only and persona["name"] != args.only:
            continue
        try:
            result = converse(persona, say, read_tracker)
        except Exception as error:  # the assistant failing to answer counts as a failure
            result = {"name": persona["name"], "pass": False, "error": repr(error)[:200], "log": []}
        if args.v:
            print_log(result["log"])
        results.append(result)
        print(json.dumps({k: v for k, v in result.items() if k != "log"}, ensure_ascii=False), flush=True)
    summary = summarize(results)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump({"results": results, "summary": summary}, handle, ensure_ascii=False, indent=1)
    print(json.dumps(summary, ensure_ascii=False))
    sys.exit(0 if all(r["pass"] for r in results) else 1)


if __name__ == "__main__":
    main()
