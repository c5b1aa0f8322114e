"""Where a turn's time goes: py-spy samples of the Rasa and action-server processes, by part.

py-spy (a sampling profiler that reads another process's Python stacks from outside, so the
servers run unmodified) writes one line per distinct stack, ``frame;frame;...;leaf count``,
each frame ``function (path:line)``. A sample is put in the first part of ``PARTS`` that any of
its frames names, so the order goes from the specific to the general: the action server's HTTP
call inside the processor counts as that call, not as "dialogue". Only samples of running code
are taken (py-spy without --idle): a process waiting on a socket adds nothing, so the shares
are of CPU time, and waits show as the difference between the turn's wall time and the CPU.

Except where py-spy cannot tell: a server's event loop waiting in uvloop's epoll (C code, so
the Python stack ends at Sanic's ``serve``) and an idle worker thread waiting for work (the
stack ends at ``concurrent.futures``' ``_worker``) are sampled as if running. Measured on
`make profile`: 20% of the Rasa process's samples and 91% of the action server's were such
waits, and they were counted as "HTTP server" CPU. A sample whose *innermost* frame is one of
``IDLE_LEAVES`` is counted as idle, apart from the parts; the parts share the process's CPU.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

# (part, pattern over one frame's text). Rasa's own modules by path; ours by package.
PARTS: tuple[tuple[str, str], ...] = (
    # the Rasa process
    ("tracker store: read (load, decrypt, replay events)",
     r"^(retrieve|_retrieve|retrieve_full_tracker|_event_query|last_user_message_time|_decrypted\w*|decrypt\w*) "
     r"\(.*(tracker_store|stores/tracker)\.py"),
    ("tracker store: save (serialise, encrypt, insert)",
     r"^(save|_additional_events|stream_events|_encrypted\w*|encrypt\w*) \(.*(tracker_store|stores/tracker)\.py"),
    ("lock store", r"lock_store\.py|stores/lock\.py"),
    ("action server call (tracker to JSON, HTTP)",
     r"^(_action_call_format|request) \(.*(rasa/core/actions/action|rasa/utils/endpoints)\.py"
     r"|^run \(.*rasa/core/actions/action\.py"),
    ("forms (Rasa side: slot mappings, validation)", r"rasa/core/actions/(forms|loops)\.py"),
    ("policy: TED", r"ted_policy\.py"),
    ("policy: rules", r"rule_policy\.py"),
    ("policy: memoization", r"memoization\.py"),
    ("policy: human handoff", r"human_handoff_policy\.py"),
    ("policy: state featurisation", r"rasa/core/featurizers/|^(past_states\w*|applied_events) \("),
    ("NLU: DIET", r"diet_classifier\.py"),
    ("NLU: linear intent classifier", r"linear_intent_classifier\.py"),
    ("NLU: case-type classifier", r"case_type_classifier\.py"),
    ("NLU: jieba tokenizer", r"jieba"),
    ("NLU: count-vector featurisers", r"count_vectors_featurizer\.py|sparse_featurizer"),
    ("NLU: safety net, article references, fallback, normaliser",
     r"safety_net\.py|article_reference\.py|fallback_classifier\.py|normalizer\.py"),
    ("NLU: other", r"rasa/nlu/|rasa/engine/"),
    ("responses (domain templates, NLG)", r"rasa/core/nlg/|response_selector"),
    ("tracker events (apply, copy)", r"rasa/shared/core/trackers\.py|rasa/shared/core/events\.py"),
    ("caller gate and channels", r"channels/|rasa/core/channels/"),
    ("HTTP server (Sanic, aiohttp)", r"sanic|aiohttp|uvloop|asyncio"),
    # the action server
    ("actions: questionnaire validation", r"actions/questionnaires/"),
    ("actions: guidance and calculators", r"actions/guidance|intake_core/guidance/"),
    ("actions: database (SQLAlchemy)", r"sqlalchemy|intake_core/persistence/"),
    ("actions: other project code", r"actions/|intake_core/"),
    ("actions: SDK (request parsing, tracker)", r"rasa_sdk"),
)
# Innermost frames that mean "waiting", not "running" (module documentation).
IDLE_LEAVES = re.compile(
    r"^(serve \(.*sanic/server/runners\.py|_worker \(.*concurrent/futures/thread\.py)"
)
_COMPILED = tuple((part, re.compile(pattern)) for part, pattern in PARTS)
OTHER = "other (interpreter, libraries)"


@dataclass(frozen=True)
class Breakdown:
    samples: int  # running samples, the parts' total
    by_part: dict[str, int]
    idle: int = 0  # samples of a wait py-spy took for running code (IDLE_LEAVES)

    def share(self, part: str) -> float:
        return self.by_part.get(part, 0) / self.samples if self.samples else 0.0

    def rows(self) -> list[tuple[str, int, float]]:
        """(part, samples, share), largest first."""
        return sorted(((part, n, n / self.samples) for part, n in self.by_part.items()),
                      key=lambda row: -row[1])


def part_of(frames: list[str]) -> str:
    """The part a sample's stack belongs to (module documentation)."""
    for part, pattern in _COMPILED:
        if any(pattern.search(frame) for frame in frames):
            return part
    return OTHER


def parse_collapsed(lines: Iterable[str]) -> list[tuple[list[str], int]]:
    """py-spy's raw (collapsed) output as (frames root first, samples)."""
    stacks = []
    for line in lines:
        line = line.rstrip("\n")
        if not line:
            continue
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        stacks.append((stack.split(";"), int(count)))
    return stacks


def breakdown(lines: Iterable[str]) -> Breakdown:
    parts: Counter = Counter()
    total = idle = 0
    for frames, count in parse_collapsed(lines):
        if IDLE_LEAVES.search(frames[-1]):
            idle += count
            continue
        parts[part_of(frames)] += count
        total += count
    return Breakdown(total, dict(parts), idle)
