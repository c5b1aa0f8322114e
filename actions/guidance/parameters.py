"""content/guidance/parameters.yml as a typed, validated object.

The file holds the few figures that change over time (the LPR) or that the firm
chooses (how close a deadline must be to count as urgent). A lawyer edits the
file; the code only reads it, once, and refuses values it cannot trust.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

import yaml

from actions.settings import PROJECT_ROOT

PARAMETERS_PATH = PROJECT_ROOT / "content" / "guidance" / "parameters.yml"


class ParametersError(ValueError):
    """parameters.yml is missing a key or holds a value we cannot use."""


@dataclass(frozen=True)
class LprQuote:
    """The one-year LPR in percent per year, and the publication date it comes from."""

    rate: Decimal
    as_of: date


@dataclass(frozen=True)
class GuidanceParameters:
    lpr_one_year: LprQuote
    urgent_within_days: int


@lru_cache(maxsize=None)
def load_parameters(path: Path = PARAMETERS_PATH) -> GuidanceParameters:
    """Read and validate the parameters file; cached, so it is read once per path."""
    with open(path, encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    if not isinstance(raw, Mapping):
        raise ParametersError(f"{path}: expected a mapping of parameters")
    return parse_parameters(raw)


def parse_parameters(raw: Mapping[str, Any]) -> GuidanceParameters:
    """Validate the parsed YAML; every error names the key at fault."""
    lpr = _required(raw, "lpr_one_year")
    if not isinstance(lpr, Mapping):
        raise ParametersError("lpr_one_year: expected 'rate' and 'as_of'")
    return GuidanceParameters(
        lpr_one_year=LprQuote(
            rate=_percent("lpr_one_year.rate", _required(lpr, "rate", "lpr_one_year.")),
            as_of=_iso_date("lpr_one_year.as_of", _required(lpr, "as_of", "lpr_one_year.")),
        ),
        urgent_within_days=_days("urgent_within_days", _required(raw, "urgent_within_days")),
    )


def _required(raw: Mapping[str, Any], key: str, prefix: str = "") -> Any:
    if raw.get(key) is None:
        raise ParametersError(f"{prefix}{key}: missing")
    return raw[key]


def _percent(key: str, value: Any) -> Decimal:
    # A YAML float (3.0 unquoted) would already have passed through binary floating
    # point; insist on a quoted string so the rate is exactly what the lawyer typed.
    if not isinstance(value, str):
        raise ParametersError(f'{key}: write the rate as a quoted string, e.g. "3.0"')
    try:
        rate = Decimal(value)
    except InvalidOperation:
        raise ParametersError(f"{key}: {value!r} is not a number") from None
    # An LPR has never been near 0 or above 10%: such a value is a typo (e.g. 0.03 for 3%).
    if not Decimal("0.5") <= rate <= Decimal("10"):
        raise ParametersError(f"{key}: {value} is not a plausible percent per year (0.5-10)")
    return rate


def _iso_date(key: str, value: Any) -> date:
    if isinstance(value, date):  # YAML reads an unquoted 2025-05-20 as a date already
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ParametersError(f"{key}: {value!r} is not a date like 2025-05-20") from None


def _days(key: str, value: Any) -> int:
    # bool is a subclass of int in Python; "yes" must not become 1 day.
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ParametersError(f"{key}: expected a whole number of days >= 0, got {value!r}")
    return value
