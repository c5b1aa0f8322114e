"""The encrypted tracker store's own read and save (issue 18) against Rasa 3.6's SQLTrackerStore,
on SQLite and PostgreSQL.

The read must give exactly the tracker Rasa's read gives (events and slots) for any stored
conversation: sessions started at any time, timestamps that repeat or go back, other
conversations in between, events stored as plain JSON before encryption. A save must store each
event of a tracker once: after Rasa's own reads, for two trackers of one conversation, for a
tracker the store never read, across replicas, around an erasure and a lost commit.
"""
import asyncio
import copy
import gc
import json
import os
import time
import uuid

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet
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
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.engine.url import make_url

from intake_core.persistence.encryption import KEYS_VARIABLE, encrypt
from intake_core.rights import tracker_events
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


@EXAMPLES
@given(turns=st.lists(CONVERSATION, min_size=1, max_size=5))
def test_turns_saved_and_read_back_store_each_event_once_as_rasas_store_does(store, turns):
    """Each turn as Rasa plays it: read the tracker (or start one), append, save."""
    ours, rasas = _sender(), _sender()
    appended = []
    for new_events in turns:
        tracker = _run(store.retrieve(ours)) or DialogueStateTracker(ours, store.domain.slots)
        rasa_tracker = _rasa_read(store, rasas) or DialogueStateTracker(rasas, store.domain.slots)
        for event in new_events:
            tracker.update(event)
            rasa_tracker.update(copy.deepcopy(event))
        _run(store.save(tracker))
        _rasa_save(store, rasa_tracker)
        appended += [event.as_dict() for event in new_events]
        assert _stored(store, ours) == appended
        assert _stored(store, rasas) == appended


# -- the cases where the store does not know, or the table changed ---------------------------

def _conversation_so_far(store, sender_id, text="我在公司干了三年"):
    tracker = DialogueStateTracker(sender_id, store.domain.slots)
    for event in turn(text, NOW):
        tracker.update(event)
    _run(store.save(tracker))
    return [event.as_dict() for event in tracker.events]


def _append(tracker, text):
    new = turn(text, NOW)
    for event in new:
        tracker.update(event)
    return [event.as_dict() for event in new]


def test_two_trackers_of_one_conversation_each_store_their_own_new_events(store):
    sender_id = _sender()
    before = _conversation_so_far(store, sender_id)
    first, second = _run(store.retrieve(sender_id)), _run(store.retrieve(sender_id))
    first_new, second_new = _append(first, "第一个"), _append(second, "第二个，多说一句")
    second_new += _append(second, "还有")
    _run(store.save(first))
    _run(store.save(second))
    assert _stored(store, sender_id) == before + first_new + second_new


def test_a_tracker_the_store_never_read_is_saved_as_rasa_saves_it(store):
    """E.g. Rasa's HTTP API replacing a conversation's events: the store counts, as Rasa does."""
    ours, rasas = _sender(), _sender()
    for sender_id in (ours, rasas):
        _conversation_so_far(store, sender_id)
    replacement = [event.as_dict() for event in turn("换一个说法", NOW) + turn("再换", NOW)]
    _run(store.save(DialogueStateTracker.from_dict(ours, replacement, store.domain.slots)))
    _rasa_save(store, DialogueStateTracker.from_dict(rasas, replacement, store.domain.slots))
    assert _stored(store, ours) == _stored(store, rasas)


def test_a_copy_of_a_tracker_is_not_taken_for_the_tracker(store):
    sender_id = _sender()
    _conversation_so_far(store, sender_id)
    tracker = _run(store.retrieve(sender_id))
    assert store.stored_events.stored(tracker) == len(tracker.events)
    assert store.stored_events.stored(copy.deepcopy(tracker)) is None


