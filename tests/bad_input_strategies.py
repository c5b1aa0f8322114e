"""Hypothesis strategies for the bad-input properties (tests/test_bad_input.py): what callers,
clients and attackers can put into the public entry points.

How many examples a property runs comes from BAD_INPUT_EXAMPLES (per entry point; `make fuzz`
sets 10,000); each property of an entry point takes its share. derandomize: CI and every
developer see the same examples, so a property cannot flake, and a failure names its shrunk
example."""
from __future__ import annotations

import json
import os
from collections import Counter

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

EXAMPLES_PER_ENTRY_POINT = int(os.environ.get("BAD_INPUT_EXAMPLES", "60"))

# Examples run per entry point, for docs/measurements.md (BAD_INPUT_COUNTS names a file to write).
RUN = Counter()


def fuzz(share: float):
    """Settings for a property that gets ``share`` of its entry point's examples."""
    return settings(
        max_examples=max(1, round(EXAMPLES_PER_ENTRY_POINT * share)),
        derandomize=True,
        database=None,
        deadline=None,  # a turn through the model takes what it takes; only crashes count
        suppress_health_check=list(HealthCheck),  # module-scoped servers, big inputs, slow turns
    )


def write_counts() -> None:
    path = os.environ.get("BAD_INPUT_COUNTS")
    if path:
        with open(path, "w", encoding="utf-8") as out:
            json.dump(dict(sorted(RUN.items())), out, indent=2)


# -- text ------------------------------------------------------------------------------------

CHINESE = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
EMOJI = st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF)
CONTROL = st.characters(max_codepoint=0x1F) | st.just("\x7f")
ASCII = st.characters(min_codepoint=0x20, max_codepoint=0x7E)
ODD = st.sampled_from(["\u200b", "\ufeff", "\u202e", "\u3000", "\u00a0", "\U000e0001", "\ufffd", "\r\n"])
PHRASES = st.sampled_from([
    "公司拖欠我工资", "我想离婚", "你好", "他打我", "我要找律师", "第1079条说的什么", "hello",
    "I need a lawyer", "没有", "是", "1", "０", "三万块", "2023年5月", "]]>", "<script>x</script>",
    "{{ slot }}", "' OR 1=1 --", "%s%s%n", "../../etc/passwd", "null", "\\u0000",
])
CHAR = st.one_of(CHINESE, EMOJI, CONTROL, ASCII, ODD, st.characters())
HUGE_UNITS = st.sampled_from(["字", "a", "😀", "公司拖欠工资。", " ", "\n", "/"])


def huge_text(low: int = 2_001, high: int = 20_000):
    return st.tuples(st.integers(low, high), HUGE_UNITS).map(lambda t: (t[1] * t[0])[: t[0]])


# A huge message whose request stays under a 64 KB body limit (JSON escapes a character to up
# to 12 bytes): what the properties that expect an answer send. Bigger ones go where only
# "no 5xx" is asserted (a body limit may answer 413).
ANSWERABLE_HUGE = 4_000


def caller_text(max_size: int = 300, huge: bool = True, huge_max: int = ANSWERABLE_HUGE):
    """Anything a caller could type: mixed scripts, emoji, control characters, injection-looking
    text, and (one time in ten) a huge message of 2,001 to ``huge_max`` characters."""
    normal = st.one_of(
        st.text(max_size=max_size),
        st.lists(st.one_of(CHAR, PHRASES), max_size=max_size // 5).map("".join),
        st.text(CHINESE, min_size=1, max_size=max_size),
    )
    if not huge:
        return normal
    return st.integers(0, 9).flatmap(lambda i: huge_text(2_001, huge_max) if i == 0 else normal)


def well_formed_message():
    """A message a caller is owed an answer to: not blank, and not a "/intent" command (what a
    leading slash does is being changed beside this work; see test_bad_input.py)."""
    return caller_text().filter(lambda text: text.strip() and not text.lstrip().startswith("/"))


JSON_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                         caller_text(40, huge=False))
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12,
)
