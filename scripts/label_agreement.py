"""How far independent labellers agree on the signs in a set, and where the reader stands among them.

    scripts/label_agreement.py data/signs/dev_heldout_v9.yml data/signs/agreement/v9_labelling_*.yml

The first file is the set as its writer labelled it; each further file labels the same texts (in
the same order) by an independent labeller who saw only the label definitions. Prints, for every
pair of labellings and for the reader against each of them, micro precision / recall / F1 (the
row's labels scored against the column's), subject agreement on the signs both found, and how often
a text one called sign-free got a sign from the other; then the mean F1 of the people with one
another and of the reader with the people, and the reader against the signs most people gave
("people" here are the writer and the labellers, whoever they were: see the files' headers).

The labellers' mutual F1 is the ceiling a reader can be measured to: a target above it measures
their disagreement, not the reader.
"""

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import Dict, List, Sequence

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from actions.signs import detect_signs  # noqa: E402
from actions.signs.evaluation import Gold, Scores, read_set  # noqa: E402

Labelling = List[Dict[str, str]]  # per text: label -> subject


def compare(reference: Labelling, other: Labelling, texts: Sequence[str]) -> Dict[str, float]:
    scores = Scores()
    for text, gold, found in zip(texts, reference, other):
        scores.add(Gold(text, gold), found)
    return scores.summary()


def read(text: str) -> Dict[str, str]:
    """The reader's signs as label -> subject, the first of a label kept (as evaluation.score does)."""
    found: Dict[str, str] = {}
    for sign in detect_signs(text):
        found.setdefault(sign.label, sign.subject)
    return found


def majority(labellings: Sequence[Labelling]) -> Labelling:
    """Per text, the labels more than half of the labellings gave, each with its commonest subject."""
    agreed = []
    for per_text in zip(*labellings):
        votes = Counter(label for labels in per_text for label in labels)
        agreed.append({
            label: Counter(labels[label] for labels in per_text if label in labels).most_common(1)[0][0]
            for label, count in votes.items() if 2 * count > len(per_text)
        })
    return agreed


def row(name: str, figures: Dict[str, float]) -> str:
    return (f"{name:<34}{figures['micro_precision']:>7.3f}{figures['micro_recall']:>8.3f}"
            f"{figures['micro_f1']:>7.3f}{figures['subject_accuracy']:>9.3f}{figures['false_alarm_rate']:>8.3f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("written", type=Path, help="the set with its writer's labels")
    parser.add_argument("labellers", type=Path, nargs="+", help="the same texts labelled by others")
    args = parser.parse_args()
    written = read_set(args.written)
    texts = [gold.text for gold in written]
    people = {"writer": [gold.subjects for gold in written]}
    for path in args.labellers:
        golds = read_set(path)
        if [gold.text for gold in golds] != texts:
            print(f"{path}: its texts are not the set's texts in the set's order", file=sys.stderr)
            return 1
        people[path.stem] = [gold.subjects for gold in golds]
    reader = [read(text) for text in texts]
    print(f"{args.written.name}: {len(texts)} texts, {len(people)} people and the reader")
    print(f"{'found by / scored against':<34}{'prec':>7}{'recall':>8}{'f1':>7}{'subject':>9}{'alarms':>8}")
    names = list(people)
    between_people, with_reader = [], []
    for index, first in enumerate(names):
        for second in names[index + 1:]:
            figures = compare(people[first], people[second], texts)
            between_people.append(figures["micro_f1"])
            print(row(f"{second} / {first}", figures))
    for name in names:
        figures = compare(people[name], reader, texts)
        with_reader.append(figures["micro_f1"])
        print(row(f"reader / {name}", figures))
    print(f"mean F1 between people {sum(between_people) / len(between_people):.3f}; "
          f"reader with people {sum(with_reader) / len(with_reader):.3f}")
    print(row("reader / most people", compare(majority(list(people.values())), reader, texts)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
