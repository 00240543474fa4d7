"""Score the sign reader (catalogue + model) on a labelled set and, if asked, gate on it.

    scripts/eval_signs.py tests/data/signs_model_holdout.yml --if-present --min-micro-f1 0.90 ...
    scripts/eval_signs.py data/signs/dev.yml --rules-only      # the catalogue alone
    scripts/eval_signs.py --cv 5                               # cross-validation on the training corpus
    scripts/eval_signs.py chatter --max-false-alarm 0.02       # conversation chatter (no sign expected)

Prints per-label precision / recall / F1, micro figures, subject accuracy, the false-alarm rate on
texts without a sign, and the confusion between people_pleasing, poor_boundaries and
self_sacrifice. Exits non-zero when a gate given on the command line is not met.
"""

import argparse
import random
import sys
from pathlib import Path
from typing import Dict, List

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from actions.signs import detect_signs  # noqa: E402
from actions.signs.catalogue import catalogue  # noqa: E402
from actions.signs.chatter import chatter  # noqa: E402
from actions.signs.corpus import load_dev, load_train  # noqa: E402
from actions.signs.detector import detector  # noqa: E402
from actions.signs.evaluation import Gold, Scores, read_set, report, score  # noqa: E402
from actions.signs.model import load_config, model  # noqa: E402
from actions.signs.reader import SignReader  # noqa: E402
from actions.signs.training import calibrate, fit  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "signs_dev.jsonl"
# (command-line option, summary figure, True when the figure must be at least the bound)
GATES = (
    ("min_micro_f1", "micro_f1", True),
    ("min_precision", "micro_precision", True),
    ("min_recall", "micro_recall", True),
    ("min_subject_accuracy", "subject_accuracy", True),
    ("max_false_alarm", "false_alarm_rate", False),
)


def cross_validate(folds: int, seed: int = 15) -> Scores:
    """k-fold on the training corpus: fit on k-1 folds, thresholds from the dev sets, score the rest."""
    examples, dev = load_train(), load_dev()
    random.Random(seed).shuffle(examples)
    config = load_config()
    total = Scores()
    for fold in range(folds):
        held = examples[fold::folds]
        rest = [example for index, example in enumerate(examples) if index % folds != fold]
        learned = fit(rest, config)
        calibrate(learned, dev)
        reader = SignReader(detector(), learned)
        golds = [Gold(e.text, {s.label: s.subject for s in e.signs}) for e in held]
        part = score(golds, reader.detect)
        print(f"  fold {fold + 1}/{folds}: micro-F1 {part.summary()['micro_f1']:.3f} on {len(held)} examples")
        for name in ("tp", "fp", "fn"):
            getattr(total, name).update(getattr(part, name))
        for name in ("subject_right", "subject_total", "no_sign", "false_alarms"):
            setattr(total, name, getattr(total, name) + getattr(part, name))
        for label, counts in part.confusion.items():
            total.confusion[label].update(counts)
    return total


def gate_failures(figures: Dict[str, float], args: argparse.Namespace) -> List[str]:
    failures = []
    for option, figure, at_least in GATES:
        bound = getattr(args, option)
        if bound is None:
            continue
        if (figures[figure] < bound) if at_least else (figures[figure] > bound):
            failures.append(f"{figure} {figures[figure]:.3f} {'<' if at_least else '>'} {bound}")
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA,
                        help="a labelled set, or 'chatter' for the conversation chatter (actions/signs/chatter.py)")
    parser.add_argument("--if-present", action="store_true", help="skip (exit 0) when the set does not exist yet")
    parser.add_argument("--rules-only", action="store_true", help="score the catalogue without the model")
    parser.add_argument("--cv", type=int, metavar="K", help="K-fold cross-validation on data/signs/train instead")
    parser.add_argument("--errors", action="store_true", help="list every text read wrongly")
    for option, _, at_least in GATES:
        parser.add_argument("--" + option.replace("_", "-"), type=float, help="gate: fail when not met")
    args = parser.parse_args()
    labels = list(catalogue().signs)
    if args.cv:
        print(f"{args.cv}-fold cross-validation on the training corpus (thresholds from the dev sets)")
        scores = cross_validate(args.cv)
    else:
        is_chatter = str(args.data) == "chatter"
        if not is_chatter and not args.data.exists():
            print(f"SKIPPED: {args.data} does not exist yet (gate not applied)")
            return 0 if args.if_present else 1
        if model() is None and not args.rules_only:
            print("note: no trained sign model in models/signs (run `make train-signs`); catalogue only")
        read = detector().detect if args.rules_only else detect_signs
        golds = [Gold(text, {}) for text in chatter()] if is_chatter else read_set(args.data)
        if args.errors:
            read = _showing_errors(read)
        print(f"{args.data.name}: {len(golds)} texts, {'catalogue only' if args.rules_only else 'catalogue + model'}")
        scores = score(golds, read)
    print(report(scores, labels))
    failures = gate_failures(scores.summary(), args)
    for failure in failures:
        print(f"GATE FAILED: {failure}", file=sys.stderr)
    if not failures and any(getattr(args, option) is not None for option, _, _ in GATES):
        print("gate: passed")
    return 1 if failures else 0


def _showing_errors(read):
    def wrapped(text: str):
        signs = read(text)
        print(f"  {[(s.label, s.subject, s.source) for s in signs]}: {text}")
        return signs
    return wrapped


if __name__ == "__main__":
    sys.exit(main())
