"""How many real questions each finer practice area's cues take (docs/measurements.md, issue 17).

Reads ../shared/data/real-questions-dev.jsonl (read, never trained on): for each finer area of
content/practice_areas.yml, the questions of its case type whose words (folded as the NLU folds
them) match one of its cues, and the matches among questions of other case types. An area with
strong cues also takes questions of the catch-all case type that show none of the catch-all's own
areas (finer_area_shown): those are counted apart. Where the data has a finer label for the area
(labor_injury), the questions given the area but labelled otherwise are its false positives by
label (read them: the labels are noisy). `-v` lists them.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from intake_core.practice_areas import catch_all_case_type, finer_area_shown, finer_areas  # noqa: E402
from intake_core.text import fold  # noqa: E402

# The data's finer label of an area, where it has one (../shared/data/README.md).
LABELS = {"work_injury": "labor_injury", "private_loan": "loan"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", default=str(ROOT.parent / "shared" / "data" / "real-questions-dev.jsonl"))
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    with open(args.questions, encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    catch_all = catch_all_case_type()
    for area in finer_areas():
        inside = [row for row in rows if row["case_type"] == area.case_type]
        taken = [row for row in inside if area.shown_by(fold(row["text"]))]
        outside = [row for row in rows if row["case_type"] != area.case_type and area.shown_by(fold(row["text"]))]
        print(f"{area.key}: {len(taken)}/{len(inside)} of the {area.case_type} questions "
              f"({len(taken) / max(1, len(inside)):.0%}); matches in other case types: {len(outside)}")
        if args.verbose:
            for row in outside:
                print(f"   elsewhere ({row['case_type']}): {row['text'][:60]}")
        from_catch_all = []
        if area.strong_cues:
            pool = [row for row in rows if row["case_type"] == catch_all]
            from_catch_all = [row for row in pool if finer_area_shown(catch_all, [fold(row["text"])]) is area]
            print(f"   taken from {catch_all} by its strong cues: {len(from_catch_all)}/{len(pool)}")
            if args.verbose:
                for row in from_catch_all:
                    print(f"   from {catch_all}: {row['text'][:60]}")
        if area.key in LABELS:
            given = taken + from_catch_all
            wrong = [row for row in given if row["label"] != LABELS[area.key]]
            print(f"   given the area but not labelled {LABELS[area.key]}: {len(wrong)}/{len(given)}")
            if args.verbose:
                for row in wrong:
                    print(f"   labelled {row['label']}: {row['text'][:60]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
