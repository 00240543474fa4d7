"""Print the held-out intent scores from `rasa test nlu` and fail below the agreed macro-F1."""

import argparse
import json
import sys


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("report", help="intent_report.json written by `rasa test nlu`")
    parser.add_argument("--min-macro-f1", type=float, required=True)
    args = parser.parse_args()

    with open(args.report) as handle:
        report = json.load(handle)
    intents = {name: scores for name, scores in report.items() if isinstance(scores, dict) and "support" in scores and "avg" not in name}
    print(f"{'intent':28} {'precision':>9} {'recall':>7} {'f1':>6} {'n':>4}")
    for name, scores in sorted(intents.items(), key=lambda item: item[1]["f1-score"]):
        print(f"{name:28} {scores['precision']:9.2f} {scores['recall']:7.2f} {scores['f1-score']:6.2f} {scores['support']:4}")
    macro_f1 = report["macro avg"]["f1-score"]
    print(f"intent macro-F1 on the held-out set: {macro_f1:.3f} (gate ≥ {args.min_macro_f1:.2f})")
    if macro_f1 < args.min_macro_f1:
        sys.exit("NLU gate failed")


if __name__ == "__main__":
    main()
