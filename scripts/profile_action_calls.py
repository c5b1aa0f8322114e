#!/usr/bin/env python3
"""The action-server calls' parts in a `make profile` run (issue 18, docs/action-calls.md). A tool.

`scripts/profile_turns.py --keep DIR > REPORT` keeps py-spy's stacks of both servers; this
tallies, in those stacks, the parts of a call to the action server that the domain-once
protocol and the kept-alive session change, in CPU ms per turn (a part's share of the process's
running samples times the process's CPU ms per turn, read from REPORT). The parts overlap (the
call's JSON is part of the whole call); each line is a tally of its own.

    .venv/bin/python scripts/profile_turns.py --intakes 6 --keep var/results/profile > var/results/profile.md
    .venv/bin/python scripts/profile_action_calls.py var/results/profile var/results/profile.md
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from bench.profile import IDLE_LEAVES, parse_collapsed  # noqa: E402

PARTS = {
    "rasa": (
        ("the whole call (Rasa's EndpointConfig.request or ours)",
         r"^(request|send) \(.*(rasa/utils/endpoints|intake_dialogue/(kept_alive_endpoint|domain_once))\.py"),
        ("the call's JSON (json.dumps in aiohttp)", r"^dumps \(.*json/__init__\.py"),
        ("a session and a connection (ClientSession, cookie jar, TCP connect, close)",
         r"^session \(.*rasa/utils/endpoints\.py|^client_session \(.*kept_alive_endpoint\.py"
         r"|^_create_connection \(.*aiohttp/connector\.py|^(__init__|close|__aexit__) \(.*aiohttp/client\.py"),
    ),
    "actions": (
        ("the call's JSON parsed (Sanic's load_json)", r"^load_json \("),
        ("the domain's middleware (actions/known_domains.py)", r"^(fill_domain|say_held) \(.*known_domains\.py"),
        ("a new connection (Sanic's connection_made)", r"^connection_made \("),
    ),
}
# Imports and first-use set-up (an action server loads spaCy at the first multiple-choice answer).
ONE_OFF = re.compile(r"importlib|^check_initialized \(.*jieba|^blank \(.*spacy/__init__")


def cpu_per_turn(report: str, process: str) -> float:
    found = re.search(rf"^\| {process} \| \*\*all\*\*.*?\| \*\*([\d.]+)\*\* \|", report, re.MULTILINE)
    if not found:
        raise SystemExit(f"no CPU per turn for {process} in the report")
    return float(found.group(1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stacks", type=Path, help="profile_turns.py's --keep folder")
    parser.add_argument("report", type=Path, help="profile_turns.py's output")
    args = parser.parse_args()
    report = args.report.read_text(encoding="utf-8")
    print("| process | part | CPU ms per turn |")
    print("| --- | --- | ---: |")
    for process, parts in PARTS.items():
        stacks = parse_collapsed((args.stacks / f"{process}.txt").read_text(encoding="utf-8").splitlines())
        running = [(frames, count) for frames, count in stacks if not IDLE_LEAVES.search(frames[-1])]
        total = sum(count for _frames, count in running)
        per_turn = cpu_per_turn(report, process)
        one_off = sum(count for frames, count in running if any(ONE_OFF.search(frame) for frame in frames))
        print(f"| {process} | **all** | **{per_turn:.1f}** |")
        print(f"| {process} | of which imports and first-use set-up | {per_turn * one_off / total:.1f} |")
        for name, pattern in parts:
            compiled = re.compile(pattern)
            samples = sum(count for frames, count in running if any(compiled.search(frame) for frame in frames))
            print(f"| {process} | {name} | {per_turn * samples / total:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
