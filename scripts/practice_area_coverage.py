"""How many real questions each finer practice area's cues take (docs/measurements.md, issue 17).

Reads ../shared/data/real-questions-dev.jsonl (read, never trained on): for each finer area of
content/practice_areas.yml, the questions of its case type whose words (folded as the NLU folds
them) match one of its cues, and the matches among questions of other case types. `-v` lists them.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from intake_core.practice_areas import finer_areas  # noqa: E402
from intake_core.text import fold  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", default=str(ROOT.parent / "shared" / "data" / "real-questions-dev.jsonl"))
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    with open(args.questions, encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    for area in finer_areas():
        inside = [row for row in rows if row["case_type"] == area.case_type]
        taken = [row for row in inside if area.shown_by(fold(row["text"]))]
        outside = [row for row in rows if row["case_type"] != area.case_type and area.shown_by(fold(row["text"]))]
        print(f"{area.key}: {len(taken)}/{len(inside)} of the {area.case_type} questions "
              f"({len(taken) / max(1, len(inside)):.0%}); matches in other case types: {len(outside)}")
        if args.verbose:
            for row in outside:
                print(f"   elsewhere ({row['case_type']}): {row['text'][:60]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
