"""Two people's check-in levels side by side, as conversation starters and never as a verdict.

Only levels are compared (1–5 per theme, None when skipped). Lines say "you both" or "you see
this differently", never whose answer was which and never who has a pattern. Wording:
compare.yml. One shared exercise comes from the coaching content of the theme that most needs
a conversation; a couples counsellor is suggested when both of you show strain on several themes.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Mapping, Optional, Sequence

import yaml

from actions.reflection.catalogue import Question
from actions.reflection.scoring import SIGN_THRESHOLD, STRENGTH_THRESHOLD, strain

WORDING_FILE = Path(__file__).with_name("compare.yml")
SHOWN_AGREEMENTS = 3
SHOWN_DIFFERENCES = 3
# Themes on which both show strain before a couples counsellor is suggested.
COUNSELLOR_SHARED_STRAINS = 3
# The theme whose exercise is made for two people, used when nothing stands out.
TOGETHER_THEME = "talking_needs"

Levels = Mapping[str, Optional[int]]


@dataclass(frozen=True)
class Comparison:
    """What to say: agreements and differences (largest first), skipped themes, one exercise."""

    agreements: List[str]
    differences: List[str]
    skipped: List[str]
    exercise: str
    exercise_label: str
    suggest_counsellor: bool


@lru_cache(maxsize=1)
def wording() -> Dict[str, str]:
    with WORDING_FILE.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _line(key: str, question: Question) -> str:
    label = question.label
    return wording()[key].format(label=label[:1].upper() + label[1:])


def _agreement_key(mine: float, theirs: float) -> str:
    if min(mine, theirs) >= SIGN_THRESHOLD:
        return "agree_strained"
    if max(mine, theirs) <= STRENGTH_THRESHOLD:
        return "agree_easy"
    return "agree_middle"


def compare_levels(mine: Levels, theirs: Levels, questions: Sequence[Question]) -> Comparison:
    """Per theme: agree (within one step), differ (two or three), opposite (four), or skipped."""
    agreements, differences, skipped = [], [], []
    gaps: Dict[str, int] = {}
    shared_strain: Dict[str, float] = {}
    for question in questions:
        a, b = mine.get(question.theme), theirs.get(question.theme)
        if a is None or b is None:
            skipped.append(_line("skipped", question))
            continue
        gap = abs(a - b)
        strains = (strain(a, question.reverse), strain(b, question.reverse))
        shared_strain[question.theme] = min(strains)
        if gap <= 1:
            agreements.append((min(strains), _line(_agreement_key(*strains), question)))
        else:
            gaps[question.theme] = gap
            differences.append((gap, _line("opposite" if gap >= 4 else "differ", question)))
    by_theme = {question.theme: question for question in questions}
    focus = _focus_theme(gaps, shared_strain, by_theme)
    return Comparison(
        agreements=[line for _, line in sorted(agreements, key=lambda item: -item[0])][:SHOWN_AGREEMENTS],
        differences=[line for _, line in sorted(differences, key=lambda item: -item[0])][:SHOWN_DIFFERENCES],
        skipped=skipped,
        exercise=focus.exercise if focus else "",
        exercise_label=focus.label if focus else "",
        suggest_counsellor=sum(value >= SIGN_THRESHOLD for value in shared_strain.values()) >= COUNSELLOR_SHARED_STRAINS,
    )


def _focus_theme(
    gaps: Mapping[str, int], shared_strain: Mapping[str, float], by_theme: Mapping[str, Question]
) -> Optional[Question]:
    """The theme to practise together: the largest difference, else the strain you share most."""
    if gaps:
        return by_theme[max(gaps, key=lambda theme: gaps[theme])]
    strained = {theme: value for theme, value in shared_strain.items() if value >= SIGN_THRESHOLD}
    if strained:
        return by_theme[max(strained, key=lambda theme: strained[theme])]
    return by_theme.get(TOGETHER_THEME) or next(iter(by_theme.values()), None)
