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
