"""The domain as the project's own code reads it: the files of ``domain/`` merged.

Rasa loads the directory (``--domain domain``) and merges its files: the
hand-written ``domain.yml`` and the questionnaires generated from
content/questionnaires.yml. Code outside Rasa (the console, the chat page, the
tests) reads the same files here, without importing Rasa.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from intake_core.config import PROJECT_ROOT

DOMAIN_DIR = PROJECT_ROOT / "domain"


def load_domain(domain_dir: Path = DOMAIN_DIR) -> dict[str, Any]:
    """One dict of every file: sections (slots, responses, ...) merged, lists joined."""
    merged: dict[str, Any] = {}
    for path in sorted(domain_dir.glob("*.yml")):
        with open(path, encoding="utf-8") as handle:
            for key, value in (yaml.safe_load(handle) or {}).items():
                if isinstance(value, dict):
                    merged.setdefault(key, {}).update(value)
                elif isinstance(value, list):
                    merged.setdefault(key, []).extend(value)
                else:
                    merged.setdefault(key, value)
    return merged
