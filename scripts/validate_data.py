"""`rasa data validate`, failing on any warning except the ones this project causes on purpose.

Rasa warns about every response no story or rule names and every intent without examples. Here
~165 of those are by design, which buried a real warning among them (issue 17). The excused ones
are DERIVED from the project, never listed by hand:

- a response the code utters by name: a string constant equal to it in the Python of the action
  server, channels, console, core or Rasa's own default actions (utter_default), or in content/;
  or one an f-string builds (f"utter_crisis_{kind}" excuses utter_crisis_*);
- utter_ask_<slot> (or utter_ask_<form>_<slot>) for a slot a form of the domain requests: Rasa's
  forms ask with them;
- an intent without examples that the code sends itself (a "/name" payload or the intent's name
  as a string constant: the console's scheduler, the channels, the handoff policy).

Anything else is printed and fails the run. Usage (what `make lint` runs):
    python scripts/validate_data.py --domain domain --data data --config config.yml
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
# Where responses are uttered and intents sent by name (not data/ or domain/: that is what Rasa checks).
CODE_DIRS = ("actions", "channels", "console", "intake_core", "intake_dialogue", "stores")
CONTENT_DIR = "content"

UNUSED_RESPONSE = re.compile(r"The utterance '(?P<name>[^']+)' is not used in any story or rule")
INTENT_WITHOUT_EXAMPLES = re.compile(
    r"The intent '(?P<name>[^']+)' is listed in the domain file, but is not found in the NLU training data"
)


@dataclass(frozen=True)
class Uses:
    """What the code names: whole string constants, and the leading text of f-strings."""

    names: frozenset[str]
    prefixes: frozenset[str]
    form_slots: frozenset[tuple[str, str]]  # (form, requested slot)


def python_strings(source: str) -> tuple[set[str], set[str]]:
    """String constants of a module, and the constant start of each f-string (f"utter_x_{y}" -> utter_x_)."""
    constants: set[str] = set()
    prefixes: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.JoinedStr):
            head = node.values[0] if node.values else None
            if isinstance(head, ast.Constant) and isinstance(head.value, str) and len(node.values) > 1:
                prefixes.add(head.value)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            constants.add(node.value)
    return constants, prefixes


def yaml_strings(value: object) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from yaml_strings(key)
            yield from yaml_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from yaml_strings(item)


def form_slots(domain_dir: Path) -> set[tuple[str, str]]:
    slots = set()
    for path in sorted(domain_dir.glob("*.yml")):
        forms = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("forms") or {}
        for form, definition in forms.items():
            for slot in (definition or {}).get("required_slots") or []:
                slots.add((form, slot))
    return slots


def rasa_default_actions() -> Path:
    import rasa.core.actions.action as default_actions

    return Path(default_actions.__file__)


def collect_uses(root: Path, domain_dir: Path, extra_python: Iterable[Path] = ()) -> Uses:
    names: set[str] = set()
    prefixes: set[str] = set()
    python = [path for name in CODE_DIRS for path in sorted((root / name).rglob("*.py"))]
    for path in [*python, *extra_python]:
        constants, starts = python_strings(path.read_text(encoding="utf-8"))
        names |= constants
        prefixes |= starts
    for path in sorted((root / CONTENT_DIR).rglob("*.yml")):
        names.update(yaml_strings(yaml.safe_load(path.read_text(encoding="utf-8"))))
    # A prefix as short as "utter_" (or "/") would excuse everything: only a named family counts.
    prefixes = {p for p in prefixes if re.fullmatch(r"utter_[a-z0-9]+(?:_[a-z0-9]+)*_", p)}
    return Uses(frozenset(names), frozenset(prefixes), frozenset(form_slots(domain_dir)))


def response_is_used(name: str, uses: Uses) -> bool:
    if name in uses.names or any(name.startswith(prefix) for prefix in uses.prefixes):
        return True
    return any(name in (f"utter_ask_{slot}", f"utter_ask_{form}_{slot}") for form, slot in uses.form_slots)


def intent_is_sent(name: str, uses: Uses) -> bool:
    return name in uses.names or f"/{name}" in uses.names


def judge(messages: Iterable[str], uses: Uses) -> tuple[list[str], list[str]]:
    """The warnings split into (excused, remaining), each kept as Rasa wrote it."""
    excused, remaining = [], []
    for message in messages:
        response = UNUSED_RESPONSE.search(message)
        intent = INTENT_WITHOUT_EXAMPLES.search(message)
        if (response and response_is_used(response["name"], uses)) or (
            intent and intent_is_sent(intent["name"], uses)
        ):
            excused.append(message)
        else:
            remaining.append(message)
    return excused, remaining


def run_rasa_validate(arguments: list[str]) -> tuple[list[str], bool]:
    """Rasa's own `rasa data validate` in this process, its warnings caught; (warnings, passed)."""
    from rasa.__main__ import create_argument_parser

    args = create_argument_parser().parse_args(["data", "validate", *arguments])
    passed = True
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            args.func(args)
        except SystemExit as exit_:
            passed = not exit_.code
    return [str(w.message) for w in caught if not rasa_hides(w)], passed


def rasa_hides(caught: warnings.WarningMessage) -> bool:
    """Deprecations (Rasa's imports: pkg_resources, jax) and the warnings Rasa itself filters out
    (rasa.utils.common.EXPECTED_WARNINGS, e.g. "Slot auto-fill has been removed") say nothing
    about the project's data; `rasa data validate` does not show them either."""
    from rasa.utils.common import EXPECTED_WARNINGS

    if issubclass(caught.category, DeprecationWarning | PendingDeprecationWarning):
        return True
    return any(
        issubclass(caught.category, category) and re.match(f".*{message}", str(caught.message))
        for category, message in EXPECTED_WARNINGS
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--domain", default="domain")
    parser.add_argument("--data", default="data")
    parser.add_argument("--config", default="config.yml")
    options = parser.parse_args(argv)
    messages, passed = run_rasa_validate(
        ["--domain", options.domain, "--data", options.data, "--config", options.config]
    )
    uses = collect_uses(ROOT, ROOT / options.domain, [rasa_default_actions()])
    excused, remaining = judge(messages, uses)
    print(f"rasa data validate: {len(messages)} warnings, {len(excused)} excused (used by the code), "
          f"{len(remaining)} remaining")
    for message in remaining:
        print(f"  WARNING {message}")
    return 0 if passed and not remaining else 1


if __name__ == "__main__":
    sys.exit(main())
