"""Compare candidate sign models by measurement (not a test; figures for the README and the note).

    nice .venv/bin/python scripts/compare_sign_models.py --cv 5 --candidates logreg-clause logreg-sentence spacy-bow spacy-ensemble

For each candidate: clause/sentence-level micro precision / recall / F1 on the dev sets (dev.yml
and, since the precision work, the earlier held-out sets (data/signs/dev*.yml); the units' labels come from the evidence spans;
threshold 0.5), the combined reader's message-level figures in k-fold cross-validation on the
training corpus (thresholds calibrated on the dev sets, as the build does), training time, scoring latency per message and the size of the artefact.
Candidates: logistic regression (scikit-learn, already installed with Rasa) on clause or sentence
units, and spaCy's textcat_multilabel with the bag-of-words or the ensemble architecture.
"""

import argparse
import copy
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Sequence

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from actions.signs.corpus import Example, load_dev, load_train  # noqa: E402
from actions.signs.detector import detector  # noqa: E402
from actions.signs.evaluation import Gold, Scores, score  # noqa: E402
from actions.signs.model import load_config  # noqa: E402
from actions.signs.reader import SignReader  # noqa: E402
from actions.signs.training import calibrate, fit, parsed, training_units  # noqa: E402
from actions.signs.units import units  # noqa: E402

TEXTCAT_ARCHS = {
    "spacy-bow": {"@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": False, "ngram_size": 2,
                  "no_output_layer": False, "length": 262144},
    "spacy-ensemble": {
        "@architectures": "spacy.TextCatEnsemble.v2",
        "linear_model": {"@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": False, "ngram_size": 2,
                         "no_output_layer": False, "length": 262144},
        "tok2vec": {
            "@architectures": "spacy.Tok2Vec.v2",
            "embed": {"@architectures": "spacy.MultiHashEmbed.v2", "width": 64, "rows": [2000, 2000, 1000, 1000],
                      "attrs": ["NORM", "LOWER", "PREFIX", "SUFFIX"], "include_static_vectors": False},
            "encode": {"@architectures": "spacy.MaxoutWindowEncoder.v2", "width": 64, "window_size": 1,
                       "maxout_pieces": 3, "depth": 2},
        },
    },
}


class TextcatModel:
    """spaCy textcat_multilabel on the units' text, with the same interface as SignModel."""

    def __init__(self, labels: List[str], config: Dict, arch: Dict, epochs: int) -> None:
        import spacy

        self.labels, self.config, self.thresholds = labels, config, {}
        self.nlp = spacy.blank("en")
        textcat = self.nlp.add_pipe("textcat_multilabel", config={"model": arch, "threshold": 0.5})
        for label in labels:
            textcat.add_label(label)
        self.epochs = epochs

    def fit(self, spans: Sequence, targets: Sequence[frozenset]) -> "TextcatModel":
        from spacy.training import Example as SpacyExample
        from spacy.util import minibatch

        data = [
            SpacyExample.from_dict(self.nlp.make_doc(span.text), {"cats": {l: float(l in t) for l in self.labels}})
            for span, t in zip(spans, targets)
        ]
        optimizer = self.nlp.initialize(lambda: data)
        for _ in range(self.epochs):
            random.Random(len(data)).shuffle(data)
            for batch in minibatch(data, size=32):
                self.nlp.update(batch, sgd=optimizer, drop=0.2)
        return self

    def scores(self, spans: Sequence) -> np.ndarray:
        docs = list(self.nlp.pipe([span.text for span in spans]))
        return np.array([[doc.cats[label] for label in self.labels] for doc in docs]).reshape(len(docs), -1)

    def threshold(self, label: str) -> float:
        return self.thresholds.get(label, float(self.config["thresholds"]["default"]))

    def size(self) -> int:
        with tempfile.TemporaryDirectory() as folder:
            self.nlp.to_disk(folder)
            return sum(path.stat().st_size for path in Path(folder).rglob("*") if path.is_file())


OVERRIDES: List[str] = []


def configured() -> Dict:
    """model.yml with the --set overrides ("classifier.C=2", "classifier.class_weight=null")."""
    import yaml

    config = copy.deepcopy(load_config())
    for override in OVERRIDES:
        path, value = override.split("=", 1)
        *parents, key = path.split(".")
        target = config
        for parent in parents:
            target = target[parent]
        target[key] = yaml.safe_load(value)
    return config


