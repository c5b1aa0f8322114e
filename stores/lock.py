"""``stores.lock.RedisLockStore``: Rasa's Redis lock store, configured from the environment
with TLS (issue 16), and atomic across replicas (issue 18).

Configuration. Rasa's own ``type: redis`` passes endpoints.yml values through as they are, and
a value taken from the environment is always a string: ``use_ssl: ${REDIS_TLS}`` would make
``"false"`` switch TLS *on* (any non-empty string is true). This subclass reads the switch as a
yes/no word, and an empty ``db`` (``REDIS_DB`` unset) as Rasa's default database.

Atomicity. Rasa 3.6's store keeps a conversation's ticket lock as one JSON value and changes it
by reading it, changing it in Python and writing it back (``issue_ticket``, ``update_lock``,
``finish_serving``, ``cleanup``). One Rasa process does these one at a time (they are
synchronous, on its event loop), but two replicas interleave them:

- two replicas issuing a ticket at once both read "no tickets" and both write ticket 0: both
  are served at once, and the conversation's turns run concurrently (events lost or doubled);
- a replica finishing reads "nobody waiting", another then issues a ticket, and the first
  deletes the key: the waiting replica finds no lock and raises ``LockError``;
- ``update_lock`` (dropping expired tickets while waiting) writes back a copy that misses a
  ticket issued in between.

Here each of those read-change-write steps is one Redis transaction (WATCH the key, read,
MULTI/EXEC the write; retried when another client changed the key in between), so every
replica sees and changes the same lock in some order. Ticket numbers, lifetimes and the JSON
stay Rasa's own, so replicas of this store share the lock format. tests/test_lock_store.py
shows the stock store's race and this one holding.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError
from rasa.core.lock_store import RedisLockStore as RasaRedisLockStore
from rasa.utils.endpoints import EndpointConfig

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"", "0", "false", "no", "off"})
RASA_DEFAULT_DB = 1

# What a change does with the lock it read: the lock to write (None: delete the key) and a result.
Change = Callable[[TicketLock | None], tuple[TicketLock | None, Any]]


def as_flag(value: Any, name: str) -> bool:
    """A yes/no setting from YAML or the environment; anything else is an error that names it."""
    if isinstance(value, bool):
        return value
    word = str(value if value is not None else "").strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(f"lock_store.{name} must be true or false, got {value!r}")


def as_db(value: Any) -> int:
    """The Redis database number; empty (an unset ``REDIS_DB``) is Rasa's default."""
    if value is None or str(value).strip() == "":
        return RASA_DEFAULT_DB
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ValueError(f"lock_store.db must be a whole number, got {value!r}") from None
    if number < 0:
        raise ValueError(f"lock_store.db must be a whole number, got {value!r}")
    return number


class RedisLockStore(RasaRedisLockStore):
    def __init__(self, endpoint_config: EndpointConfig) -> None:
        options = dict(endpoint_config.kwargs)
        options["use_ssl"] = as_flag(options.get("use_ssl"), "use_ssl")
        options["db"] = as_db(options.get("db"))
        # Empty certificate paths from unset variables mean "none" (the system's CAs).
        for name in ("ssl_certfile", "ssl_keyfile", "ssl_ca_certs"):
            if not options.get(name):
                options.pop(name, None)
        super().__init__(host=endpoint_config.url, **options)

    # -- one transaction per read-change-write --------------------------------------------

    def _change(self, conversation_id: str, change: Change) -> Any:
        """Applies ``change`` to the stored lock atomically: redis-py's ``transaction`` WATCHes
        the key, runs the read and the change, and retries from the read if the key changed
        before EXEC."""
        key = self.key_prefix + conversation_id
        result = []

        def attempt(pipe) -> None:
            del result[:]
            stored = pipe.get(key)
            lock = TicketLock.from_dict(json.loads(stored)) if stored else None
            new_lock, value = change(lock)
            result.append(value)
            pipe.multi()
            if new_lock is None:
                pipe.delete(key)
            else:
                pipe.set(key, new_lock.dumps())

        self.red.transaction(attempt, key)
        return result[0]

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def issue(lock: TicketLock | None):
            lock = lock or self.create_lock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._change(conversation_id, issue)
        except Exception as error:  # as Rasa's: the caller expects a LockError
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: str) -> None:
        def drop_expired(lock: TicketLock | None):
            if lock is None:
                return None, None
            lock.remove_expired_tickets()
            return lock, None

        self._change(conversation_id, drop_expired)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        def finish(lock: TicketLock | None):
            if lock is None:
                return None, None
            lock.remove_ticket_for(ticket_number)
            return lock, None

        self._change(conversation_id, finish)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Removes the ticket and, in the same transaction, the lock when nobody else holds a
        ticket: a ticket issued meanwhile by another replica is never deleted with it."""
        def finish_and_tidy(lock: TicketLock | None):
            if lock is None:
                return None, False
            lock.remove_ticket_for(ticket_number)
            if lock.is_someone_waiting():
                return lock, False
            return None, True

        deleted = self._change(conversation_id, finish_and_tidy)
        self._log_deletion(conversation_id, deleted)
