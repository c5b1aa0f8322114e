"""Reading the conversations' trackers through Rasa's HTTP API after a row."""
from __future__ import annotations

import urllib.parse
from typing import Any, Dict, Iterable, Optional

import requests


def read_trackers(api_url: str, token: str, conversation_ids: Iterable[str],
                  timeout: float = 60) -> Dict[str, Optional[Dict[str, Any]]]:
    """Each conversation's tracker with all its events (None when it could not be read)."""
    session = requests.Session()
    trackers: Dict[str, Optional[Dict[str, Any]]] = {}
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
