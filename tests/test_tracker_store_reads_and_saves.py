"""The encrypted tracker store's own read and save (issue 18) against Rasa 3.6's SQLTrackerStore,
on SQLite and PostgreSQL.

The read must give exactly the tracker Rasa's read gives (events and slots) for any stored
conversation: sessions started at any time, timestamps that repeat or go back, other
conversations in between, events stored as plain JSON before encryption. A save must store each
event of a tracker once: after Rasa's own reads, for two trackers of one conversation, for a
tracker the store never read, across replicas, around an erasure and a lost commit.
"""
import asyncio
import json
import time
import uuid

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUttered,
    deserialise_events,
)
from sqlalchemy.engine.url import make_url

from intake_core.persistence.encryption import encrypt
from stores import event_rows
from stores.tracker import EncryptedSQLTrackerStore
from tracker_store_data import erasure_turn, turn

SLOTS = ("case_type", "amount", "wants_lawyer")
NOW = time.time()


def _domain() -> Domain:
    def slot(kind):
        return {"type": kind, "influence_conversation": False, "mappings": [{"type": "custom"}]}

    return Domain.from_dict({"slots": {"case_type": slot("text"), "amount": slot("float"),
                                       "wants_lawyer": slot("bool")},
                             "forms": {"labor_form": {"required_slots": ["case_type"]}}})


@pytest.fixture(params=["sqlite", "postgresql"])
def store_options(request, tmp_path):
    if request.param == "sqlite":
        return {"dialect": "sqlite", "db": str(tmp_path / "tracker.db")}
    url = make_url(request.getfixturevalue("postgres_url"))
    return {"dialect": "postgresql", "host": url.host, "port": url.port or 5432, "db": url.database,
            "username": url.username, "password": url.password}


@pytest.fixture
def store(store_options):
    store = EncryptedSQLTrackerStore(domain=_domain(), **store_options)
    yield store
    store.engine.dispose()


def _sender() -> str:
    return f"conversation-{uuid.uuid4().hex}"


def _run(coroutine):
    return asyncio.run(coroutine)


def _rasa_read(store, sender_id, all_sessions=False):
    """Rasa 3.6's own read (its ORM query, the column type decrypting) of the same table."""
    return _run(SQLTrackerStore._retrieve(store, sender_id, fetch_events_from_all_sessions=all_sessions))


def _rasa_save(store, tracker):
    return _run(SQLTrackerStore.save(store, tracker))


def _dicts(tracker):
    return [event.as_dict() for event in tracker.events] if tracker is not None else None


def _stored(store, sender_id):
    """Every stored event of the conversation, in order, as Rasa reads them."""
    return _dicts(_rasa_read(store, sender_id, all_sessions=True)) or []


# -- generated conversations -----------------------------------------------------------------

TIMES = st.integers(min_value=0, max_value=6).map(lambda step: 1_700_000_000.0 + step)  # repeats, goes back
WORDS = st.text(alphabet="借款工资合同我的身份证号是0123456789 ,.{}\"\\", max_size=12)


@st.composite
def events(draw):
    """One step of a conversation: a message, an answer, a slot, an action, a form, a restart,
    or a new session (Rasa's action_session_start, session_started, action_listen)."""
    at = draw(TIMES)
    kind = draw(st.sampled_from(["user", "bot", "slot", "action", "form", "restart", "session"]))
    if kind == "user":
        intent = draw(st.sampled_from(["inform", "affirm", "greet"]))
        return [UserUttered(draw(WORDS), {"name": intent, "confidence": 0.9}, timestamp=at)]
    if kind == "bot":
        return [BotUttered(draw(WORDS), {"buttons": [{"title": "是", "payload": "/affirm"}]}, timestamp=at)]
    if kind == "slot":
        name = draw(st.sampled_from(SLOTS))
        value = {"case_type": draw(WORDS), "amount": draw(st.floats(0, 1e6)),
                 "wants_lawyer": draw(st.booleans())}[name]
        return [SlotSet(name, draw(st.sampled_from([value, None])), timestamp=at)]
    if kind == "action":
        return [ActionExecuted(draw(st.sampled_from(["action_listen", "utter_greet", "action_ask"])), timestamp=at)]
    if kind == "form":
        return [ActiveLoop(draw(st.sampled_from(["labor_form", None])), timestamp=at)]
    if kind == "restart":
        return [Restarted(timestamp=at)]
    return [ActionExecuted("action_session_start", timestamp=at), SessionStarted(timestamp=at),
            ActionExecuted("action_listen", timestamp=at)]


