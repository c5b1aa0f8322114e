"""Conversations written into a real Rasa SQL tracker store (Rasa's own SQLTrackerStore),
so the tests delete from the table layout Rasa actually writes."""
from __future__ import annotations

import asyncio

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, Restarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.engine.url import make_url


def store_for(url: str) -> SQLTrackerStore:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return SQLTrackerStore(Domain.empty(), dialect="sqlite", db=parsed.database)
    return SQLTrackerStore(Domain.empty(), dialect="postgresql", host=parsed.host, port=parsed.port or 5432,
                           db=parsed.database, username=parsed.username, password=parsed.password)


def turn(text: str, at: float) -> list[Event]:
    return [UserUttered(text, {"name": "inform", "confidence": 1.0}, timestamp=at),
            ActionExecuted("utter_ok_go_ahead", timestamp=at), BotUttered("好的", timestamp=at),
            ActionExecuted("action_listen", timestamp=at)]


def erasure_turn(at: float) -> list[Event]:
    """What Rasa saves for a confirmed deletion: the action, its message, its restart."""
    return [UserUttered("是", {"name": "affirm", "confidence": 1.0}, timestamp=at),
            ActionExecuted("action_erase_my_data", timestamp=at), BotUttered("已删除", timestamp=at),
            Restarted(timestamp=at), ActionExecuted("action_listen", timestamp=at)]


def save(url: str, sender_id: str, events: list[Event]) -> None:
    store = store_for(url)
    tracker = asyncio.run(store.retrieve(sender_id)) or DialogueStateTracker(sender_id, None)
    for event in events:
        tracker.update(event)
    asyncio.run(store.save(tracker))
    store.engine.dispose()


def texts(url: str, sender_id: str) -> list[str]:
    store = store_for(url)
    try:
        tracker = asyncio.run(store.retrieve_full_tracker(sender_id))
        return [event.text for event in (tracker.events if tracker else [])
                if isinstance(event, UserUttered | BotUttered)]
    finally:
        store.engine.dispose()
