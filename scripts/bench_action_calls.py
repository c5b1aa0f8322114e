#!/usr/bin/env python3
"""CPU per call to the action server, Rasa's way against the project's (issue 18). A tool, not a test.

Starts the real action server (`python -m actions.server`, with tests/raising_actions.py's
``action_that_works``, which only says "ok", so that what is measured is the call, not an
action), then makes the same call, with the project's domain and a tracker of TURNS turns,
CALLS times in a row through each way of calling, round after round in turn:

- ``rasa``: Rasa 3.6's ``EndpointConfig.request``: the domain in every call, a new session
  (and TCP connection) per call;
- ``domain once, session per call``: ``DomainOnceEndpoint`` closing its session after each call;
- ``domain once, kept alive``: ``DomainOnceEndpoint`` as installed (intake_dialogue/domain_once.py);
- ``kept alive, domain every call``: ``KeptAliveEndpoint`` with Rasa's call (the session alone);
- ``domain once, kept alive, ujson``: as installed, the body written by ujson instead of json
  (issue 18 asked whether that is worth it: docs/action-calls.md; not adopted).

Prints per way the median over the rounds of: Rasa's CPU (this process, user + system) and the
action server's CPU (psutil) per call, and the wall time per call. CPU time is what the ways
cost; wall time on a shared machine is noise.

    .venv/bin/python scripts/bench_action_calls.py [--calls 200] [--rounds 5] [--turns 15]
"""
from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(PROJECT_ROOT), str(PROJECT_ROOT / "tests")]


def tracker_of(domain: Any, turns: int) -> Any:
    """A conversation of ``turns`` caller turns, shaped like an intake's: a message with its
    parse (intent ranking, an entity), the actions, a slot or two and the bot's question."""
    from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    intents = [f"intent_{n}" for n in range(10)]
    tracker = DialogueStateTracker("bench-sender", domain.slots)
    for turn in range(turns):
        text = f"第{turn}次：公司拖欠我三个月工资，一共两万四千元，老板说下个月再给"
        parse = {"text": text, "intent": {"name": intents[0], "confidence": 0.91},
                 "intent_ranking": [{"name": name, "confidence": 0.09 / 9} for name in intents],
                 "entities": [{"entity": "amount", "value": "24000", "start": 12, "end": 16,
                               "extractor": "RegexEntityExtractor"}]}
        tracker.update(ActionExecuted("action_listen"))
        tracker.update(UserUttered(text, parse["intent"], parse["entities"], parse))
        tracker.update(ActionExecuted("action_validate_slot_mappings"))
        tracker.update(SlotSet("requested_slot", f"question_{turn}"))
        tracker.update(BotUttered(f"请问第{turn}个问题：您和公司签订劳动合同了吗？签订的时间是哪一年？" * 2,
                                  metadata={"utter_action": f"utter_ask_question_{turn}"}))
    return tracker


def ujson_endpoint(url: str, headers: dict[str, str]) -> Any:
    """A DomainOnceEndpoint whose body is written by ujson (Sanic's parser), not json."""
    import ujson

    from intake_dialogue.domain_once import DomainOnceEndpoint

    class UjsonEndpoint(DomainOnceEndpoint):
        async def send(self, *args: Any, **kwargs: Any) -> Any:
            if "json" in kwargs:
                body = kwargs.pop("json")
                kwargs["data"] = ujson.dumps(body, ensure_ascii=False, escape_forward_slashes=False).encode()
            return await super().send(*args, **kwargs)

    return UjsonEndpoint(url, headers=headers)


async def calls(endpoint: Any, body: dict, count: int, close_each: bool) -> None:
    from rasa.core.constants import DEFAULT_REQUEST_TIMEOUT

    for _ in range(count):
        answer = await endpoint.request(json=body, method="post", timeout=DEFAULT_REQUEST_TIMEOUT)
        assert answer and answer["responses"][0]["text"] == "ok", answer
        if close_each:
            await endpoint.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200, help="calls per way per round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--turns", type=int, default=15, help="caller turns in the tracker sent")
    args = parser.parse_args()

    import json

    import psutil
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.domain import Domain
    from rasa.utils.endpoints import EndpointConfig

    from action_server_process import ActionServerProcess
    from intake_dialogue import domain_once
    from intake_dialogue.domain_once import DomainOnceEndpoint
    from intake_dialogue.kept_alive_endpoint import KeptAliveEndpoint

    domain = Domain.load(str(PROJECT_ROOT / "domain"))
    tracker = tracker_of(domain, args.turns)
    with tempfile.TemporaryDirectory(prefix="bench-calls-") as workdir:
        server = ActionServerProcess(Path(workdir), "raising_actions").start()
        try:
            url = f"{server.url}/webhook"
            action = RemoteAction("action_that_works", None)
            rasas_call = domain_once._rasa_action_call_format(action, tracker, domain)
            ours_call = domain_once.action_call_format(action, tracker, domain)
            print(f"The call: domain {len(json.dumps(rasas_call['domain'])):,} bytes of JSON, tracker "
                  f"{len(json.dumps(rasas_call['tracker'])):,} bytes ({args.turns} turns, "
                  f"{len(rasas_call['tracker']['events'])} events).")
            ways = {
                "rasa": (EndpointConfig(url, headers=server.headers), rasas_call, False),
                "domain once, session per call": (DomainOnceEndpoint(url, headers=server.headers), ours_call, True),
                "domain once, kept alive": (DomainOnceEndpoint(url, headers=server.headers), ours_call, False),
                "kept alive, domain every call": (KeptAliveEndpoint(url, headers=server.headers), rasas_call, False),
                "domain once, kept alive, ujson": (ujson_endpoint(url, server.headers), ours_call, False),
            }
            action_server = psutil.Process(server.process.pid)
            figures: dict[str, list[tuple[float, float, float]]] = {name: [] for name in ways}

            async def measure() -> None:
                for endpoint, body, close_each in ways.values():  # warm-up: the domain sent, connections made
                    await calls(endpoint, body, 5, close_each)
                for _round in range(args.rounds):
                    for name, (endpoint, body, close_each) in ways.items():
                        server_before = sum(action_server.cpu_times()[:2])
                        cpu_before, wall_before = time.process_time(), time.perf_counter()
                        await calls(endpoint, body, args.calls, close_each)
                        cpu, wall = time.process_time() - cpu_before, time.perf_counter() - wall_before
                        server_cpu = sum(action_server.cpu_times()[:2]) - server_before
                        figures[name].append(tuple(1000 * value / args.calls for value in (cpu, server_cpu, wall)))
                for endpoint, _body, _close in ways.values():
                    if isinstance(endpoint, KeptAliveEndpoint):
                        await endpoint.close()

            asyncio.run(measure())
        finally:
            server.stop()
    print(f"\n{args.calls} calls per way per round, {args.rounds} rounds; medians over the rounds.\n")
    print("| way | Rasa CPU ms per call | action server CPU ms per call | wall ms per call |")
    print("| --- | ---: | ---: | ---: |")
    for name, rows in figures.items():
        rasa_cpu, server_cpu, wall = (statistics.median(row[i] for row in rows) for i in range(3))
        print(f"| {name} | {rasa_cpu:.2f} | {server_cpu:.2f} | {wall:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
