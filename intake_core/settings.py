"""Settings read from the environment, in one place.

Defaults are the embedded ones ``make run`` uses: everything under ``var/``.
"""
from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = PROJECT_ROOT / "var"


def database_url() -> str:
    """Application database (tickets, intakes); PostgreSQL in production.

    ``DATABASE_URL`` e.g. ``postgresql+psycopg2://user@host/intake``.
    """
    return os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'app.db'}"


def _positive_number(name: str, default: float) -> float:
    """A positive number from the environment; a missing or unusable value is the default."""
    try:
        value = float(os.environ.get(name, ""))
    except ValueError:
        return default
    return value if value > 0 else default


def record_link_days() -> float:
    """How long a consultation record's download link works (RECORD_LINK_DAYS, 30 by default;
    issue 16, L1): a link forwarded or left in a chat history stops giving the record away."""
    return _positive_number("RECORD_LINK_DAYS", 30)


def retention_days() -> int:
    """How long conversations and records are kept (RETENTION_DAYS, whole days, 180 by
    default; issue 16, H8): what the privacy notice tells the caller and what the purge
    deletes after. A value that is not a whole number of days >= 1 is an error, not the
    default: a mistyped period must not silently keep (or delete) data for another one."""
    raw = os.environ.get("RETENTION_DAYS") or "180"
    try:
        days = int(raw)
    except ValueError:
        raise ValueError("RETENTION_DAYS must be a whole number of days") from None
    if days < 1:
        raise ValueError("RETENTION_DAYS must be at least 1")
    return days
