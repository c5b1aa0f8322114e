"""wechatpy's token storage in Redis, encrypted (issue 16).

The access token lets whoever holds it write to any follower of the firm's account for up to
two hours, so Redis holds it only as a Fernet token under ``APP_ENCRYPTION_KEYS``
(intake_core/persistence/encryption.py), like every other secret the assistant keeps at rest.

A value that does not decrypt (written under another key, or in the clear before this
change) is treated as absent: wechatpy then fetches a new token and overwrites it. Losing a
cached token costs one API call; refusing to send the lawyer's reply would cost far more.
"""
from __future__ import annotations

import logging

from wechatpy.session.redisstorage import RedisStorage
from wechatpy.utils import json, to_text

from intake_core.persistence.encryption import EncryptionKeyError, cipher, decrypt, encrypt

logger = logging.getLogger(__name__)


class EncryptedRedisStorage(RedisStorage):
    """RedisStorage (same keys, same JSON, same expiry) with each value a Fernet token."""

    def __init__(self, redis, prefix: str = "wechatpy") -> None:
        # Missing or malformed keys stop start-up here, naming the variable, not at the first send.
        cipher()
        super().__init__(redis, prefix=prefix)

    def get(self, key, default=None):
        raw = self.redis.get(self.key_name(key))
        if raw is None:
            return default
        try:
            return json.loads(decrypt(to_text(raw)))
        except (EncryptionKeyError, ValueError):  # ValueError: not UTF-8 text, or not JSON
            # Never the value: it may be a token in the clear.
            logger.warning("A stored WeChat access token cannot be read (another key, or stored "
                           "before encryption); fetching a new one.")
            return default

    def set(self, key, value, ttl=None):
        if value is None:
            return
        self.redis.set(self.key_name(key), encrypt(json.dumps(value)), ex=ttl)
