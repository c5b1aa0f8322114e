"""Reading the conversations' trackers through Rasa's HTTP API after a row."""
from __future__ import annotations

import urllib.parse
from collections.abc import Iterable
from typing import Any

import requests


def read_trackers(api_url: str, token: str, conversation_ids: Iterable[str],
                  timeout: float = 60) -> dict[str, dict[str, Any] | None]:
    """Each conversation's tracker with all its events (None when it could not be read)."""
    session = requests.Session()
    trackers: dict[str, dict[str, Any] | None] = {}
    for conversation_id in conversation_ids:
        if not conversation_id or conversation_id in trackers:
            continue
        try:
            response = session.get(
                f"{api_url.rstrip('/')}/conversations/{urllib.parse.quote(conversation_id, safe=':')}/tracker",
                params={"token": token, "include_events": "ALL"}, timeout=timeout)
            response.raise_for_status()
            trackers[conversation_id] = response.json()
        except (requests.RequestException, ValueError):
            trackers[conversation_id] = None
    return trackers
