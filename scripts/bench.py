#!/usr/bin/env python3
"""`make bench`: simulated callers through complete intakes over REST and socket.io, at several
concurrencies, against the parse-only floor of the same run (issue 18). A tool, not a test.

Without --url it starts the assistant as `make simulate` does (tests/assistant_server.py: the
action server and `rasa run` on free ports, embedded SQLite in a temporary directory, the
trained model) and watches both processes' CPU and memory. With --url it drives a deployment
already running there (e.g. a proxy in front of two replicas); --api-url is where Rasa's HTTP
API answers if the proxy does not expose it, --pid NAME=PID names processes to watch.

Order: one warm-up intake per channel (not counted); then per number of callers, per channel,
one row (see bench/load.py), its trackers read afterwards to judge the intakes and check the
replies (bench/reconcile.py); then the parse-only floor on the messages the callers sent.
Writes the deployment's block of docs/benchmark.md and var/results/bench-<deployment>.json
(figures only: no conversation text is written anywhere), and prints the block.

Settings (options win over the environment): BENCH_CALLERS="1 20 50", BENCH_SECONDS=60 per row
or BENCH_INTAKES=<complete intakes per caller>, BENCH_CHANNELS="rest socketio", BENCH_LABEL (a
line above the table, e.g. that it is a trial). The HTTP API token is $RASA_AUTH_TOKEN if set,
else a new one for the assistant started here; it is never printed or put on a command line.
"""
from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(PROJECT_ROOT), str(PROJECT_ROOT / "tests")]

from bench import parse_floor, report  # noqa: E402
from bench.channels import SocketIOChannel, channel_named, channel_names  # noqa: E402
from bench.load import Row, play_intake, run_row  # noqa: E402
from bench.machine import machine_facts  # noqa: E402
from bench.resources import ProcessWatch  # noqa: E402
from bench.summary import summarise  # noqa: E402
from bench.trackers import read_trackers  # noqa: E402
from intake_core import config  # noqa: E402

TURN_TIMEOUT_S = 30
PARSE_MESSAGES = 300
SAMPLE_INTERVAL_S = 0.25
DOC = PROJECT_ROOT / "docs" / "benchmark.md"
CLIENT = "bench client"  # this process: the callers' threads and the socket.io client's event loop


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    env = os.environ.get
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="drive the deployment running there instead of starting one")
    parser.add_argument("--api-url", help="Rasa's HTTP API, if not at --url (parse floor, trackers)")
    parser.add_argument("--pid", action="append", default=[], metavar="NAME=PID",
                        help="with --url: a process to watch (rasa=1234); repeatable")
    parser.add_argument("--replicas", type=int, default=int(env("BENCH_REPLICAS") or 1),
                        help="start this many Rasa replicas and one action server on PostgreSQL and "
                        "Redis behind a round-robin proxy (tests/replicas.py) instead of one assistant")
    parser.add_argument("--deployment", help="the block of docs/benchmark.md to write "
                        "(default: one-replica when started here, external with --url)")
    parser.add_argument("--callers", default=env("BENCH_CALLERS", "1 20 50"), help='numbers of callers, "1 20 50"')
    parser.add_argument("--channels", default=env("BENCH_CHANNELS", "rest socketio"), help='"rest socketio"')
    length = parser.add_mutually_exclusive_group()
    length.add_argument("--seconds", type=float, default=None, help="per row (default 60)")
    length.add_argument("--intakes", type=int, default=None, help="complete intakes per caller per row")
    parser.add_argument("--parse-messages", type=int, default=PARSE_MESSAGES,
                        help="how many of the callers' messages the parse-only floor takes")
    parser.add_argument("--label", default=env("BENCH_LABEL", ""), help="a line above the table")
    parser.add_argument("--doc", type=Path, default=DOC, help="the document whose block is written")
    parser.add_argument("--no-doc", action="store_true", help="print the block, do not write the document")
    args = parser.parse_args(argv)
    if args.seconds is None and args.intakes is None:
        if env("BENCH_INTAKES"):
            args.intakes = int(env("BENCH_INTAKES"))
        else:
            args.seconds = float(env("BENCH_SECONDS") or 60)
    args.callers = [int(n) for n in args.callers.replace(",", " ").split()]
    args.channels = channel_names(args.channels)
    for name in args.channels:
        if name not in ("rest", "socketio"):
            parser.error(f"unknown channel {name!r} (rest, socketio)")
    if not args.callers or min(args.callers) < 1 or not args.channels:
        parser.error("give at least one number of callers (each at least 1) and one channel")
    if args.pid and not args.url:
        parser.error("--pid is for --url; the assistant started here is watched anyway")
    if args.replicas < 1 or (args.replicas > 1 and args.url):
        parser.error("--replicas is 1 or more, and not with --url (that deployment is already running)")
    if args.replicas > 1 and "socketio" in args.channels:
        # socket.io's long-polling needs every request of a session on one replica: nginx's
        # upstream does that (deploy/nginx.conf), the test proxy alternates requests (REST only).
        parser.error("with --replicas the channel is rest: BENCH_CHANNELS=rest")
    args.deployment = args.deployment or default_deployment(args.url, args.replicas)
    try:
        report.markers(args.deployment)  # a bad name fails now, not after the run
    except ValueError as error:
        parser.error(str(error))
    return args


