"""An action package for tests/test_domain_once.py: an action that answers with the domain it
was given, so a test sees exactly what an action receives (through the digest or not)."""
from __future__ import annotations

from rasa_sdk import Action


class ActionEchoDomain(Action):
    def name(self) -> str:
        return "action_echo_domain"

    async def run(self, dispatcher, tracker, domain):
        dispatcher.utter_message(json_message={"domain": domain})
        return []
