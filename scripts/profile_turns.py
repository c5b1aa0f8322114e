#!/usr/bin/env python3
"""`make profile`: where one caller's turn spends its time (issue 18). A tool, not a test.

Starts a fresh assistant as `make bench` does, plays one warm-up intake, then attaches py-spy
to `rasa run` and the action server and plays INTAKES whole intakes, one caller, one message
at a time over REST (tests/callers personas in turn). Prints, per process, the CPU time per turn
split by part (bench/profile.py) beside the turn's wall time, as a markdown table for
docs/performance.md. No conversation text is written anywhere; py-spy's stacks hold code only.

    .venv/bin/python scripts/profile_turns.py [--intakes 8] [--rate 200]
"""
from __future__ import annotations

import argparse
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(PROJECT_ROOT), str(PROJECT_ROOT / "tests")]

import psutil  # noqa: E402

from bench.profile import Breakdown, breakdown  # noqa: E402
from bench.resources import cpu_seconds  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--intakes", type=int, default=8, help="measured intakes (after one warm-up)")
    parser.add_argument("--rate", type=int, default=200, help="py-spy samples per second")
    parser.add_argument("--keep", type=Path, help="copy py-spy's raw stacks (code only) into this folder")
    args = parser.parse_args()
    py_spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if not Path(py_spy).exists():
        print("make profile needs py-spy (requirements.txt installs it).", file=sys.stderr)
        return 2

    import assistant_server
    from assistant_server import MODEL, start_assistant
    from callers.simulate import converse, load_personas

    assistant_server.STARTUP_TIMEOUT_S = max(assistant_server.STARTUP_TIMEOUT_S, 600)
    if not MODEL.exists():
        print(f"No trained model at {MODEL}; run `make model` first.", file=sys.stderr)
        return 2
    personas = load_personas()
    with tempfile.TemporaryDirectory(prefix="profile-") as workdir:
        assistant = start_assistant(Path(workdir))
        try:
            actions, rasa = assistant.processes
            pids = {"rasa": rasa.pid, "actions": actions.pid}
            latencies: list[float] = []

            def say(sender: str, text: str):
                started = time.perf_counter()
                replies = assistant.send(sender, text, timeout=60)
                latencies.append(time.perf_counter() - started)
                return replies

            converse(personas[0], say, lambda sender: {})  # warm-up, not measured
            latencies.clear()
            outputs = {name: Path(workdir) / f"{name}.txt" for name in pids}
            spies = [
                subprocess.Popen([py_spy, "record", "--pid", str(pid), "--rate", str(args.rate), "--format", "raw",
                                  "--nonblocking", "--output", str(outputs[name])],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                for name, pid in pids.items()
            ]
            before = {name: cpu_seconds(psutil.Process(pid)) for name, pid in pids.items()}
            wall_started = time.perf_counter()
            for index in range(args.intakes):
                converse(personas[(index + 1) % len(personas)], say, lambda sender: {})
            wall = time.perf_counter() - wall_started
            cpu = {name: cpu_seconds(psutil.Process(pid)) - before[name] for name, pid in pids.items()}
            for spy in spies:
                spy.send_signal(signal.SIGINT)  # py-spy writes its output on SIGINT
            for spy in spies:
                spy.wait(timeout=60)
            parts = {name: breakdown(outputs[name].read_text(encoding="utf-8").splitlines()) for name in pids}
            if args.keep:
                args.keep.mkdir(parents=True, exist_ok=True)
                for path in outputs.values():
                    shutil.copy(path, args.keep / path.name)
        finally:
            assistant.stop()
    print(report(latencies, wall, cpu, parts))
    return 0


def report(latencies: list[float], wall: float, cpu: dict[str, float], parts: dict[str, Breakdown]) -> str:
    turns = len(latencies)
    ms = sorted(1000 * latency for latency in latencies)
    lines = [
        f"{turns} turns in {wall:.1f} s, one caller; turn wall time p50 {statistics.median(ms):.1f} ms, "
        f"mean {statistics.fmean(ms):.1f} ms.",
        "",
        "| process | part | CPU ms per turn | share of the process |",
        "| --- | --- | ---: | ---: |",
    ]
    for name, found in parts.items():
        per_turn = 1000 * cpu[name] / turns
        lines.append(f"| {name} | **all** ({found.samples} running samples, {found.idle} waiting) "
                     f"| **{per_turn:.1f}** | 100% |")
        for part, _samples, share in found.rows():
            lines.append(f"| {name} | {part} | {share * per_turn:.1f} | {share:.0%} |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
