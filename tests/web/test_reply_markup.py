"""The chat widget renders replies as Markdown, so a reply's underscores or asterisks would vanish or
turn words bold: "When ___ happens, I feel ___." was shown as "When ***happens, I feel*** .". Replies
are plain words; the only underscores allowed are inside {placeholders}."""

import re
from pathlib import Path

import yaml

DOMAIN = Path(__file__).resolve().parents[2] / "domain"
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
MARKDOWN_EMPHASIS = re.compile(r"[_*]")


def reply_texts():
    for path in sorted(DOMAIN.glob("*.yml")):
        responses = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("responses") or {}
        for name, variations in responses.items():
            for variation in variations:
                if isinstance(variation, dict) and isinstance(variation.get("text"), str):
                    yield name, variation["text"]


def test_there_are_replies_to_check() -> None:
    assert sum(1 for _ in reply_texts()) > 300


def test_no_reply_carries_markdown_emphasis_the_widget_would_swallow() -> None:
    marked = [(name, text) for name, text in reply_texts() if MARKDOWN_EMPHASIS.search(PLACEHOLDER.sub("", text))]
    assert not marked, marked
