"""The console's side of Rasa's HTTP API (protected by RASA_AUTH_TOKEN).

A lawyer's reply is a ``bot`` event appended with ``execute_side_effects=true``
and ``output_channel`` set to the channel the conversation lives on, read from its
id (``wechat:``, ``wecom:``, ``web:``; intake_core/namespaces.py), never ``latest``:
the latest input channel is whatever the last message claimed, so a REST client
could move a WeChat caller's conversation to ``rest`` (the lawyer's replies then
reach nobody) or a REST conversation to ``wechat`` (issue 15, H1). A REST
conversation has no push channel: Rasa collects the reply (it is in the tracker
and the console's transcript, as before). Its metadata says who wrote it.
Hand-back and the overdue update are ``EXTERNAL_*`` intents triggered the same
way, so the assistant's own rules and actions answer (and the sentences stay in
the domain).
"""
from __future__ import annotations

import time
from functools import lru_cache
from typing import Any
from urllib.parse import quote

import requests

from intake_core.domain_files import load_domain
from intake_core.namespaces import channel_of
from intake_dialogue.external import event_from_http_api

TIMEOUT_SECONDS = 15


class RasaUnavailable(RuntimeError):
    """The Rasa server did not accept the request (down, wrong token, error)."""


@lru_cache(maxsize=1)
def _domain_responses() -> dict[str, Any]:
    return load_domain()["responses"]


def response_text(name: str, **values: Any) -> str:
    """A domain response's (first) text with its {placeholders} filled (the domain read once)."""
    return _domain_responses()[name][0]["text"].format(**values)


class RasaClient:
    def __init__(self, url: str, token: str | None):
        self.url = url.rstrip("/")
        self.token = token

    def _request(self, method: str, path: str, params: dict[str, str] | None = None, **kwargs) -> Any:
        params = dict(params or {})
        if self.token:
            params["token"] = self.token
        try:
            response = requests.request(method, f"{self.url}{path}", params=params, timeout=TIMEOUT_SECONDS, **kwargs)
        except requests.RequestException as error:
            raise RasaUnavailable(type(error).__name__) from error
        if not response.ok:
            raise RasaUnavailable(f"HTTP {response.status_code}")
        return response.json() if response.content else None

    @staticmethod
    def _conversation(conversation_id: str) -> str:
        return f"/conversations/{quote(conversation_id, safe='')}"

    def tracker(self, conversation_id: str) -> dict[str, Any]:
        return self._request("GET", f"{self._conversation(conversation_id)}/tracker")

    def say(self, conversation_id: str, text: str, author: str, author_name: str | None = None,
            response: str | None = None) -> None:
        """Deliver ``text`` into the caller's conversation, live, as ``author``. ``response`` names
        the domain response the text was filled from, under the key Rasa itself uses
        (``utter_action``), so the tracker says which message it was, whatever its wording."""
        metadata: dict[str, Any] = {"author": author, "author_name": author_name}
        if response:
            metadata["utter_action"] = response
        event = {"event": "bot", "text": text, "timestamp": time.time(), "metadata": metadata}
        self._request("POST", f"{self._conversation(conversation_id)}/tracker/events",
                      params={"output_channel": channel_of(conversation_id), "execute_side_effects": "true"},
                      json=[event])

    def trigger(self, conversation_id: str, intent: str) -> list[dict[str, Any]]:
        """Run an ``EXTERNAL_*`` intent in the conversation; the bot's messages go out live."""
        result = self._request("POST", f"{self._conversation(conversation_id)}/trigger_intent",
                               params={"output_channel": channel_of(conversation_id)},
                               json={"name": intent, "entities": {}})
        return (result or {}).get("messages", [])


def transcript_from_tracker(tracker: dict[str, Any]) -> list[dict[str, Any]]:
    """Who said what: caller, assistant or lawyer (by the event's metadata)."""
    lines = []
    for event in tracker.get("events", []):
        if event.get("event") not in ("user", "bot") or not (event.get("text") or "").strip():
            continue
        if event["event"] == "user":
            # Hand-back etc., sent by the console through the HTTP API. A caller's message that
            # only starts with "EXTERNAL: " is shown (review L3).
            if event_from_http_api(event):
                continue
            author, name = "caller", None
        else:
            metadata = event.get("metadata") or {}
            author, name = metadata.get("author", "assistant"), metadata.get("author_name")
        lines.append({"author": author, "author_name": name, "text": event["text"], "at": event.get("timestamp")})
    return lines
