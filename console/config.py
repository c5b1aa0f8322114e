"""The console's settings, read through intake_core.config (defaults: the embedded `make run`)."""
from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, field

from intake_core import config

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ConsoleConfig:
    rasa_url: str
    rasa_token: str | None = field(repr=False)  # secrets stay out of any repr (a log, a traceback)
    secret_key: str = field(repr=False)
    check_seconds: float  # how often the scheduler looks for due work
    secure_cookies: bool


def from_environment() -> ConsoleConfig:
    secret = config.console_secret_key()
    if not secret:
        # Sessions then last only as long as this process: fine on a laptop, not in production.
        logger.warning("CONSOLE_SECRET_KEY is not set; using a random key for this run.")
        secret = secrets.token_hex(32)
    return ConsoleConfig(
        rasa_url=config.rasa_url(),
        rasa_token=config.rasa_auth_token(),
        secret_key=secret,
        check_seconds=config.handoff_check_seconds(),
        secure_cookies=config.console_secure_cookies(),
    )
