"""Progress in words: what moved most, the plain-words change and the chart's text alternative.

Pure functions of the history, so the chart, the chat reply and the summary say the same thing.
"""

from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List

import yaml

from actions.progress.history import CheckIn
from actions.reflection.catalogue import PATTERNS, Catalogue
from actions.reflection.scoring import EASIER, compare

WORDING_FILE = Path(__file__).with_name("wording.yml")
MAX_CHANGES_TOLD = 2
MAX_THEMES_CHARTED = 3


@lru_cache(maxsize=1)
def wording() -> Dict[str, Any]:
    return yaml.safe_load(WORDING_FILE.read_text(encoding="utf-8"))


def level(value: float) -> str:
    """A 0–1 index or strain in words ("some signs"): people read words more easily than decimals."""
    return next(entry["word"] for entry in wording()["levels"] if value < entry["below"])


def day_words(check_in: CheckIn) -> str:
    """"3 November 2026", as the rest of the assistant writes dates."""
    return f"{check_in.day.day} {check_in.day:%B %Y}"


def moved_most(history: List[CheckIn], catalogue: Catalogue, limit: int = MAX_THEMES_CHARTED) -> List[str]:
    """Themes of the check-in answered first and latest that moved, biggest move first."""
    if len(history) < 2:
        return []
    first, last = history[0].strains, history[-1].strains
    shared = [q.theme for q in catalogue.questions if q.theme in first and q.theme in last]
    moved = [theme for theme in shared if abs(last[theme] - first[theme]) > 0]
    return sorted(moved, key=lambda theme: -abs(last[theme] - first[theme]))[:limit]


def change_sentences(history: List[CheckIn], catalogue: Catalogue) -> List[str]:
    """One or two sentences naming what changed since the first check-in ("Saying no has got easier")."""
    if len(history) < 2:
        return []
    texts, since = wording()["change"], day_words(history[0])
    changes = compare(history[0].strains, history[-1].strains, catalogue.questions)
    if not changes:
        return [texts["same"].format(date=since)]
    sentences = []
    for change in changes[:MAX_CHANGES_TOLD]:
        label = catalogue.by_theme(change.theme).label
        template = texts["easier"] if change.direction == EASIER else texts["harder"]
        sentences.append(template.format(label=label[:1].upper() + label[1:], date=since))
    return sentences


def text_alternative(history: List[CheckIn], catalogue: Catalogue) -> str:
    """What the chart shows, in sentences, for screen readers and for people who prefer words."""
    texts = wording()["alternative"]
    first, last = history[0], history[-1]
    dates = {"first": day_words(first), "last": day_words(last)}
    sentences = [texts["intro"].format(count=len(history), **dates)]
    for pattern in PATTERNS:
        before, after = first.indices.get(pattern), last.indices.get(pattern)
        if before is not None and after is not None:
            name = wording()["patterns"][pattern]
            sentences.append(texts["pattern"].format(pattern=name, before=level(before), after=level(after), **dates))
    for theme in moved_most(history, catalogue):
        label = catalogue.by_theme(theme).label
        sentences.append(
            texts["theme"].format(
                label=label[:1].upper() + label[1:],
                before=level(first.strains[theme]),
                after=level(last.strains[theme]),
                **dates,
            )
        )
    return " ".join(sentences)
