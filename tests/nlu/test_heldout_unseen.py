"""The NLU held-out set measures messages the model has never seen: none of its examples may also be
a training example (data/nlu), or `make test-nlu` reports a figure inflated by memorised answers.
On 2026-12-04, 95 such examples ("yes", "thanks", "cancel my reminders"...) were found in the first
held-out set and removed; its successor, written without seeing data/nlu, still shared 75."""

import re
from pathlib import Path
from typing import Dict, List, Tuple

import yaml

REPO = Path(__file__).resolve().parents[2]
# "[words](entity)" and "[words]{\"entity\": ...}" both reduce to their words.
ANNOTATION = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")


def examples(folder: Path) -> Dict[str, List[Tuple[str, str]]]:
    """Normalised example text -> [(file, intent)], entity annotations reduced to their words."""
    found: Dict[str, List[Tuple[str, str]]] = {}
    for path in sorted(folder.glob("*.yml")):
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            if "intent" not in block:
                continue
            for line in block["examples"].splitlines():
                line = line.strip()
                if line.startswith("- "):
                    text = " ".join(ANNOTATION.sub(r"\1", line[2:]).lower().split())
                    found.setdefault(text, []).append((path.name, block["intent"]))
    return found


def test_no_held_out_example_is_also_a_training_example() -> None:
    training = examples(REPO / "data" / "nlu")
    held_out = examples(REPO / "tests" / "nlu")
    assert held_out, "the held-out set was not found"
    shared = {text: (where, training[text]) for text, where in held_out.items() if text in training}
    assert not shared, f"held-out examples that are also training examples: {shared}"
