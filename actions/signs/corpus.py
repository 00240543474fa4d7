"""The sign model's labelled corpus (data/signs/): loading and checking.

Training (data/signs/train/*.yml), threshold calibration (data/signs/dev*.yml: dev.yml and the
earlier held-out sets, each read once as held-out and then used for development) and the
held-out gate (tests/data/signs_model_holdout.yml) share one format, so one loader checks all: an
example whose evidence is not the writer's exact words cannot teach or measure anything.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Tuple

import yaml

from actions.signs.catalogue import SUBJECTS, catalogue

REPO = Path(__file__).resolve().parents[2]
TRAIN_DIR = REPO / "data" / "signs" / "train"
DEV_DIR = REPO / "data" / "signs"
HOLDOUT_PATH = REPO / "tests" / "data" / "signs_model_holdout.yml"


@dataclass(frozen=True)
class GoldSign:
    """One labelled sign: the label, whose behaviour, and where its evidence sits in the text."""

    label: str
    subject: str
    evidence: str
    start: int
    end: int


@dataclass(frozen=True)
class Example:
    text: str
    signs: Tuple[GoldSign, ...]
    source: str  # file name and position, for error messages

    @property
    def labels(self) -> frozenset:
        return frozenset(sign.label for sign in self.signs)


class CorpusError(ValueError):
    """A corpus file breaks the format (every problem is listed, one per line)."""


def _sign(raw: object, text: str, where: str, labels: Iterable[str]) -> Tuple[Optional[GoldSign], List[str]]:
    if not isinstance(raw, dict):
        return None, [f"{where}: a sign must be a mapping, got {raw!r}"]
    label, subject, evidence = raw.get("label"), raw.get("subject"), raw.get("evidence")
    problems = []
    if label not in labels:
        problems.append(f"{where}: unknown label {label!r}")
    if subject not in SUBJECTS:
        problems.append(f"{where}: unknown subject {subject!r}")
    if not isinstance(evidence, str) or not evidence.strip() or evidence not in text:
        problems.append(f"{where}: evidence is not an exact substring of the text: {evidence!r}")
    if problems:
        return None, problems
    start = text.index(evidence)
    return GoldSign(str(label), str(subject), evidence, start, start + len(evidence)), []


def parse_file(path: Path) -> Tuple[List[Example], List[str]]:
    """The examples of one file and every problem found in it (nothing raised here)."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        return [], [f"{path.name}: not valid YAML: {error}"]
    if not isinstance(raw, dict) or not isinstance(raw.get("examples"), list):
        return [], [f"{path.name}: expected a mapping with a list under 'examples'"]
    labels = set(catalogue().signs)
    examples, problems = [], []
    for number, item in enumerate(raw["examples"], start=1):
        where = f"{path.name} #{number}"
        text = item.get("text") if isinstance(item, dict) else None
        if not isinstance(text, str) or not text.strip():
            problems.append(f"{where}: missing text")
            continue
        signs = []
        for raw_sign in item.get("signs") or []:
            sign, found = _sign(raw_sign, text, where, labels)
            problems += found
            if sign:
                signs.append(sign)
        examples.append(Example(text, tuple(signs), where))
    return examples, problems


def load(paths: Iterable[Path]) -> List[Example]:
    """Every example of these files; CorpusError lists all problems, duplicates included."""
    examples: List[Example] = []
    problems: List[str] = []
    for path in paths:
        found, wrong = parse_file(path)
        examples += found
        problems += wrong
    seen: Dict[str, str] = {}
    for example in examples:
        key = " ".join(example.text.lower().split())
        if key in seen:
            problems.append(f"{example.source}: duplicate of {seen[key]}")
        seen.setdefault(key, example.source)
    if problems:
        raise CorpusError("\n".join(problems))
    return examples


def train_paths() -> List[Path]:
    return sorted(TRAIN_DIR.glob("*.yml"))


def held_out_paths() -> List[Path]:
    """The held-out sets (the gate and the earlier one kept beside it): never trained on."""
    return sorted(HOLDOUT_PATH.parent.glob("signs_model_holdout*.yml"))


def load_train() -> List[Example]:
    return load(train_paths())


def load_dev() -> List[Example]:
    """Every development set (data/signs/dev*.yml): thresholds are calibrated on all of it."""
    return load(sorted(DEV_DIR.glob("dev*.yml")))


def overlap(first: List[Example], second: List[Example]) -> List[str]:
    """Texts that are in both sets: a set used for tuning or gating must never be trained on."""
    texts = {" ".join(example.text.lower().split()) for example in first}
    return [example.source for example in second if " ".join(example.text.lower().split()) in texts]
