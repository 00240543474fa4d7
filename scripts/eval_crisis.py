"""Crisis gate: recall and false-alarm rate of the crisis matcher on the labelled test set.

Each message is checked the three ways it reaches the matcher: as the Rasa server's SpacyNLP doc
(lower-cased, parsed without the dependency parser), as plain text (how an action calls it), and
as a doc of the text as typed (an action that already parsed the message). All must pass. Exit status 0 only when recall is 100%
and false alarms are at most 5%; misses and false alarms are listed so they can be fixed in
actions/safety/crisis_patterns.yml (with a unit test), never by copying test sentences there.

Usage: .venv/bin/python scripts/eval_crisis.py [path/to/set.jsonl]
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from actions.nlp import load_nlp  # noqa: E402
from actions.safety.crisis import CrisisMatch, find_crisis  # noqa: E402

DEFAULT_SET = ROOT / "tests" / "data" / "crisis.jsonl"
REQUIRED_RECALL = 1.0
MAX_FALSE_ALARM_RATE = 0.05
# rasa.nlu.utils.spacy_utils.SpacyNLP loads the pipeline with disable=["parser"] and lower-cases.
RASA_DISABLED_PIPES = ["parser"]


@dataclass
class Result:
    name: str
    positives: int = 0
    negatives: int = 0
    misses: list[dict] = field(default_factory=list)
    false_alarms: list[tuple[dict, CrisisMatch]] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return (self.positives - len(self.misses)) / self.positives if self.positives else 0.0

    @property
    def false_alarm_rate(self) -> float:
        return len(self.false_alarms) / self.negatives if self.negatives else 0.0

    @property
    def passed(self) -> bool:
        return self.recall >= REQUIRED_RECALL and self.false_alarm_rate <= MAX_FALSE_ALARM_RATE


def load_set(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def evaluate(name: str, examples: list[dict], check: Callable[[str], CrisisMatch | None]) -> Result:
    result = Result(name)
    for example in examples:
        match = check(example["text"])
        if example["crisis"]:
            result.positives += 1
            if match is None:
                result.misses.append(example)
        else:
            result.negatives += 1
            if match is not None:
                result.false_alarms.append((example, match))
    return result


def report(result: Result) -> None:
    print(
        f"[{result.name}] recall {result.recall:.1%} "
        f"({result.positives - len(result.misses)}/{result.positives}), "
        f"false alarms {result.false_alarm_rate:.1%} "
        f"({len(result.false_alarms)}/{result.negatives}) -> {'PASS' if result.passed else 'FAIL'}"
    )
    for example in result.misses:
        print(f"  miss ({example.get('kind', '?')}): {example['text']}")
    for example, match in result.false_alarms:
        print(f"  false alarm ({example.get('kind', '?')}): {example['text']}  <- {match.kind}: "
              f"'{match.evidence}'")


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else DEFAULT_SET
    examples = load_set(path)
    nlp = load_nlp()

    def as_rasa_server_parses(text: str) -> CrisisMatch | None:
        with nlp.select_pipes(disable=RASA_DISABLED_PIPES):
            return find_crisis(nlp(text.lower()))

    results = [
        evaluate("Rasa server doc (lower-cased, no parser)", examples, as_rasa_server_parses),
        evaluate("plain text", examples, find_crisis),
        evaluate("doc of the text as typed", examples, lambda text: find_crisis(nlp(text))),
    ]
    print(f"crisis gate on {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: "
          f"recall must be {REQUIRED_RECALL:.0%}, false alarms at most {MAX_FALSE_ALARM_RATE:.0%}")
    for result in results:
        report(result)
    return 0 if all(result.passed for result in results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