def default_deployment(url: str | None, replicas: int) -> str:
    """The block of docs/benchmark.md a run writes unless told: two-replicas for the scale-out."""
    if url:
        return "external"
    return {1: "one-replica", 2: "two-replicas"}.get(replicas, f"{replicas}-replicas")


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def bench(args: argparse.Namespace, url: str, api_url: str, token: str, pids: dict[str, int],
          assistant: str) -> dict[str, Any]:
    from callers.simulate import converse, judge, load_personas

    personas = load_personas()
    by_name = {persona["name"]: persona for persona in personas}
    channels = {name: channel_named(name, url, TURN_TIMEOUT_S) for name in args.channels}
    rows: list[dict[str, Any]] = []
    sent: list[str] = []
    try:
        for name, channel in channels.items():
            warm_up = play_intake(channel, personas[0], converse, Row(name, 1, time.monotonic()), None)
            failed = [turn.error for turn in warm_up.turns if turn.error] + [warm_up.connect_error or ""]
            progress(f"warm-up over {name}: {warm_up.outcome}, {len(warm_up.turns)} turns {' '.join(failed)}".rstrip())
        for callers in args.callers:
            for name, channel in channels.items():
                progress(f"{callers} caller(s) over {name} ...")
                with ProcessWatch({**pids, CLIENT: os.getpid()}, SAMPLE_INTERVAL_S, alone=[CLIENT]) as watch:
                    row = run_row(channel, personas, callers, converse, seconds=args.seconds,
                                  intakes_per_caller=args.intakes)
                trackers = read_trackers(api_url, token, [intake.conversation_id for intake in row.intakes])
                summary = {**summarise(row, trackers, by_name, judge), "processes": watch.figures()}
                rows.append(summary)
                sent += row.sent
                latency = summary["latency"]
                progress(f"  {latency['count']} turns, p50 {latency['p50_ms'] or 0:.0f} ms, "
                         f"p95 {latency['p95_ms'] or 0:.0f} ms, errors {sum(summary['errors'].values())}, "
                         f"lost {summary['reconciliation']['lost']}, "
                         f"duplicated {summary['reconciliation']['duplicated']}")
    finally:
        for channel in channels.values():
            channel.close()
    progress("parse-only floor ...")
    floor = parse_floor.measure(api_url, token, parse_floor.sample_evenly(sent, args.parse_messages))
    return {
        "label": args.label,
        "machine": machine_facts(PROJECT_ROOT),
        "assistant": assistant,
        "duration": (
            f"{args.seconds:g} s of callers"
            if args.seconds is not None
            else f"{args.intakes} complete intake(s) per caller"
        ),
        "socketio_transport": SocketIOChannel.transport,
        "sample_interval_s": SAMPLE_INTERVAL_S,
        "parse_floor": floor,
        "runs": rows,
    }


def write(args: argparse.Namespace, result: dict[str, Any]) -> None:
    body = report.render(result)
    print(body)
    results = PROJECT_ROOT / "var" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / f"bench-{args.deployment}.json").write_text(json.dumps(result, indent=1, ensure_ascii=False))
    if not args.no_doc:
        document = args.doc.read_text(encoding="utf-8") if args.doc.exists() else "# Benchmark\n"
        args.doc.write_text(report.replace_section(document, args.deployment, body), encoding="utf-8")
        progress(f"wrote the {args.deployment} block of {args.doc}")


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    token = config.rasa_auth_token() or secrets.token_urlsafe(24)
    if args.url:
        pids = {}
        for item in args.pid:
            name, _, pid = item.partition("=")
            pids[name] = int(pid)
        result = bench(args, args.url, args.api_url or args.url, token, pids, f"already running ({args.deployment})")
        write(args, result)
        return 0

    import assistant_server
    from assistant_server import MODEL, start_assistant

    # Loading the model takes about a minute on an idle machine and can pass the tests' three
    # minutes on a busy one; a benchmark that gives up there measures nothing at all.
    assistant_server.STARTUP_TIMEOUT_S = max(assistant_server.STARTUP_TIMEOUT_S, 600)

    if not MODEL.exists():
        progress(f"make bench: no trained model at {MODEL}; run `make model` first.")
        return 2
    if args.replicas > 1:
        return bench_replicas(args)
    with tempfile.TemporaryDirectory(prefix="bench-") as workdir:
        progress("Starting a fresh assistant ...")
        assistant = start_assistant(Path(workdir), token=token)
        try:
            actions, rasa = assistant.processes  # start_assistant starts the action server first
            result = bench(
                args,
                assistant.url,
                assistant.url,
                token,
                {"rasa": rasa.pid, "actions": actions.pid},
                "started by `make bench` (tests/assistant_server.py: `rasa run` + action server, "
                "embedded SQLite, models/intake.tar.gz)",
            )
        finally:
            assistant.stop()
    write(args, result)
    return 0


def bench_replicas(args: argparse.Namespace) -> int:
    """The scale-out row: replicas on the production profile's shared stores (new PostgreSQL
    databases and a Redis database of their own, dropped afterwards), as tests/test_replicas.py
    starts them. The round-robin proxy runs in this process, so its CPU is the bench client's."""
    from replicas import start_replicas

    with tempfile.TemporaryDirectory(prefix="bench-replicas-") as workdir:
        progress(f"Starting {args.replicas} Rasa replicas, an action server and the proxy ...")
        deployment = start_replicas(Path(workdir), count=args.replicas, prefix=f"intake_bench_{os.getpid()}")
        try:
            pids = {f"rasa-{index + 1}": replica.process.pid for index, replica in enumerate(deployment.replicas)}
            pids["actions"] = deployment.actions.pid
            result = bench(
                args,
                deployment.url,
                deployment.url,
                deployment.token,
                pids,
                f"{args.replicas} Rasa replicas and one action server on PostgreSQL and Redis "
                "(endpoints.production.yml) behind tests/round_robin_proxy.py, started by "
                "`make bench BENCH_REPLICAS=2`",
            )
        finally:
            deployment.stop()
    write(args, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
