"""``stores.lock.RedisLockStore``: Rasa's Redis lock store, configured from the environment
with TLS (issue 16: TLS for Redis in the production profile).

Rasa's own ``type: redis`` passes endpoints.yml values through as they are, and a value taken
from the environment is always a string: ``use_ssl: ${REDIS_TLS}`` would make ``"false"`` switch
TLS *on* (any non-empty string is true). This subclass reads the switch as a yes/no word and
otherwise is Rasa's store unchanged (endpoints.production.yml: ``lock_store: {type:
stores.lock.RedisLockStore, ...}`` with the options of ``type: redis``).
"""
from __future__ import annotations

from typing import Any

from rasa.core.lock_store import RedisLockStore as RasaRedisLockStore
from rasa.utils.endpoints import EndpointConfig

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"", "0", "false", "no", "off"})


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


class RedisLockStore(RasaRedisLockStore):
    def __init__(self, endpoint_config: EndpointConfig) -> None:
        options = dict(endpoint_config.kwargs)
        options["use_ssl"] = as_flag(options.get("use_ssl"), "use_ssl")
        # Empty certificate paths from unset variables mean "none" (the system's CAs).
        for name in ("ssl_certfile", "ssl_keyfile", "ssl_ca_certs"):
            if not options.get(name):
                options.pop(name, None)
        super().__init__(host=endpoint_config.url, **options)
