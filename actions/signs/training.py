"""Fit the sign model on corpus examples and calibrate its per-label thresholds on the dev set.

Shared by scripts/train_signs.py (the build), scripts/eval_signs.py (cross-validation) and
scripts/compare_sign_models.py, so every figure comes from the same code that makes the model.
"""

from functools import lru_cache
from typing import Dict, List, Sequence, Tuple

from spacy.tokens import Doc

from actions.signs.corpus import Example
from actions.signs.detector import detector
from actions.signs.model import SignModel
from actions.signs.reader import SignReader
from actions.signs.units import unit_labels, units


@lru_cache(maxsize=None)
def parsed(text: str) -> Doc:
    """The text parsed as the detector parses it, once per process (cross-validation refits often)."""
    return detector().parse(text)


def training_units(examples: Sequence[Example], clauses: bool) -> Tuple[list, List[frozenset]]:
    """Every unit of every example with the labels it carries."""
    spans, targets = [], []
    for example in examples:
        found = units(parsed(example.text), clauses)
        gold = [(sign.label, sign.start, sign.end) for sign in example.signs]
        spans += [unit.span for unit in found]
        targets += unit_labels(found, gold)
    return spans, targets


def fit(examples: Sequence[Example], config: Dict) -> SignModel:
    """A logistic-regression sign model on these examples (thresholds not yet calibrated)."""
    labels = list(detector().book.signs)
    spans, targets = training_units(examples, config.get("units", "clause") == "clause")
    return SignModel(labels, config).fit(spans, targets)


def dev_readings(learned: SignModel, examples: Sequence[Example]) -> List[Tuple[set, Dict[str, float]]]:
    """Per example: the labels the rules found, and the model's best claimable score per label."""
    reader = SignReader(detector(), learned)
    readings = []
    for example in examples:
        reading = reader.rules.read(example.text, parsed(example.text))
        found = units(reading.doc, reader.clauses)
        scores = learned.scores([unit.span for unit in found])
        hits = reader.hits(reading, found, scores)
        ruled = {sign.label for sign in reader.rule_signs(reading, found, scores)}
        readings.append((ruled, {h.label: h.score for h in hits.values()}))
    return readings


def _f_beta(tp: int, fp: int, fn: int, beta: float) -> float:
    """F-beta: beta < 1 weighs precision more (a wrong sign named costs more than one missed)."""
    b2 = beta * beta
    return (1 + b2) * tp / ((1 + b2) * tp + b2 * fn + fp) if tp else 0.0


def calibrate(learned: SignModel, dev: Sequence[Example]) -> Dict[str, float]:
    """Per label, the threshold whose combined (rules or model) F-beta on dev is best; the higher
    one on a tie. A label with too few dev examples keeps the default from model.yml."""
    settings = learned.config["thresholds"]
    readings = dev_readings(learned, dev)
    thresholds: Dict[str, float] = {}
    for label in learned.labels:
        gold = [label in example.labels for example in dev]
        if sum(gold) < settings["min_dev_support"]:
            continue
        best = (-1.0, 0.0)
        for threshold in settings["grid"]:
            tp = fp = fn = 0
            for is_gold, (ruled, scores) in zip(gold, readings):
                found = label in ruled or scores.get(label, 0.0) >= threshold
                tp += found and is_gold
                fp += found and not is_gold
                fn += is_gold and not found
            best = max(best, (_f_beta(tp, fp, fn, settings.get("beta", 1.0)), threshold))
        thresholds[label] = best[1]
    learned.thresholds = thresholds
    return thresholds
