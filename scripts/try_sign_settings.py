"""Try a change of model.yml settings (or of training files) without touching the build: fit in
memory, calibrate thresholds on chosen sets only, and read chosen sets (not a test; figures for the
README's tables of what each change did).

    .venv/bin/python scripts/try_sign_settings.py --set classifier.C=8 \\
        --calibrate data/signs/dev.yml data/signs/dev_heldout_v1.yml data/signs/dev_heldout_v2.yml \\
        --read data/signs/dev_heldout_v4.yml data/signs/dev_heldout_v5.yml
    .venv/bin/python scripts/try_sign_settings.py --without more_r5_contrast ...   # leave a training file out
    .venv/bin/python scripts/try_sign_settings.py --add data/signs/dev_heldout_v1.yml ...  # train on a set too

Keeping the sets the choice is made on out of --calibrate is what makes their figures a fair
comparison between settings.
"""

import argparse
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from actions.signs import reader as reader_module  # noqa: E402
from actions.signs.chatter import chatter  # noqa: E402
from actions.signs.corpus import REPO, load, train_paths  # noqa: E402
from actions.signs.detector import detector  # noqa: E402
from actions.signs.evaluation import read_set, score  # noqa: E402
from actions.signs.model import load_config  # noqa: E402
from actions.signs.training import calibrate, fit  # noqa: E402


def overridden(config: dict, settings: list) -> dict:
    """model.yml with SECTION.KEY=VALUE (or KEY=VALUE) settings applied; values read as YAML."""
    for setting in settings:
        key, value = setting.split("=", 1)
        section, _, name = key.rpartition(".")
        (config[section] if section else config)[name] = yaml.safe_load(value)
    return config


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", nargs="*", default=[], help="SECTION.KEY=VALUE settings of model.yml")
    parser.add_argument("--without", default="", help="leave out training files whose name contains this")
    parser.add_argument("--add", nargs="*", default=[], help="more files to train on (e.g. a development set)")
    parser.add_argument("--calibrate", nargs="+", required=True, help="sets the thresholds come from")
    parser.add_argument("--read", nargs="+", required=True, help="sets to read (add 'chatter' for chatter)")
    args = parser.parse_args()
    config = overridden(load_config(), args.set)
    reader_module.load_config = lambda: config  # the reader's gate and veto settings too
    files = train_paths() + [REPO / path for path in args.add]
    train = [e for e in load(files) if not (args.without and args.without in e.source)]
    learned = fit(train, config)
    calibrate(learned, load([REPO / path for path in args.calibrate]))
    reading = reader_module.SignReader(detector(), learned)
    print(f"{len(train)} training examples; settings {args.set or 'as in model.yml'}")
    for path in args.read:
        if path == "chatter":
            texts = chatter()
            print(f"{'chatter':32s} false alarms {sum(1 for t in texts if reading.detect(t)) / len(texts):.3f}")
            continue
        s = score(read_set(REPO / path), reading.detect).summary()
        print(f"{Path(path).name:32s} P {s['micro_precision']:.3f} R {s['micro_recall']:.3f} "
              f"F1 {s['micro_f1']:.3f} subject {s['subject_accuracy']:.3f} false alarms {s['false_alarm_rate']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
