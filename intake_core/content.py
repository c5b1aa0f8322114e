"""What every content file loader shares: where content lives and its one error type."""
from __future__ import annotations

from pathlib import Path
from typing import Union

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CONTENT_DIR = PROJECT_ROOT / "content"


class ContentError(ValueError):
    """A content file is malformed; the message names the file and the key.

    Raised at load time, so a mistake stops the process at start-up instead of
    surfacing mid-conversation. The older loaders (handoff.yml, guidance,
    questionnaires, ...) still have their own error types; issue 17 folds them
    into this one.
    """


def shown_path(path: Union[str, Path]) -> str:
    """The file as an error names it: relative to the project when inside it."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)
