"""The generated section of docs/benchmark.md: one block per deployment, replaced in place.

Each deployment (the assistant `make bench` starts, two replicas behind a proxy, ...) has its
own block between `<!-- bench:NAME:begin -->` and `<!-- bench:NAME:end -->`, so measuring one
leaves the others' figures as they were; a deployment without a block gets one at the end.
"""
from __future__ import annotations

import re
from typing import Any

COLUMNS = [
    "callers", "channel", "turns", "turns/s", "p50 ms", "p95 ms", "p99 ms", "parse p50 ms",
    "p50 / parse p50", "errors", "lost", "duplicated", "stray", "turns checked", "intakes done (passed)",
]


def markers(deployment: str) -> tuple:
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", deployment):
        raise ValueError(f"a deployment name is lower-case letters, digits and dashes: {deployment!r}")
    return f"<!-- bench:{deployment}:begin -->", f"<!-- bench:{deployment}:end -->"


def _number(value: float | None, digits: int = 0) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def _errors(errors: dict[str, int]) -> str:
    total = sum(errors.values())
    if not total:
        return "0"
    return f"{total} ({', '.join(f'{kind} {count}' for kind, count in sorted(errors.items()))})"


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def run_row(run: dict[str, Any], parse_p50_ms: float | None) -> list[str]:
    latency, check = run["latency"], run["reconciliation"]
    ratio = None if latency["p50_ms"] is None or not parse_p50_ms else latency["p50_ms"] / parse_p50_ms
    misaligned = f", {check['misaligned']} intakes misaligned" if check["misaligned"] else ""
    return [
        str(run["callers"]), run["channel"], str(latency["count"]), _number(run["turns_per_s"], 1),
        _number(latency["p50_ms"]), _number(latency["p95_ms"]), _number(latency["p99_ms"]),
        _number(parse_p50_ms, 1), "–" if ratio is None else f"{ratio:.1f}x", _errors(run["errors"]),
        str(check["lost"]), str(check["duplicated"]), str(check["stray"]),
        f"{check['turns']} in {check['intakes']} intakes{misaligned}",
        f"{run['intakes']['complete']} ({run['intakes']['passed']})",
    ]


def resource_rows(runs: list[dict[str, Any]]) -> list[str]:
    names = sorted({name for run in runs for name in run.get("processes", {})}, key=_process_order)
    if not names:
        return []
    header = ["callers", "channel"] + [f"{name} {what}" for name in names for what in ("CPU s", "peak RSS MB")]
    lines = [_row(header), _row(["---"] * len(header))]
    for run in runs:
        cells = [str(run["callers"]), run["channel"]]
        for name in names:
            process = run.get("processes", {}).get(name)
            cells += ["–", "–"] if process is None else [
                _number(process["cpu_s"], 1), _number(process["peak_rss_bytes"] / 2**20)]
        lines.append(_row(cells))
    return lines


def _process_order(name: str):
    return (["rasa", "actions", "bench client"] + [name]).index(name), name


def render(result: dict[str, Any]) -> str:
    """The block's Markdown (without the markers)."""
    facts, floor = result["machine"], result.get("parse_floor") or {}
    parse_p50 = floor.get("p50_ms")
    lines = []
    if result.get("label"):
        lines += [f"**{result['label']}**", ""]
    lines += [
        f"- machine: {facts['nproc']} CPUs (nproc), {facts['cpu']}",
        f"- date: {facts['date']}; commit: {facts['commit']}",
        f"- assistant: {result['assistant']}",
        f"- each row: {result['duration']}; socket.io over {result['socketio_transport']}",
        f"- parse-only floor (`POST /model/parse`, one message at a time, idle, the messages the callers sent): "
        f"p50 {_number(parse_p50, 1)} ms, p95 {_number(floor.get('p95_ms'), 1)} ms "
        f"over {floor.get('count', 0)} messages"
        + (f", {floor['errors']} errors" if floor.get("errors") else ""),
        "",
        _row(COLUMNS),
        _row(["---"] * len(COLUMNS)),
        *(_row(run_row(run, parse_p50)) for run in result["runs"]),
    ]
    resources = resource_rows(result["runs"])
    if resources:
        lines += [
            "",
            "CPU seconds used during the row and peak resident memory (sampled every "
            f"{result.get('sample_interval_s', 0.25)} s) per process: the assistant's with their "
            "children, the bench client's own process alone:",
            "",
            *resources,
        ]
    return "\n".join(lines)


def replace_section(document: str, deployment: str, body: str, title: str | None = None) -> str:
    """``document`` with the deployment's block replaced by ``body`` (or added at the end under
    ``title``)."""
    begin, end = markers(deployment)
    block = f"{begin}\n{body.strip()}\n{end}"
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.DOTALL)
    if pattern.search(document):
        return pattern.sub(lambda _: block, document, count=1)
    heading = f"## {title or deployment}\n\n"
    return document.rstrip("\n") + f"\n\n{heading}{block}\n"
