"""An action package for tests/test_action_server.py: one action whose dependency fails
with the caller's words in its message, as a parser or a SQL error does (the year out of
range in "干了一亿个月", SQLAlchemy's "[parameters: ...]")."""
from __future__ import annotations

from rasa_sdk import Action


class ActionThatBreaks(Action):
    def name(self) -> str:
        return "action_that_breaks"

    async def run(self, dispatcher, tracker, domain):
        words = tracker.latest_message.get("text", "")
        raise ValueError(f"cannot read {words!r}")


class ActionThatWorks(Action):
    def name(self) -> str:
        return "action_that_works"

    async def run(self, dispatcher, tracker, domain):
        dispatcher.utter_message(text="ok")
        return []
