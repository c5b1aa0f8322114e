"""What every content file loader shares: where content lives, how a file is read and
the one error type a malformed file raises.

Every loader of content/ reads its file with ``read_yaml`` and reports a problem as a
``ContentError`` (or a subclass) naming the file and the key, e.g.
``content/handoff.yml: response_minutes.urgent: missing``. ``validate_all`` loads every
content file: the action server, the console and Rasa's NLU components call it when they
start, so a mistake stops the process then instead of surfacing mid-conversation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CONTENT_DIR = PROJECT_ROOT / "content"
SHIPPED_CONTENT_DIR = CONTENT_DIR  # CONTENT_DIR itself may be pointed at a copy (the start-up tests)
# libyaml's loader reads the same as yaml.SafeLoader, ten times faster (all of content/ in
# 0.4 s instead of 3.4 s): it matters, every process reads every file at start-up.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ContentError(ValueError):
    """A content file is malformed; the message names the file and the key.

    ``source`` is the file as shown (``shown_path``). A parser that sees only the parsed
    YAML raises without it, naming the key; the loader that read the file adds it
    (``naming``), so every error that leaves a loader names both.
    """

    def __init__(self, message: str, source: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.source = source

    def __str__(self) -> str:
        return f"{self.source}: {self.message}" if self.source else self.message


def shown_path(path: str | Path) -> str:
    """The file as an error names it: relative to the project when inside it."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)


@contextmanager
def naming(path: str | Path) -> Iterator[None]:
    """A ContentError raised inside names ``path`` unless it names a file already."""
    try:
        yield
    except ContentError as error:
        if error.source is None:
            error.source = shown_path(path)
        raise


def read_yaml(path: str | Path) -> Any:
    """The parsed YAML of a content file; an unreadable file or invalid YAML is a ContentError
    naming the file (and the line, for YAML)."""
    source = shown_path(path)
    try:
        with open(path, encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_LOADER)  # a safe loader: no Python objects
    except OSError as error:
        raise ContentError(f"cannot be read ({error.strerror})", source) from error
    except yaml.YAMLError as error:
        raise ContentError(f"not valid YAML: {error}", source) from error


def read_text(path: str | Path) -> str:
    """A content file that is not YAML (a statute text), as text; unreadable: ContentError."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "not UTF-8"
        raise ContentError(f"cannot be read ({reason})", shown_path(path)) from error


def validate_all(directory: Path | None = None) -> None:
    """Load every content file once; the first malformed one raises its ContentError.

    ``directory`` is a copy of content/ (the tests break one file of a copy); by default the
    files the process reads (content/, and the handoff settings HANDOFF_SETTINGS_FILE names).
    What a file refers to in another (a guidance file's articles and questions, a
    questionnaire's practice area) is checked against content/'s own. The loaders are
    imported here: each of them imports this module.
    """
    from intake_core import glossary, privacy
    from intake_core.channel_texts import caller_gate_texts, wechat_texts
    from intake_core.desk import settings
    from intake_core.guidance import content as guidance
    from intake_core.guidance import parameters
    from intake_core.practice_areas import load_practice_areas
    from intake_core.questionnaires.definitions import ask_again_prefix, load_questionnaires
    from intake_core.safety_lexicon import load_lexicon
    from intake_core.statutes.texts import load_statutes

    root = CONTENT_DIR if directory is None else directory

    def at(*parts: str) -> tuple[Path, ...]:
        # The shipped files by the loaders' defaults: their caches are keyed by the arguments,
        # and the process goes on to call them without any (one parse per file, not two).
        return () if root == SHIPPED_CONTENT_DIR else (root.joinpath(*parts),)

    registry = load_practice_areas(*at("practice_areas.yml"))
    load_questionnaires(*at("questionnaires.yml"))
    ask_again_prefix(*at("questionnaires.yml"))
    load_statutes(*at("laws"))
    for area in registry.areas:
        if area.guidance:
            guidance.load_guidance(area.key, *at("guidance"))
    guidance.load_formats(*at("guidance"))
    parameter_loaders: tuple[Callable[..., object], ...] = (
        parameters.load_parameters,
        parameters.load_legal_figures,
        parameters.load_traffic_figures,
        parameters.load_work_injury_figures,
    )
    for load in parameter_loaders:
        load(*at("guidance", "parameters.yml"))
    if directory is None:
        settings.handoff_settings()
    else:
        settings.load_settings(directory)
    load_lexicon(*at("safety_lexicon.yml"))
    privacy.privacy_content(*at("privacy.yml"))
    glossary.glossary(*at("glossary.yml"))
    caller_gate_texts(*at("caller_gate.yml"))
    wechat_texts(*at("wechat.yml"))