CONVERSATION = st.lists(events(), max_size=12).map(lambda steps: [event for step in steps for event in step])


def _insert(store, sender_id, stored_events, plain):
    """Rows as Rasa writes them, each ``data`` encrypted or, where ``plain``, the JSON stored
    before encryption (issue 16); through a plain Text column, so nothing is encrypted twice."""
    table = sa.table("events", *(sa.column(name) for name in (
        "sender_id", "type_name", "timestamp", "intent_name", "action_name", "data")))
    rows = []
    for event, clear in zip(stored_events, plain, strict=True):
        data = event.as_dict()
        text = json.dumps(data)
        rows.append({"sender_id": sender_id, "type_name": event.type_name, "timestamp": data.get("timestamp"),
                     "intent_name": data.get("parse_data", {}).get("intent", {}).get("name"),
                     "action_name": data.get("name"), "data": text if clear else encrypt(text)})
    if rows:
        with store.engine.begin() as connection:
            connection.execute(table.insert(), rows)


# No deadline: a slow example on a busy machine is not a failure. One store for all of a test's
# examples (a function-scoped fixture): each example writes its own conversations.
EXAMPLES = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@EXAMPLES
@given(conversation=CONVERSATION, other=CONVERSATION, data=st.data())
def test_the_read_gives_the_tracker_rasas_read_gives(store, conversation, other, data):
    sender_id, other_id = _sender(), _sender()
    plain = data.draw(st.lists(st.booleans(), min_size=len(conversation), max_size=len(conversation)))
    # Another conversation's rows in between: only this one's are read.
    half = len(conversation) // 2
    _insert(store, sender_id, conversation[:half], plain[:half])
    _insert(store, other_id, other, [False] * len(other))
    _insert(store, sender_id, conversation[half:], plain[half:])

    for all_sessions in (False, True):
        rasa = _rasa_read(store, sender_id, all_sessions)
        ours = _run(store._retrieve(sender_id, fetch_events_from_all_sessions=all_sessions))
        assert _dicts(ours) == _dicts(rasa)
        if rasa is not None:
            assert ours.current_slot_values() == rasa.current_slot_values()
            assert ours.active_loop_name == rasa.active_loop_name


# -- deserialising: Rasa's classes, Rasa's answers for what is not an event --------------------

class _AnotherUserEvent(UserUttered):
    """A second class with the type name "user" (Rasa has one, rasa.core.test's
    EndToEndUserUtterance): Rasa picks the first found, UserUttered."""

    @classmethod
    def _from_parameters(cls, parameters):
        event = super()._from_parameters(parameters)  # UserUttered's builds a UserUttered
        event.__class__ = cls  # so that the class picked shows
        return event


def test_events_are_deserialised_into_the_classes_rasa_picks():
    sample = [event for step in (turn("你好", NOW), erasure_turn(NOW)) for event in step]
    sample += [SessionStarted(NOW), SlotSet("amount", 3.5, NOW), ActiveLoop("labor_form", NOW)]
    dicts = [event.as_dict() for event in sample] + [{"event": "topic"}, {"no": "event"}]

    ours, rasas = event_rows.events(dicts), deserialise_events(dicts)
    assert [type(event) for event in ours] == [type(event) for event in rasas]
    assert [event.as_dict() for event in ours] == [event.as_dict() for event in rasas] == dicts[:-2]
    with pytest.raises(ValueError, match="Unknown event name"):
        event_rows.events([{"event": "no_such_event"}])
