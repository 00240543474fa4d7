"""`python -m actions.signs`: JSON lines in ({"text": ...}), one JSON line out per input with the
input's fields plus "signs". rasa-sdk imports this module at server start, so all work happens
under the __main__ guard."""

import json
import sys
from typing import IO, Dict


def annotate(record: Dict[str, object]) -> Dict[str, object]:
    """The record with its signs added; a record without text gets an empty list."""
    from actions.signs import detect_signs

    text = record.get("text")
    signs = detect_signs(text) if isinstance(text, str) else []
    return {**record, "signs": [sign.to_dict() for sign in signs]}


def run(lines: IO[str], out: IO[str]) -> int:
    """Annotate every non-empty line; a line that is not a JSON object is reported and skipped."""
    status = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise ValueError("not a JSON object")
        except ValueError as error:
            print(f"line {number}: {error}", file=sys.stderr)
            status = 1
            continue
        out.write(json.dumps(annotate(record), ensure_ascii=False) + "\n")
        out.flush()
    return status


if __name__ == "__main__":
    sys.exit(run(sys.stdin, sys.stdout))
