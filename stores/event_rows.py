"""Rasa events as rows of the ``events`` table and back, as Rasa 3.6's ``SQLTrackerStore`` does
it, with the work per event that does not depend on the event done once per read (issue 18).

- ``row``: the columns Rasa writes for an event (``data`` still clear JSON: the column's type,
  ``EventData`` in stores/tracker.py, encrypts it on the way in).
- ``event_dicts``: stored ``data`` values to event dictionaries: Fernet tokens decrypted with the
  keys looked up once per read, legacy plain JSON as it is.
- ``events``: event dictionaries to events, as ``rasa.shared.core.events.deserialise_events``
  does. Rasa finds each event's class by walking every subclass of ``Event`` and asking
  ``inspect.isabstract`` of each, once per event: measured the larger part of rebuilding a
  tracker. Here the walk is made once per read (no class is defined in the middle of one), so
  the class found for a type name is the one Rasa would find.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from typing import Any

from rasa.shared.core.events import Event
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from rasa.shared.utils.common import all_subclasses

from intake_core.persistence.encryption import decryptor

logger = logging.getLogger(__name__)

# A Fernet token is url-safe base64 of a version byte 0x80 and always starts so; Rasa's JSON
# starts with "{". Events written before this store (plain JSON) are still read, never
# returned for a token that fails: `python -m stores.rotate` encrypts them in place.
LEGACY_PLAIN_PREFIX = "{"


def row(sender_id: str, event: Event) -> dict[str, Any]:
    """The row Rasa 3.6's ``SQLTrackerStore.save`` writes for ``event``."""
    data = event.as_dict()
    return {
        "sender_id": sender_id,
        "type_name": event.type_name,
        "timestamp": data.get("timestamp"),
        "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
        "action_name": data.get("name"),
        "data": json.dumps(data),
    }


def event_dicts(stored: Iterable[str]) -> list[dict[str, Any]]:
    """The events' dictionaries from their stored ``data`` values, in order."""
    decrypt = decryptor()
    return [json.loads(value if value.startswith(LEGACY_PLAIN_PREFIX) else decrypt(value)) for value in stored]


def _classes_by_type_name() -> dict[str, type[Event]]:
    """What ``Event.resolve_by_type`` would answer for each type name now: the first class in
    ``all_subclasses(Event)``'s order with that ``type_name``."""
    classes: dict[str, type[Event]] = {}
    for event_class in all_subclasses(Event):
        classes.setdefault(event_class.type_name, event_class)
    return classes


def events(dicts: Iterable[dict[str, Any]]) -> list[Event]:
    """``rasa.shared.core.events.deserialise_events(dicts)``, the classes looked up once."""
    classes = _classes_by_type_name()
    found = []
    for parameters in dicts:
        if "event" not in parameters:
            continue
        name = parameters["event"]
        event_class = classes.get(name) if isinstance(name, str) else None
        # A type name no class has (None, "topic", unknown): Rasa's own answer (None, or its error).
        event = event_class._from_parameters(parameters) if event_class else Event.from_parameters(parameters)
        if event:
            found.append(event)
        else:  # what Rasa logs, without the event (it may hold the caller's words)
            logger.warning("An event could not be deserialised and was left out.")
    return found
