"""Console settings from the environment (defaults: the embedded `make run`)."""
from __future__ import annotations

import logging
import os
import secrets
from dataclasses import dataclass
from typing import Optional

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ConsoleConfig:
    rasa_url: str
    rasa_token: Optional[str]
    secret_key: str
    check_seconds: float  # how often the scheduler looks for due work
    secure_cookies: bool


def from_environment() -> ConsoleConfig:
    secret = os.environ.get("CONSOLE_SECRET_KEY")
    if not secret:
        # Sessions then last only as long as this process: fine on a laptop, not in production.
        logger.warning("CONSOLE_SECRET_KEY is not set; using a random key for this run.")
        secret = secrets.token_hex(32)
    return ConsoleConfig(
        rasa_url=os.environ.get("RASA_URL", f"http://localhost:{os.environ.get('RASA_PORT', '5005')}").rstrip("/"),
        rasa_token=os.environ.get("RASA_AUTH_TOKEN") or None,
        secret_key=secret,
        check_seconds=float(os.environ.get("HANDOFF_CHECK_SECONDS", "30")),
        secure_cookies=os.environ.get("CONSOLE_SECURE_COOKIES", "").lower() in ("1", "true", "yes"),
    )
