"""Log text as a reader would see it: JSON and Python escape \\uXXXX (once or twice over)
the Chinese a caller wrote, so a search of the raw file finds nothing even when everything
leaked (issue 15, H7). Search the decoded text instead."""
from __future__ import annotations

import re

_ESCAPE = re.compile(r"\\+u([0-9a-fA-F]{4})")


def decoded(text: str) -> str:
    """``text`` with every ``\\uXXXX``, ``\\\\uXXXX``, ... replaced by its character."""
    return _ESCAPE.sub(lambda match: chr(int(match.group(1), 16)), text)


def leaked(words, text: str):
    """The ``words`` found in ``text`` once its escapes are decoded."""
    plain = decoded(text)
    return [word for word in words if word in plain]