def test_turns_alternating_between_two_replicas_store_each_event_once(store_options):
    """Two Rasa processes on one table, as with the conversation lock: each turn on the other."""
    replicas = [EncryptedSQLTrackerStore(domain=_domain(), **store_options) for _ in range(2)]
    sender_id = _sender()
    appended = _conversation_so_far(replicas[0], sender_id)
    kept = []  # each replica's tracker of its last turn stays alive, as if still referenced
    for number in range(4):
        replica = replicas[number % 2]
        tracker = _run(replica.retrieve(sender_id))
        appended += _append(tracker, f"第{number}轮")
        _run(replica.save(tracker))
        kept.append(tracker)
    assert _stored(replicas[0], sender_id) == appended
    for replica in replicas:
        replica.engine.dispose()


def test_an_erasure_between_the_read_and_the_save_is_not_undone(store, store_options):
    """The console deletes the conversation up to the erasure's restart while the next turn
    runs: the save writes that turn's events only, not the deleted ones back."""
    sender_id = _sender()
    _conversation_so_far(store, sender_id, "身份证110101199001011234")
    tracker = _run(store.retrieve(sender_id))
    for event in erasure_turn(NOW):
        tracker.update(event)
    _run(store.save(tracker))

    tracker = _run(store.retrieve(sender_id))  # the next turn ...
    url = store.engine.url.render_as_string(hide_password=False)
    tracker_events.erase_marked(url)  # ... and the console's deletion meanwhile
    tracker_events.engine(url).dispose()
    after_restart = _stored(store, sender_id)
    new = _append(tracker, "新的问题")
    _run(store.save(tracker))

    assert _stored(store, sender_id) == after_restart + new
    assert "身份证110101199001011234" not in json.dumps(_stored(store, sender_id), ensure_ascii=False)


def test_a_save_whose_commit_may_have_happened_is_counted_next_time(store, monkeypatch):
    """A connection lost at COMMIT: the events may be stored. The store forgets what it knew
    of the tracker, so saving it again counts and writes nothing twice."""
    sender_id = _sender()
    before = _conversation_so_far(store, sender_id)
    tracker = _run(store.retrieve(sender_id))
    new = _append(tracker, "提交时断线")
    commit = sa.orm.Session.commit

    def commit_then_fail(session):
        commit(session)
        raise sa.exc.OperationalError("COMMIT", {}, ConnectionError("connection lost"))

    monkeypatch.setattr(sa.orm.Session, "commit", commit_then_fail)
    with pytest.raises(sa.exc.OperationalError):
        _run(store.save(tracker))
    monkeypatch.setattr(sa.orm.Session, "commit", commit)
    _run(store.save(tracker))
    assert _stored(store, sender_id) == before + new


def test_what_the_store_remembers_goes_with_the_tracker(store):
    """Nothing of a conversation is kept once its turn's tracker is gone (privacy)."""
    sender_id = _sender()
    _conversation_so_far(store, sender_id)
    gc.collect()
    known = len(store.stored_events)
    tracker = _run(store.retrieve(sender_id))
    assert len(store.stored_events) == known + 1
    del tracker
    gc.collect()
    assert len(store.stored_events) == known


def test_a_tracker_whose_events_drop_off_the_front_is_counted(store):
    sender_id = _sender()
    _conversation_so_far(store, sender_id)
    tracker = DialogueStateTracker.from_events(sender_id, _run(store.retrieve(sender_id)).events,
                                               store.domain.slots, max_event_history=3)
    _run(store.save(tracker))
    assert store.stored_events.stored(tracker) is None


def test_events_written_under_an_old_key_are_read_while_keys_rotate(store, monkeypatch):
    """A new key first, the old one still there (`keys rotate` not run yet): both are read."""
    sender_id = _sender()
    old = _conversation_so_far(store, sender_id)
    monkeypatch.setenv(KEYS_VARIABLE, f"{Fernet.generate_key().decode()},{os.environ[KEYS_VARIABLE]}")
    tracker = _run(store.retrieve(sender_id))
    new = _append(tracker, "换了密钥以后")
    _run(store.save(tracker))
    assert _dicts(_run(store.retrieve(sender_id))) == old + new == _stored(store, sender_id)


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
