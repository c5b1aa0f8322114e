"""The parse-only floor: `POST /model/parse` with the HTTP API's token, one message at a time,
nothing else running, on the messages the callers sent (NLU alone: no tracker, no policies, no
actions). The client is the same `requests` session kind as the REST callers', so the ratio
compares like with like."""
from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import requests

from bench.stats import latency_summary


def sample_evenly(messages: Sequence[str], count: int) -> list[str]:
    """At most ``count`` of ``messages``, spread evenly over the sequence, in order."""
    if count <= 0:
        return []
    if len(messages) <= count:
        return list(messages)
    step = len(messages) / count
    return [messages[int(index * step)] for index in range(count)]


def measure(api_url: str, token: str, messages: Sequence[str], timeout: float = 30) -> dict[str, Any]:
    session = requests.Session()
    seconds: list[float] = []
    failures = 0
    for message in messages:
        started = time.perf_counter()
        try:
            response = session.post(f"{api_url.rstrip('/')}/model/parse", params={"token": token},
                                    json={"text": message}, timeout=timeout)
            response.raise_for_status()
        except requests.RequestException:
            failures += 1
            continue
        seconds.append(time.perf_counter() - started)
    return {**latency_summary(seconds), "errors": failures}