def build(name: str, examples: Sequence[Example], epochs: int):
    config = configured()
    config["units"] = "sentence" if name.endswith("sentence") else "clause"
    if name.startswith("logreg"):
        return fit(examples, config)
    labels = list(detector().book.signs)
    spans, targets = training_units(examples, config["units"] == "clause")
    return TextcatModel(labels, config, TEXTCAT_ARCHS[name], epochs).fit(spans, targets)


def size_of(model) -> int:
    if hasattr(model, "size"):
        return model.size()
    import joblib

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.joblib"
        joblib.dump(model, path)
        return path.stat().st_size


def unit_level(model, dev: Sequence[Example]) -> Dict[str, float]:
    """Micro P/R/F1 over dev units at 0.5, each unit's labels from the evidence spans."""
    spans, targets = training_units(dev, model.config["units"] == "clause")
    predicted = model.scores(spans) >= 0.5
    gold = np.array([[label in t for label in model.labels] for t in targets])
    tp, fp, fn = (predicted & gold).sum(), (predicted & ~gold).sum(), (~predicted & gold).sum()
    precision, recall = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    return {"p": precision, "r": recall, "f1": 2 * precision * recall / max(precision + recall, 1e-9)}


def latency(model, texts: Sequence[str]) -> float:
    """Median ms per message for cutting the parse into units and scoring them (the model's share)."""
    clauses = model.config["units"] == "clause"
    timings = []
    for text in texts:
        doc = parsed(text)
        started = time.perf_counter()
        model.scores([unit.span for unit in units(doc, clauses)])
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def cross_validated(name: str, train: List[Example], dev: List[Example], folds: int, epochs: int) -> Scores:
    shuffled = list(train)
    random.Random(15).shuffle(shuffled)
    total = Scores()
    for fold in range(folds):
        rest = [example for index, example in enumerate(shuffled) if index % folds != fold]
        model = build(name, rest, epochs)
        calibrate(model, dev)
        reader = SignReader(detector(), model)
        part = score([Gold(e.text, {s.label: s.subject for s in e.signs}) for e in shuffled[fold::folds]],
                     reader.detect)
        for field in ("tp", "fp", "fn"):
            getattr(total, field).update(getattr(part, field))
        for field in ("subject_right", "subject_total", "no_sign", "false_alarms"):
            setattr(total, field, getattr(total, field) + getattr(part, field))
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", nargs="+", default=["logreg-clause", "logreg-sentence", "spacy-bow"])
    parser.add_argument("--cv", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=10, help="training epochs of the spaCy candidates")
    parser.add_argument("--set", nargs="*", default=[], help="model.yml overrides, e.g. classifier.C=2")
    args = parser.parse_args()
    OVERRIDES.extend(args.set)
    train, dev = load_train(), load_dev()
    print(f"train {len(train)} examples, dev {len(dev)} examples, {args.cv}-fold CV, overrides {args.set}")
    print("| candidate | dev units P / R / F1 | CV msg P / R / F1 | CV subject | CV false alarms | train s | ms/msg | artefact MB |")
    print("|---|---|---|---|---|---|---|---|")
    for name in args.candidates:
        started = time.perf_counter()
        model = build(name, train, args.epochs)
        seconds = time.perf_counter() - started
        unit = unit_level(model, dev)
        ms = latency(model, [example.text for example in dev])
        cv = cross_validated(name, train, dev, args.cv, args.epochs).summary() if args.cv else {}
        cv_text = (f"{cv['micro_precision']:.3f} / {cv['micro_recall']:.3f} / {cv['micro_f1']:.3f} | "
                   f"{cv['subject_accuracy']:.3f} | {cv['false_alarm_rate']:.3f}") if cv else "- | - | -"
        print(f"| {name} | {unit['p']:.3f} / {unit['r']:.3f} / {unit['f1']:.3f} | {cv_text} | {seconds:.0f} | "
              f"{ms:.2f} | {size_of(model) / 1e6:.1f} |", flush=True)


if __name__ == "__main__":
    main()
