"""Encryption at rest of what a caller says or is told (issue 16, M8).

Keys come from ``APP_ENCRYPTION_KEYS`` only: comma-separated Fernet keys (``python -m
intake_core.persistence.keys new`` makes one). The first key encrypts; every key decrypts, so a
key is rotated by putting a new one first, re-encrypting (``python -m
intake_core.persistence.keys rotate``) and then dropping the old one.

Fernet (AES-128-CBC + HMAC-SHA256, from ``cryptography``) authenticates as well as hides:
a value written under another key is refused, never returned as garbage. A value that
cannot be decrypted raises :class:`EncryptionKeyError`; nothing here ever writes it back,
so a wrong key loses no data.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache, partial

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy.engine import Dialect
from sqlalchemy.types import Text, TypeDecorator

from intake_core import config

KEYS_VARIABLE = config.APP_ENCRYPTION_KEYS.name


class EncryptionKeyError(RuntimeError):
    """The keys are missing, malformed, or do not open what is stored."""


@lru_cache(maxsize=8)
def _multi_fernet(keys_value: str) -> MultiFernet:
    keys = [key.strip() for key in keys_value.split(",") if key.strip()]
    if not keys:
        raise EncryptionKeyError(
            f"{KEYS_VARIABLE} is not set: it must hold one or more comma-separated Fernet keys "
            f"(the first encrypts, all decrypt). `make run` and the tests generate a local one; "
            f"in production set it from the firm's secret store."
        )
    fernets = []
    for position, key in enumerate(keys, start=1):
        try:
            fernets.append(Fernet(key))
        except (ValueError, TypeError):
            # Never the key itself in the message: it ends up in logs.
            raise EncryptionKeyError(
                f"{KEYS_VARIABLE}: key {position} of {len(keys)} is not a Fernet key "
                f"(32 url-safe base64-encoded bytes)."
            ) from None
    return MultiFernet(fernets)


def cipher(keys_value: str | None = None) -> MultiFernet:
    """The keys of this process (``APP_ENCRYPTION_KEYS``), read on each call so a test or a
    restart with other keys is honoured; parsed once per distinct value."""
    if keys_value is None:
        keys_value = config.encryption_keys()
    return _multi_fernet(keys_value)


def encrypt(text: str) -> str:
    # "replace": a lone surrogate (which no UTF-8 writer accepts) is stored as "?" rather than
    # losing the whole row. The caller gate already replaces those in callers' messages; this
    # covers text from anywhere else (Rasa's HTTP API, a lawyer's form).
    return cipher().encrypt(text.encode("utf-8", errors="replace")).decode("ascii")


_UNREADABLE = (
    f"A stored value cannot be decrypted with {KEYS_VARIABLE}: the key it was written "
    f"with is not among them (a wrong or dropped key). Nothing was changed; start again "
    f"with the right keys."
)


def _decrypt(keys: MultiFernet, token: str) -> str:
    try:
        return keys.decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeEncodeError):
        raise EncryptionKeyError(_UNREADABLE) from None


def decrypt(token: str) -> str:
    return _decrypt(cipher(), token)


def decryptor() -> Callable[[str], str]:
    """``decrypt`` with the keys looked up once, for reading many values together (a
    conversation's events, issue 18): the lookup is about a tenth of a decryption's time."""
    return partial(_decrypt, cipher())


def rotate(token: str) -> str:
    """The same value encrypted under the first key (MultiFernet.rotate)."""
    try:
        return cipher().rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken:
        raise EncryptionKeyError(f"A stored value cannot be decrypted with {KEYS_VARIABLE}.") from None


class EncryptedText(TypeDecorator[str]):
    """A text column stored as a Fernet token (ASCII). Only equality on ``None`` works in
    queries: the same text encrypts differently every time, by design."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else encrypt(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else decrypt(value)
