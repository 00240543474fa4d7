"""Score the sign detector on a labelled set (default tests/data/signs_dev.jsonl).

Prints per-label precision / recall / F1, micro-F1, subject accuracy and the false-alarm rate on
texts with no sign. With --min-micro-f1 / --max-false-alarm it exits non-zero when the gate fails,
so `make test` can hold the detector to its numbers.
"""

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Dict, List

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from actions.signs import detect_signs  # noqa: E402
from actions.signs.catalogue import catalogue  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "signs_dev.jsonl"


def load(path: Path) -> List[Dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def evaluate(examples: List[Dict], show_errors: bool) -> Dict[str, float]:
    tp, fp, fn = Counter(), Counter(), Counter()
    subject_right = subject_total = 0
    no_sign_total = false_alarms = 0
    for example in examples:
        gold = set(example["labels"])
        signs = detect_signs(example["text"])
        found = {sign.label for sign in signs}
        for label in found & gold:
            tp[label] += 1
        for label in found - gold:
            fp[label] += 1
        for label in gold - found:
            fn[label] += 1
        if not gold:
            no_sign_total += 1
            false_alarms += bool(found)
        if "subject" in example:
            for sign in signs:
                if sign.label in gold:
                    subject_total += 1
                    subject_right += sign.subject == example["subject"]
                    if show_errors and sign.subject != example["subject"]:
                        print(f"  SUBJECT {sign.label}: {sign.subject} != {example['subject']}: {example['text']}")
        if show_errors and found != gold:
            print(f"  missed={sorted(gold - found)} extra={sorted(found - gold)}: {example['text']}")

    print(f"{'label':<24}{'prec':>7}{'recall':>8}{'f1':>7}{'support':>9}")
    for label in catalogue().signs:
        precision = ratio(tp[label], tp[label] + fp[label])
        recall = ratio(tp[label], tp[label] + fn[label])
        support = tp[label] + fn[label]
        print(f"{label:<24}{precision:>7.2f}{recall:>8.2f}{f1(precision, recall):>7.2f}{support:>9}")
    total_tp, total_fp, total_fn = sum(tp.values()), sum(fp.values()), sum(fn.values())
    micro_p = ratio(total_tp, total_tp + total_fp)
    micro_r = ratio(total_tp, total_tp + total_fn)
    scores = {
        "micro_precision": micro_p,
        "micro_recall": micro_r,
        "micro_f1": f1(micro_p, micro_r),
        "subject_accuracy": ratio(subject_right, subject_total),
        "false_alarm_rate": ratio(false_alarms, no_sign_total),
    }
    print(f"\nexamples: {len(examples)}  (no-sign texts: {no_sign_total})")
    print(f"micro precision {micro_p:.3f}  recall {micro_r:.3f}  F1 {scores['micro_f1']:.3f}")
    print(f"subject accuracy {scores['subject_accuracy']:.3f} ({subject_right}/{subject_total} correctly found signs)")
    print(f"no-sign false-alarm rate {scores['false_alarm_rate']:.3f} ({false_alarms}/{no_sign_total})")
    return scores


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--min-micro-f1", type=float, help="fail when micro-F1 is lower")
    parser.add_argument("--max-false-alarm", type=float, help="fail when the no-sign false-alarm rate is higher")
    parser.add_argument("--errors", action="store_true", help="list every example the detector got wrong")
    args = parser.parse_args()
    scores = evaluate(load(args.data), args.errors)
    failures = []
    if args.min_micro_f1 is not None and scores["micro_f1"] < args.min_micro_f1:
        failures.append(f"micro-F1 {scores['micro_f1']:.3f} < {args.min_micro_f1}")
    if args.max_false_alarm is not None and scores["false_alarm_rate"] > args.max_false_alarm:
        failures.append(f"false-alarm rate {scores['false_alarm_rate']:.3f} > {args.max_false_alarm}")
    for failure in failures:
        print(f"GATE FAILED: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
