"""Train the sign model (models/signs/) from data/signs/train/*.yml, thresholds from the dev sets.

Run by `make` whenever the corpus or actions/signs/model.yml changed. Refuses to train when a
file breaks the corpus format, or when a training text also sits in a set used for tuning or
testing (the dev sets, the held-out files, tests/data/signs_*.jsonl, the conversation chatter of
actions/signs/chatter.py): those must stay unseen.
"""

import json
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from actions.signs.corpus import (  # noqa: E402
    REPO, CorpusError, Example, held_out_paths, load, load_dev, load_train, overlap,
)
from actions.signs.chatter import chatter  # noqa: E402
from actions.signs.model import MODEL_DIR, load_config  # noqa: E402
from actions.signs.training import calibrate, fit  # noqa: E402


def jsonl_examples(pattern: str) -> list:
    """The detector's older evaluation sets, as texts only (to keep them out of training)."""
    examples = []
    for path in sorted((REPO / "tests" / "data").glob(pattern)):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip():
                examples.append(Example(json.loads(line)["text"], (), f"{path.name} #{number}"))
    return examples


def main() -> int:
    started = time.perf_counter()
    try:
        train, dev = load_train(), load_dev()
        held_out = load(held_out_paths())
    except CorpusError as error:
        print(f"The sign corpus has problems:\n{error}", file=sys.stderr)
        return 1
    unseen = dev + held_out + jsonl_examples("signs_*.jsonl") + [Example(t, (), "chatter") for t in chatter()]
    leaks = overlap(train, unseen)
    if leaks:
        print("Training texts must not also be in dev/held-out/test sets:\n" + "\n".join(leaks), file=sys.stderr)
        return 1
    config = load_config()
    learned = fit(train, config)
    thresholds = calibrate(learned, dev)
    counts = Counter(label for example in train for label in example.labels)
    meta = {
        "train_examples": len(train),
        "train_without_sign": sum(1 for example in train if not example.signs),
        "train_per_label": dict(sorted(counts.items())),
        "dev_examples": len(dev),
        "thresholds": thresholds,
        "seconds": round(time.perf_counter() - started, 1),
    }
    learned.save(MODEL_DIR, meta)
    print(
        f"  sign model: {len(train)} training examples ({meta['train_without_sign']} without a sign), "
        f"thresholds from {len(dev)} dev examples, {meta['seconds']} s -> {MODEL_DIR.relative_to(REPO)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
