"""scripts/eval_signs.py's gate: every bound given is checked, and only those."""

import argparse
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))

from eval_signs import gate_failures  # noqa: E402

FIGURES = {"micro_f1": 0.80, "micro_precision": 0.78, "micro_recall": 0.82, "subject_accuracy": 0.93,
           "false_alarm_rate": 0.11}


def bounds(**given: float) -> argparse.Namespace:
    names = ("min_micro_f1", "min_precision", "min_recall", "min_subject_accuracy", "max_false_alarm")
    return argparse.Namespace(**{name: given.get(name) for name in names})


def test_each_missed_target_is_named() -> None:
    failures = gate_failures(FIGURES, bounds(min_micro_f1=0.9, min_recall=0.85, min_subject_accuracy=0.9,
                                             max_false_alarm=0.05))
    assert [failure.split()[0] for failure in failures] == ["micro_f1", "micro_recall", "false_alarm_rate"]


def test_no_bound_no_failure() -> None:
    assert gate_failures(FIGURES, bounds()) == []


def test_a_missing_held_out_set_is_skipped_only_when_allowed(tmp_path: Path) -> None:
    missing = tmp_path / "absent.yml"
    command = [sys.executable, "scripts/eval_signs.py", str(missing), "--min-micro-f1", "0.9"]
    skipped = subprocess.run(command + ["--if-present"], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert skipped.returncode == 0 and "SKIPPED" in skipped.stdout
    refused = subprocess.run(command, capture_output=True, text=True, cwd=REPO, timeout=120)
    assert refused.returncode != 0
