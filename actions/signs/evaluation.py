"""Scores of a sign reader on a labelled set: per-label and micro precision / recall / F1, subject
accuracy, false alarms on texts without a sign, and the confusion between neighbouring labels.

Both label formats are read: the corpus YAML (a subject per sign) and the older JSON lines
({"text", "labels", "subject"}), so every set is scored by the same code.
"""

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Sequence

from actions.signs.corpus import load

# Labels that describe neighbouring behaviour and are easily taken for one another.
NEIGHBOURS = ("people_pleasing", "poor_boundaries", "self_sacrifice")


@dataclass(frozen=True)
class Gold:
    text: str
    subjects: Dict[str, str]  # label -> whose behaviour; empty for a text without a sign


def read_set(path: Path) -> List[Gold]:
    if path.suffix == ".jsonl":
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        return [Gold(row["text"], {label: row.get("subject", "") for label in row["labels"]}) for row in rows]
    return [Gold(e.text, {s.label: s.subject for s in e.signs}) for e in load([path])]


def _ratio(part: float, whole: float) -> float:
    return part / whole if whole else 0.0


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


@dataclass
class Scores:
    tp: Counter = field(default_factory=Counter)
    fp: Counter = field(default_factory=Counter)
    fn: Counter = field(default_factory=Counter)
    subject_right: int = 0
    subject_total: int = 0
    no_sign: int = 0
    false_alarms: int = 0
    confusion: Dict[str, Counter] = field(default_factory=lambda: {label: Counter() for label in NEIGHBOURS})

    def add(self, gold: Gold, found: Dict[str, str]) -> None:
        """One text: gold label -> subject, found label -> subject."""
        for label in found.keys() & gold.subjects.keys():
            self.tp[label] += 1
            if gold.subjects[label]:
                self.subject_total += 1
                self.subject_right += found[label] == gold.subjects[label]
        for label in found.keys() - gold.subjects.keys():
            self.fp[label] += 1
        for label in gold.subjects.keys() - found.keys():
            self.fn[label] += 1
        if not gold.subjects:
            self.no_sign += 1
            self.false_alarms += bool(found)
        for label in NEIGHBOURS:
            if label in gold.subjects:
                said = [other for other in NEIGHBOURS if other in found] or ["(none of them)"]
                self.confusion[label].update(said)

    def label(self, label: str) -> Dict[str, float]:
        precision = _ratio(self.tp[label], self.tp[label] + self.fp[label])
        recall = _ratio(self.tp[label], self.tp[label] + self.fn[label])
        return {"precision": precision, "recall": recall, "f1": _f1(precision, recall),
                "support": self.tp[label] + self.fn[label]}

    def summary(self) -> Dict[str, float]:
        tp, fp, fn = sum(self.tp.values()), sum(self.fp.values()), sum(self.fn.values())
        precision, recall = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
        return {
            "micro_precision": precision,
            "micro_recall": recall,
            "micro_f1": _f1(precision, recall),
            "subject_accuracy": _ratio(self.subject_right, self.subject_total),
            "false_alarm_rate": _ratio(self.false_alarms, self.no_sign),
        }


def score(golds: Sequence[Gold], read: Callable[[str], Sequence]) -> Scores:
    """Run `read` (text -> signs) over the set."""
    scores = Scores()
    for gold in golds:
        found: Dict[str, str] = {}
        for sign in read(gold.text):
            found.setdefault(sign.label, sign.subject)
        scores.add(gold, found)
    return scores


def report(scores: Scores, labels: Sequence[str]) -> str:
    lines = [f"{'label':<24}{'prec':>7}{'recall':>8}{'f1':>7}{'support':>9}"]
    for label in labels:
        row = scores.label(label)
        lines.append(f"{label:<24}{row['precision']:>7.2f}{row['recall']:>8.2f}{row['f1']:>7.2f}{row['support']:>9}")
    total = scores.summary()
    lines += [
        "",
        f"micro precision {total['micro_precision']:.3f}  recall {total['micro_recall']:.3f}  F1 {total['micro_f1']:.3f}",
        f"subject accuracy {total['subject_accuracy']:.3f} ({scores.subject_right}/{scores.subject_total} correctly found signs)",
        f"no-sign false-alarm rate {total['false_alarm_rate']:.3f} ({scores.false_alarms}/{scores.no_sign})",
        "confusion (gold -> which of the three was reported):",
    ]
    for label in NEIGHBOURS:
        said = ", ".join(f"{other} {count}" for other, count in sorted(scores.confusion[label].items()))
        lines.append(f"  {label:<18} -> {said or '-'}")
    return "\n".join(lines)
