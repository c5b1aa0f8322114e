"""A deletion done by staff (the caller asked by phone or letter): the app database as in
the chat, and every tracker event of the conversation at once (no turn of the caller's
is running then; if one is, its events written after this are the next conversation's)."""

from __future__ import annotations

from intake_core.persistence.database import session_scope
from intake_core.rights import erasure, tracker_events


def erase_everywhere(conversation_id: str, tracker_url: str | None = None) -> erasure.Erased:
    if conversation_id.startswith(erasure.ERASED_PREFIX):
        return erasure.Erased()  # done already
    with session_scope() as session:
        erased = erasure.erase_conversation(session, conversation_id)
    tracker_events.erase_conversation(conversation_id, tracker_url)
    return erased
