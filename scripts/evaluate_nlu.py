"""`make eval`: the NLU figures we quote, from the trained model.

- per-intent precision / recall / F1 on the held-out tests/test_nlu.yml;
- case_type accuracy and macro-F1 on ../shared/data/real-questions-dev.jsonl
  (all rows, and the rows whose label the asker chose on the site);
- handoff and crisis recall on the held-out set, and the false-trigger rate on
  ordinary questions (held-out case-type and general questions, real questions);
- inside a questionnaire: the confidence of safety predictions the lexicon does
  not back, on held-out safety messages and on ordinary answers
  (tests/questionnaire_answers.yml), and false alarms on those answers;
- how long the last training took.
"""
from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rasa.utils.log_utils import configure_structlog  # noqa: E402

from intake_nlu import evaluation as ev  # noqa: E402

DEFAULT_REAL_QUESTIONS = ROOT.parent / "shared" / "data" / "real-questions-dev.jsonl"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=str(ROOT / "models" / "intake.tar.gz"))
    parser.add_argument("--held-out", default=str(ROOT / "tests" / "test_nlu.yml"))
    parser.add_argument("--real-questions", default=str(DEFAULT_REAL_QUESTIONS))
    parser.add_argument("--answers", default=str(ROOT / "tests" / "questionnaire_answers.yml"))
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    configure_structlog(logging.WARNING)  # Rasa logs parsed texts at debug level

    nlu = ev.Parser(Path(args.model))
    started = time.perf_counter()
    held_out = ev.load_held_out(Path(args.held_out))
    held_parses = nlu.parse_all(e.text for e in held_out)
    parse_seconds = time.perf_counter() - started
    gold = [e.label for e in held_out]
    predicted = [ev.intent_of(p) for p in held_parses]

    rows, macro = ev.intent_report(gold, predicted)
    print(f"Held-out intents ({args.held_out}, {len(gold)} examples)")
    print(f"  {'intent':<18}{'precision':>10}{'recall':>8}{'F1':>7}{'n':>5}")
    for name, precision, recall, f1, support in rows:
        print(f"  {name:<18}{precision:>10.3f}{recall:>8.3f}{f1:>7.3f}{support:>5}")
    print(
        f"  macro-F1 {macro:.3f}   "
        f"accuracy {ev.rate(sum(g == p for g, p in zip(gold, predicted, strict=False)), len(gold)):.3f}"
    )
    _, foundation = ev.intent_report(gold, predicted, only=ev.FOUNDATION_INTENTS)
    print(f"  macro-F1 over the {len(ev.FOUNDATION_INTENTS)} foundation intents {foundation:.3f}")

    ordinary_hits = ordinary_total = 0
    print("\nSafety (model + lexicon safety net)")
    for intent in ev.SAFETY_INTENTS:
        positives = [p for g, p in zip(gold, predicted, strict=False) if g == intent]
        recall = ev.rate(sum(p == intent for p in positives), len(positives))
        print(f"  {intent:<16} recall {recall:.3f}  ({sum(p == intent for p in positives)}/{len(positives)} held-out)")
    for g, p in zip(gold, predicted, strict=False):
        if g in ev.ORDINARY_INTENTS:
            ordinary_total += 1
            ordinary_hits += p in ev.SAFETY_INTENTS

    # The same messages through the dialogue model: does the handoff (or crisis
    # response) actually run, on a first message and in the middle of a questionnaire?
    print("\nSafety actions taken by the dialogue (NLU + rules + policies)")
    ordinary = [
        (e, p) for e, p in zip(held_out, held_parses, strict=False) if e.label in ev.ORDINARY_INTENTS | {"inform"}
    ]
    for context in ("first_turn", "mid_questionnaire"):
        for intent, action in ev.SAFETY_ACTIONS.items():
            cases = [p for e, p in zip(held_out, held_parses, strict=False) if e.label == intent]
            hits = sum(nlu.next_action(p, context) == action for p in cases)
            print(
                f"  {context:<18} {intent:<15} -> {action:<26} "
                f"recall {ev.rate(hits, len(cases)):.3f} ({hits}/{len(cases)})"
            )
        false = sum(nlu.next_action(p, context) in set(ev.SAFETY_ACTIONS.values()) for _, p in ordinary)
        print(
            f"  {context:<18} false handoff/crisis on ordinary messages and answers "
            f"{ev.rate(false, len(ordinary)):.3f} ({false}/{len(ordinary)})"
        )

    questionnaire_safety(nlu, held_out, held_parses, Path(args.answers))

    real_path = Path(args.real_questions)
    if real_path.exists():
        rows_real = ev.load_real_questions(real_path)
        real_started = time.perf_counter()
        real_parses = nlu.parse_all(r["text"] for r in rows_real)
        parse_seconds += time.perf_counter() - real_started
        real_false = sum(ev.intent_of(p) in ev.SAFETY_INTENTS for p in real_parses)
        print(
            f"  false triggers on ordinary questions: held-out {ev.rate(ordinary_hits, ordinary_total):.3f}"
            f" ({ordinary_hits}/{ordinary_total}), real questions {ev.rate(real_false, len(rows_real)):.3f}"
            f" ({real_false}/{len(rows_real)})"
        )
        print(f"\nReal questions case_type ({real_path.name})")
        for subset, selected in (
            ("all", list(range(len(rows_real)))),
            ("site-labelled", [i for i, r in enumerate(rows_real) if r["label_method"] == "site"]),
        ):
            gold_ct = [rows_real[i]["case_type"] for i in selected]
            pred_ct = [ev.case_type_after_first_message(real_parses[i]) for i in selected]
            accuracy, macro_ct = ev.case_type_scores(gold_ct, pred_ct)
            print(f"  {subset:<14} n={len(selected):<4} accuracy {accuracy:.3f}  macro-F1 {macro_ct:.3f}")
    else:
        print(f"  false triggers on held-out ordinary questions {ev.rate(ordinary_hits, ordinary_total):.3f}")
        print(f"\n(real questions not found at {real_path}; skipped)")

    parsed = len(held_parses) + (len(rows_real) if real_path.exists() else 0)
    print(f"\nParsing: {parsed} messages in {parse_seconds:.1f} s ({1000 * parse_seconds / parsed:.1f} ms each)")
    timing = Path(args.model).with_name("training-seconds.txt")
    if timing.exists():
        print(f"Training time of this model: {timing.read_text().strip()} s (recorded by make model)")
    return 0


