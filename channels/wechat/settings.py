"""Channel settings from credentials.yml (every value an ``${ENV}``; empty means default)."""
from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from intake_core import config
from intake_core.channel_texts import wechat_texts

DEFAULT_PASSIVE_WAIT_S = 4.0     # the platform gives up after 5 s
API_ONLY_PASSIVE_WAIT_S = 0.0    # every turn's answer through the API, none passively
DEFAULT_MAX_AGE_S = 300.0        # timestamps older than 5 minutes are refused
DEFAULT_MAX_BODY_BYTES = 64 * 1024
DEFAULT_REDIS_PREFIX = "intake:wechat:"


def text(credentials: dict[str, Any] | None, key: str) -> str:
    value = (credentials or {}).get(key)
    return "" if value is None else str(value).strip()


def number(
    credentials: dict[str, Any] | None, key: str, default: float, zero_allowed: bool = False,
) -> float:
    value = text(credentials, key)
    if not value:
        return default
    try:
        parsed = float(value)
    except ValueError:
        raise ValueError(f"credentials: {key} must be a number") from None
    if parsed < 0 or (parsed == 0 and not zero_allowed):
        raise ValueError(f"credentials: {key} must be positive")
    return parsed


@dataclass
class Common:
    """What both channels share: limits, Redis, the API address.

    ``passive_wait_s`` is how long a request waits for the turn's answer before
    replying ``success``. 0 means "no turn's answer in a passive reply": it always
    goes through the API, decided before the turn starts (the channel's own
    replies without a turn, such as "please type" for a voice message without a
    transcript, stay passive). A positive wait, however small, is a race with
    the turn: a turn that holds the event loop can finish before the request
    notices its timeout, so only 0 makes the way an answer goes predictable.
    """

    redis_url: str = ""
    redis_prefix: str = DEFAULT_REDIS_PREFIX
    api_base_url: str = ""
    passive_wait_s: float = DEFAULT_PASSIVE_WAIT_S
    max_age_s: float = DEFAULT_MAX_AGE_S
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES

    @property
    def api_only(self) -> bool:
        return self.passive_wait_s == API_ONLY_PASSIVE_WAIT_S

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> Common:
        return cls(
            redis_url=text(credentials, "redis_url"),
            redis_prefix=text(credentials, "redis_prefix") or DEFAULT_REDIS_PREFIX,
            api_base_url=text(credentials, "api_base_url"),
            passive_wait_s=number(credentials, "passive_wait", DEFAULT_PASSIVE_WAIT_S, zero_allowed=True),
            max_age_s=number(credentials, "max_timestamp_age", DEFAULT_MAX_AGE_S),
            max_body_bytes=int(number(credentials, "max_body_bytes", DEFAULT_MAX_BODY_BYTES)),
        )


ALLOW_PLAINTEXT_ENV = config.WECHAT_ALLOW_PLAINTEXT.name
PRODUCTION_ENDPOINTS = "endpoints.production.yml"


def production_profile(environ: config.Env = None, argv: Sequence[str] | None = None) -> bool:
    """Whether Rasa runs with the production endpoints: ``RASA_ENDPOINTS`` (scripts/run.sh)
    or ``--endpoints`` on the command line names endpoints.production.yml. It is the one
    thing that tells production from a laptop in this project. ``environ``: the process's
    environment unless given (tests)."""
    argv = sys.argv if argv is None else argv
    named = [config.rasa_endpoints(environ) or ""]
    named += [argv[i + 1] for i, arg in enumerate(argv[:-1]) if arg == "--endpoints"]
    named += [arg.split("=", 1)[1] for arg in argv if arg.startswith("--endpoints=")]
    return any(Path(name).name == PRODUCTION_ENDPOINTS for name in named if name)


def plaintext_allowed(environ: config.Env = None, argv: Sequence[str] | None = None) -> bool:
    """Plaintext mode (no EncodingAESKey) signs the query, not the body, and answers in
    cleartext: refused with the production endpoints unless WECHAT_ALLOW_PLAINTEXT=1;
    allowed elsewhere unless WECHAT_ALLOW_PLAINTEXT=0 (issue 15, M7)."""
    allowed = config.wechat_allow_plaintext(environ)
    if allowed is not None:
        return allowed
    return not production_profile(environ, argv)


def channel_texts() -> dict[str, str]:
    """The channel's own sentences (content/wechat.yml)."""
    return wechat_texts()
