"""Reading the conversation from a tracker."""
from __future__ import annotations

from rasa_sdk import Tracker


def latest_user_text(tracker: Tracker) -> str:
    """The caller's last message exactly as written.

    ``tracker.latest_message["text"]`` is the NLU's normalised form (simplified,
    half-width); the record a lawyer reads keeps the caller's own words.
    """
    for event in reversed(tracker.events or []):
        if event.get("event") == "user":
            return event.get("text") or ""
    return (tracker.latest_message or {}).get("text") or ""


def user_texts(tracker: Tracker) -> list[str]:
    """Everything the caller wrote in this conversation, oldest first."""
    return [e.get("text") or "" for e in tracker.events or [] if e.get("event") == "user"]