def questionnaire_safety(nlu: ev.Parser, held_out, held_parses, answers_path: Path) -> None:
    """Inside a questionnaire an unsure crisis/handoff guess the lexicon does not back
    is the answer (intake_core/safety_verdict.py): the confidences its threshold
    separates, on real safety messages and on ordinary answers to the questions."""
    from intake_core.safety_verdict import CONFIDENT
    from intake_core.safety_verdict import is_unbacked_safety_prediction as unbacked

    def spread(values) -> str:
        values = sorted(values)
        if not values:
            return "none"
        return f"n={len(values)} min {values[0]:.3f} median {values[len(values) // 2]:.3f} max {values[-1]:.3f}"

    print(f"\nSafety predictions without a lexicon match (answers win below {CONFIDENT} inside a questionnaire)")
    for intent in ev.SAFETY_ACTIONS:
        confidences = [
            p["intent"]["confidence"]
            for e, p in zip(held_out, held_parses, strict=False)
            if e.label == intent and unbacked(p)
        ]
        below = sum(c < CONFIDENT for c in confidences)
        print(f"  held-out {intent:<15} {spread(confidences)}; below the threshold {below}")
    answers = ev.load_questionnaire_answers(answers_path)
    answer_parses = nlu.parse_all(text for _, text in answers)
    guesses = [p["intent"]["confidence"] for p in answer_parses if unbacked(p)]
    print(
        f"  ordinary answers ({answers_path.name}, {len(answers)}): "
        f"predicted crisis/handoff/complaint {spread(guesses)}"
    )
    print(f"  ordinary answers, top-intent confidence {spread([p['intent']['confidence'] for p in answer_parses])}")
    false = sum(
        nlu.next_action(p, "mid_questionnaire", slot) in set(ev.SAFETY_ACTIONS.values())
        for (slot, _), p in zip(answers, answer_parses, strict=False)
    )
    print(
        f"  ordinary answers to their own question: false handoff/crisis "
        f"{ev.rate(false, len(answers)):.3f} ({false}/{len(answers)})"
    )


if __name__ == "__main__":
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    sys.exit(main())
