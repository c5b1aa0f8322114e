"""Figures from parameters.yml as they read inside a sentence of formats.yml.

A sentence that mentions a period or a threshold takes it through a
placeholder instead of writing it out, so that a lawyer who edits the figure
in parameters.yml changes every sentence that shows it:

- ``{periods[key]}``: a period of ``deadlines`` in Chinese numerals ("六个月",
  "一年", "九十日");
- ``{periods_digits[key]}``: the same period in digits ("30日", "1年");
- ``{urgent_within_days}``: the urgency window, a number ("30").

The unit words come from formats.yml (``period_units``); this module only
puts the numbers in.
"""

from __future__ import annotations

import warnings
from dataclasses import fields
from typing import Any

import cn2an

from intake_core.guidance.content import load_formats
from intake_core.guidance.parameters import DeadlinePeriods, Period, load_legal_figures, load_parameters


def chinese_count(count: int) -> str:
    """A whole number in Chinese numerals, as a statute writes it: 6 -> 六, 90 -> 九十."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        numerals: str = cn2an.an2cn(count, "low")  # cn2an has no type information
    return numerals


def period_text(period: Period, digits: bool = False) -> str:
    unit = load_formats()["period_units"][period.unit]
    return unit.format(count=period.count if digits else chinese_count(period.count))


def figure_values() -> dict[str, Any]:
    """The values every figure placeholder of formats.yml may name."""
    periods = load_legal_figures().deadlines
    named = {field.name: getattr(periods, field.name) for field in fields(DeadlinePeriods)}
    return {
        "periods": {key: period_text(period) for key, period in named.items()},
        "periods_digits": {key: period_text(period, digits=True) for key, period in named.items()},
        "urgent_within_days": load_parameters().urgent_within_days,
    }


def with_figures(text: str, **values: Any) -> str:
    """``text`` (a formats.yml sentence) with its figure placeholders and ``values`` filled in."""
    return text.format(**figure_values(), **values)
