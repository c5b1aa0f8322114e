"""The production lock store across replicas (issue 18): Rasa 3.6's RedisLockStore changes a
conversation's lock by get-then-set, so two replicas interleaving lose each other's tickets;
stores/lock.py makes each change one Redis transaction.

The races are shown by construction, not by timing luck: ``interleave`` makes replica B act
right after replica A has read the lock and before A writes, which is exactly what happens
when two Rasa processes on two machines take the same conversation's lock at once. The stock
store's failures are strict xfails: if Rasa ever makes its store atomic, they say so.

Redis: 127.0.0.1:6379 (REDIS_HOST/REDIS_PORT), database REDIS_DB (default 9); only this
test's keys are touched (random conversation ids), and they are deleted afterwards.
"""
from __future__ import annotations

import asyncio
import os
import threading
import uuid
from collections.abc import Callable

import pytest
from rasa.core.lock_store import LockError
from rasa.core.lock_store import RedisLockStore as StockRedisLockStore
from rasa.utils.endpoints import EndpointConfig

from stores.lock import RedisLockStore, as_db

redis = pytest.importorskip("redis")

HOST = os.environ.get("REDIS_HOST") or "127.0.0.1"
PORT = int(os.environ.get("REDIS_PORT") or 6379)
DB = int(os.environ.get("REDIS_DB") or 9)


@pytest.fixture(scope="module")
def reachable():
    try:
        redis.Redis(host=HOST, port=PORT, db=DB, socket_timeout=2).ping()
    except redis.exceptions.ConnectionError as error:
        pytest.skip(f"Redis not reachable: {type(error).__name__}")


def stock():
    return StockRedisLockStore(host=HOST, port=PORT, db=DB)


def ours():
    return RedisLockStore(EndpointConfig(url=HOST, port=str(PORT), db=str(DB), use_ssl="false"))


STORES = [
    pytest.param(stock, marks=pytest.mark.xfail(strict=True, reason="Rasa 3.6's store is get-then-set")),
    pytest.param(ours, id="ours"),
]


@pytest.fixture
def conversation(reachable):
    conversation_id = f"test-lock-{uuid.uuid4().hex}"
    yield conversation_id
    store = stock()
    store.red.delete(store.key_prefix + conversation_id)


def interleave(store, other_replica: Callable[[], None]) -> None:
    """Runs ``other_replica`` once, right after ``store``'s first read of a lock (a plain GET
    for Rasa's store, the GET inside WATCH for ours), before ``store`` writes anything."""
    fired = []

    def after_read(read):
        def wrapped(*args, **kwargs):
            value = read(*args, **kwargs)
            if not fired:
                fired.append(True)
                other_replica()
            return value
        return wrapped

    store.red.get = after_read(store.red.get)
    make_pipeline = store.red.pipeline

    def pipeline(*args, **kwargs):
        pipe = make_pipeline(*args, **kwargs)
        pipe.get = after_read(pipe.get)
        return pipe

    store.red.pipeline = pipeline


@pytest.mark.parametrize("make", STORES)
def test_two_replicas_taking_a_free_lock_at_once_get_different_tickets(make, conversation):
    replica_a, replica_b = make(), make()
    tickets = []
    interleave(replica_a, lambda: tickets.append(replica_b.issue_ticket(conversation)))
    tickets.append(replica_a.issue_ticket(conversation))
    # Stock: both read "no tickets", both are given ticket 0 and both are served at once.
    assert sorted(tickets) == [0, 1]
    assert len(replica_b.get_lock(conversation).tickets) == 2


@pytest.mark.parametrize("make", STORES)
def test_finishing_a_turn_keeps_the_ticket_another_replica_took_meanwhile(make, conversation):
    replica_a, replica_b = make(), make()
    first = replica_a.issue_ticket(conversation)
    waiting = []
    interleave(replica_a, lambda: waiting.append(replica_b.issue_ticket(conversation)))
    replica_a.cleanup(conversation, first)
    # Stock: A writes back the lock it read (without B's ticket) or deletes it: B, waiting for
    # its turn, finds no lock and raises LockError ("Could not acquire lock").
    lock = replica_b.get_lock(conversation)
    assert lock is not None and not lock.is_locked(waiting[0])


@pytest.mark.parametrize("make", STORES)
def test_dropping_expired_tickets_keeps_a_ticket_issued_meanwhile(make, conversation):
    replica_a, replica_b = make(), make()
    replica_a.issue_ticket(conversation, lock_lifetime=-1)  # already expired: a killed replica's
    issued = []
    interleave(replica_a, lambda: issued.append(replica_b.issue_ticket(conversation)))
    replica_a.update_lock(conversation)
    lock = replica_b.get_lock(conversation)
    assert lock is not None and [ticket.number for ticket in lock.tickets] == issued


def test_many_replicas_never_hold_one_conversations_lock_together(conversation):
    """Six store instances (as six replicas would have), each in its own thread and event loop,
    take the same conversation's lock 15 times each; inside, a holder count that must stay 1.
    Each holder yields to the others while it holds the lock (asyncio.sleep(0) and a Redis
    round trip), so an overlap would be seen."""
    holders, overlaps, errors = [], [], []
    guard = threading.Lock()

    async def turns(store):
        for _ in range(15):
            async with store.lock(conversation, lock_lifetime=30, wait_time_in_seconds=0.005):
                with guard:
                    holders.append(1)
                    if len(holders) > 1:
                        overlaps.append(len(holders))
                store.red.ping()
                await asyncio.sleep(0)
                with guard:
                    holders.pop()

    def replica():
        try:
            asyncio.run(turns(ours()))
        except LockError as error:  # pragma: no cover - the failure this test looks for
            errors.append(error)

    threads: list[threading.Thread] = [threading.Thread(target=replica) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == [] and overlaps == []
    assert ours().get_lock(conversation) is None  # the last one out removed the lock


def test_an_empty_db_is_rasas_default_and_a_word_is_an_error_naming_it():
    assert as_db("") == 1 and as_db(None) == 1 and as_db("7") == 7
    with pytest.raises(ValueError, match="lock_store.db"):
        as_db("one")


def test_the_store_uses_the_configured_database(reachable):
    assert ours().red.connection_pool.connection_kwargs["db"] == DB
