"""Run `rasa train` with every core, its output in a log file, and one line of progress on screen.

Training is the longest step of a first `make run`. Rasa prints pages of log lines and warnings
meanwhile; a person waiting wants to know which step it is on and roughly how long is left. The
full output goes to `.rasa/train.log` (printed in part if training fails).

TensorFlow gets all cores here (`TF_*_PARALLELISM_THREADS=0`) unless the caller set
`TRAIN_TF_THREADS`; serving keeps one thread (Makefile). `TF_DETERMINISTIC_OPS=1` keeps a model
trained twice on the same data the same, so what CI measures is what people get.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Optional

LOG = Path(".rasa/train.log")
# Rasa's log line when a graph component starts training, and what to call that step.
COMPONENT_STARTED = re.compile(r"Starting to train component '([^']+)'")
STEP_NAMES = {
    "LeanSpacyNLP": "reading the training examples",
    "DIETClassifier": "learning to understand messages",
    "MemoizationPolicy": "learning the conversations",
    "RulePolicy": "checking the conversation rules",
}
# tqdm's progress bar for DIET's epochs: "Epochs:  52%|█████▎    | 21/40 [03:53<01:42, ...".
EPOCHS = re.compile(r"Epochs:\s+\d+%\|[^|]*\|\s*(\d+)/(\d+) \[([\d:]+)<([\d:?]+)")


def minutes(clock: str) -> str:
    """tqdm's "01:42" (or "1:01:42") as words a person reads at a glance."""
    if "?" in clock:
        return "working out how long"
    seconds = 0
    for part in clock.split(":"):
        seconds = seconds * 60 + int(part)
    if seconds < 60:
        return "under a minute left"
    return f"about {round(seconds / 60)} min left"


class ProgressLine:
    """One line that is rewritten on a terminal, and printed only when its words change elsewhere."""

    def __init__(self, stream=sys.stdout) -> None:
        self.stream = stream
        self.on_terminal = stream.isatty()
        self.last = ""

    def show(self, text: str) -> None:
        if text == self.last:
            return
        self.last = text
        if self.on_terminal:
            self.stream.write("\r\033[K  " + text)
        else:
            self.stream.write("  " + text + "\n")
        self.stream.flush()

    def done(self) -> None:
        if self.on_terminal and self.last:
            self.stream.write("\n")
            self.stream.flush()


def describe(line: str, started: float) -> Optional[str]:
    """What a log line says about progress, in words; None when it says nothing new."""
    epochs = EPOCHS.search(line)
    if epochs:
        done, total, _, left = epochs.groups()
        # A terminal can follow each epoch; a log reads better in quarters.
        if not sys.stdout.isatty() and int(done) % max(1, int(total) // 4) and done != total:
            return None
        return f"Training: learning to understand messages, round {done} of {total} ({minutes(left)})"
    component = COMPONENT_STARTED.search(line)
    if component and component.group(1) in STEP_NAMES:
        return f"Training: {STEP_NAMES[component.group(1)]} ({round(time.monotonic() - started)} s so far)"
    return None


def train(rasa: str, model_name: str) -> int:
    """Run `rasa train`, showing progress; its exit code."""
    env = dict(os.environ)
    threads = env.get("TRAIN_TF_THREADS", "0")
    env["TF_INTRA_OP_PARALLELISM_THREADS"] = threads
    env["TF_INTER_OP_PARALLELISM_THREADS"] = threads
    env.setdefault("TF_DETERMINISTIC_OPS", "1")
    LOG.parent.mkdir(parents=True, exist_ok=True)
    # `make validate` (and `make test`) check the data; here it would add a quarter of a minute.
    command = [rasa, "train", "--skip-validation", "--fixed-model-name", model_name]
    progress = ProgressLine()
    started = time.monotonic()
    progress.show("Training: starting")
    with LOG.open("w") as log, subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace", bufsize=1
    ) as process:
        assert process.stdout is not None
        buffer = ""
        # tqdm ends its updates with "\r", not "\n": read characters, split on both.
        while chunk := process.stdout.read(256):
            log.write(chunk)
            buffer += chunk
            *lines, buffer = re.split(r"[\r\n]", buffer)
            for line in lines:
                text = describe(line, started)
                if text:
                    progress.show(text)
        code = process.wait()
    progress.done()
    elapsed = round(time.monotonic() - started)
    if code != 0:
        print(f"Training failed after {elapsed} s. The last lines of {LOG}:", file=sys.stderr)
        print("".join(LOG.read_text(errors="replace").splitlines(keepends=True)[-30:]), file=sys.stderr)
    else:
        print(f"  Trained in {elapsed // 60} min {elapsed % 60} s (full output: {LOG}).")
    return code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rasa", default=".venv/bin/rasa")
    parser.add_argument("--model-name", required=True, help="passed to rasa train --fixed-model-name")
    args = parser.parse_args()
    sys.exit(train(args.rasa, args.model_name))


if __name__ == "__main__":
    main()
