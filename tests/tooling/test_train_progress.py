"""`make run` shows what training is doing and how long is left, in words (scripts/train.py)."""

import sys

import pytest

from scripts.train import describe, minutes


@pytest.mark.parametrize(
    "clock, words",
    [("00:42", "under a minute left"), ("02:31", "about 3 min left"), ("1:02:00", "about 62 min left"), ("?", "working out how long")],
)
def test_time_left_is_said_in_minutes(clock: str, words: str) -> None:
    assert minutes(clock) == words


def test_an_epoch_line_becomes_a_round_with_the_time_left(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    line = "Epochs:  52%|█████▎    | 21/40 [03:53<01:42,  5.42s/it, t_loss=2.84, i_acc=0.99]"
    assert describe(line, started=0) == "Training: learning to understand messages, round 21 of 40 (about 2 min left)"


def test_a_log_file_gets_only_every_quarter_of_the_rounds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys.stdout, "isatty", lambda: False)
    shown = [n for n in range(1, 41) if describe(f"Epochs: 50%|##  | {n}/40 [00:10<00:10, 1.0s/it]", started=0)]
    assert shown == [10, 20, 30, 40]


def test_a_component_starting_names_the_step_and_other_log_lines_say_nothing() -> None:
    started = describe("2026-12-03 INFO rasa.engine.training.hooks - Starting to train component 'RulePolicy'.", started=0)
    assert started is not None and started.startswith("Training: checking the conversation rules")
    assert describe("2026-12-03 INFO rasa.engine.training.hooks - Finished training component 'RulePolicy'.", 0) is None
    assert describe("UserWarning: something deprecated", 0) is None
