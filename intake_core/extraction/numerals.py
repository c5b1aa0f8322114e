"""cn2an, quietly, and Decimal tidying shared by the extractors."""

from __future__ import annotations

import warnings
from decimal import Decimal

import cn2an


def chinese_numerals_to_arabic(text: str) -> str:
    """``cn2an.transform(text, "cn2an")`` without its warnings: it warns on every
    word it cannot read, and most of a caller's text is words."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        arabic: str = cn2an.transform(text, "cn2an")  # cn2an has no type information
    return arabic


def spoken_decimal_to_number(spoken: str) -> str:
    """ "一点五" -> "1.5" (cn2an's smart mode), quietly."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return str(cn2an.cn2an(spoken, "smart"))


def without_trailing_zeros(value: Decimal) -> Decimal:
    """3.5 * 10000 is Decimal("35000.0"); callers and the database want 35000."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
