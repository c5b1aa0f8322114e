"""Whether a user event came from Rasa's HTTP API (``/conversations/<id>/trigger_intent``)
rather than from a caller.

Rasa's trigger_intent adds ``UserUttered.create_external(intent)``: the text
``"EXTERNAL: <intent>"`` and the metadata ``{"is_external": True}``. Its input_channel is NOT
None: Rasa copies the conversation's latest input channel onto it
(``MessageProcessor.trigger_external_user_uttered``, rasa 3.6.21), so the channel cannot tell
the two apart. The metadata can: no caller channel passes ``is_external`` on (REST ignores
client metadata, the caller gate removes the key from the others). The text must match as
well, so a caller's message that merely starts with "EXTERNAL: " is a caller's message.

No Rasa import: the console (console/rasa_api.py) uses this on the tracker's JSON too.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Optional

EXTERNAL_MESSAGE_PREFIX = "EXTERNAL: "  # rasa.shared.core.constants.EXTERNAL_MESSAGE_PREFIX
IS_EXTERNAL = "is_external"             # rasa.shared.core.constants.IS_EXTERNAL


def from_http_api(text: Optional[str], intent: Optional[str], metadata: Optional[Mapping[str, Any]]) -> bool:
    """True for the user event of an intent triggered through Rasa's HTTP API."""
    return (
        bool(intent)
        and isinstance(metadata, Mapping)
        and metadata.get(IS_EXTERNAL) is True
        and text == f"{EXTERNAL_MESSAGE_PREFIX}{intent}"
    )


def event_from_http_api(event: Mapping[str, Any]) -> bool:
    """``from_http_api`` for a user event in a tracker's JSON."""
    intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
    return from_http_api(event.get("text"), intent, event.get("metadata"))
