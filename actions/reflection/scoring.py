"""Scoring of the guided reflection: pure functions from answers to a result.

Every answer is a point on the 1–5 scale (Never … Always) or None when the person skipped it.
It becomes a *strain* between 0 and 1: how far the answer sits towards the pattern the question
looks for (0 = no sign at all, 1 = the strongest sign). Reverse-scored questions describe a
healthy habit, so "Always" is strain 0 there. Strains say "signs", never a diagnosis.
"""

from dataclasses import dataclass, field
from typing import Dict, List, Mapping, Optional, Sequence, Set

from actions.reflection.catalogue import PATTERNS, Question

SCALE_MIN, SCALE_MAX = 1, 5
# A theme shows a sign from an average "Sometimes" in the strained direction upwards.
SIGN_THRESHOLD = 0.5
# A strong sign: "Often" or "Always" in the strained direction. A pattern whose questions are a
# third (by weight) strong signs shows even if its average is below the sign threshold.
STRONG_SIGN = 0.75
STRONG_SHARE = 1 / 3
# A theme is a strength when the answer is "Rarely" or "Never" in the strained direction.
STRENGTH_THRESHOLD = 0.25
# One step on the scale: how far one pattern must lead to lean towards it when both show signs,
# and how much a theme must move between check-ins to count as a change.
ONE_STEP = 0.25

INTERDEPENDENCE, MIXED = "interdependence", "mixed"
EASIER, HARDER = "easier", "harder"


def strain(value: int, reverse: bool) -> float:
    """How strongly one answer points to the pattern (0–1)."""
    if not SCALE_MIN <= value <= SCALE_MAX:
        raise ValueError(f"answer {value} is outside {SCALE_MIN}–{SCALE_MAX}")
    towards_always = (value - SCALE_MIN) / (SCALE_MAX - SCALE_MIN)
    return 1.0 - towards_always if reverse else towards_always


def theme_strains(
    answers: Mapping[str, Optional[int]], questions: Sequence[Question]
) -> Dict[str, float]:
    """Strain per answered theme; skipped and missing themes are left out, not guessed."""
    return {
        q.theme: strain(answers[q.theme], q.reverse)
        for q in questions
        if answers.get(q.theme) is not None
    }


def pattern_index(
    strains: Mapping[str, float], questions: Sequence[Question], pattern: str
) -> Optional[float]:
    """Weighted mean strain of the answered questions that inform a pattern (None if none)."""
    weighted = [
        (q.weight, strains[q.theme])
        for q in questions
        if pattern in q.informs and q.theme in strains
    ]
    total_weight = sum(weight for weight, _ in weighted)
    if not total_weight:
        return None
    # Rounded so that a mean sitting exactly on a threshold is not pushed off it by float error.
    return round(sum(weight * value for weight, value in weighted) / total_weight, 6)


def strong_share(
    strains: Mapping[str, float], questions: Sequence[Question], pattern: str
) -> Optional[float]:
    """Share (by weight) of a pattern's answered questions with a strong sign (None if none)."""
    answered = [q for q in questions if pattern in q.informs and q.theme in strains]
    total_weight = sum(q.weight for q in answered)
    if not total_weight:
        return None
    strong = sum(q.weight for q in answered if strains[q.theme] >= STRONG_SIGN)
    return strong / total_weight


def shows(index: Optional[float], strong: Optional[float]) -> bool:
    """A pattern shows when its answers average a sign, or a third of them are strong signs.

    The second half keeps a few clear signs ("Always" on three questions) from being averaged
    away by calm answers elsewhere.
    """
    if index is None or strong is None:
        return False
    return index >= SIGN_THRESHOLD or strong >= STRONG_SHARE


def lean(indices: Mapping[str, Optional[float]], showing: Set[str]) -> Optional[str]:
    """Which pattern the answers lean towards, or None when nothing was answered.

    No pattern showing → interdependence. One → that pattern. Both → the one whose index is
    clearly higher (one scale step ahead), otherwise mixed.
    """
    if all(index is None for index in indices.values()):
        return None
    if not showing:
        return INTERDEPENDENCE
    if len(showing) == 1:
        return next(iter(showing))
    (first, high), (_, low) = sorted(
        ((pattern, indices[pattern] or 0.0) for pattern in showing), key=lambda item: -item[1]
    )
    return first if high - low >= ONE_STEP else MIXED


def _order(questions: Sequence[Question]) -> Dict[str, int]:
    return {q.theme: position for position, q in enumerate(questions)}


def weakest_themes(
    strains: Mapping[str, float], questions: Sequence[Question], limit: int = 3
) -> List[str]:
    """Themes showing signs, strongest first (ties: heavier weight, then question order)."""
    order, weights = _order(questions), {q.theme: q.weight for q in questions}
    showing = [theme for theme, value in strains.items() if value >= SIGN_THRESHOLD]
    showing.sort(key=lambda theme: (-strains[theme], -weights[theme], order[theme]))
    return showing[:limit]


def strength_themes(
    strains: Mapping[str, float], questions: Sequence[Question], limit: int = 3
) -> List[str]:
    """Themes with the least strain, healthiest first (ties: heavier weight, then order)."""
    order, weights = _order(questions), {q.theme: q.weight for q in questions}
    strong = [theme for theme, value in strains.items() if value <= STRENGTH_THRESHOLD]
    strong.sort(key=lambda theme: (strains[theme], -weights[theme], order[theme]))
    return strong[:limit]


@dataclass(frozen=True)
class Result:
    """What one check-in's answers suggest; `weakest` is also the order of the coaching plan."""

    strains: Dict[str, float]
    indices: Dict[str, Optional[float]]
    lean: Optional[str]
    weakest: List[str] = field(default_factory=list)
    strengths: List[str] = field(default_factory=list)


def score(answers: Mapping[str, Optional[int]], questions: Sequence[Question]) -> Result:
    """Score a check-in: answers by theme (1–5, None = skipped) → the result."""
    strains = theme_strains(answers, questions)
    indices = {pattern: pattern_index(strains, questions, pattern) for pattern in PATTERNS}
    showing = {
        pattern
        for pattern in PATTERNS
        if shows(indices[pattern], strong_share(strains, questions, pattern))
    }
    return Result(
        strains=strains,
        indices=indices,
        lean=lean(indices, showing),
        weakest=weakest_themes(strains, questions),
        strengths=strength_themes(strains, questions),
    )


@dataclass(frozen=True)
class Change:
    """A theme that moved by at least one scale step since the last check-in."""

    theme: str
    direction: str
    before: float
    after: float


def compare(
    previous: Mapping[str, float], current: Mapping[str, float], questions: Sequence[Question]
) -> List[Change]:
    """Themes that got easier (were a sign, now a step lower) or harder (now a sign, a step higher).

    Biggest moves first; themes answered only once are not compared.
    """
    changes = []
    for q in questions:
        if q.theme not in previous or q.theme not in current:
            continue
        before, after = previous[q.theme], current[q.theme]
        if before >= SIGN_THRESHOLD and after <= before - ONE_STEP:
            changes.append(Change(q.theme, EASIER, before, after))
        elif after >= SIGN_THRESHOLD and after >= before + ONE_STEP:
            changes.append(Change(q.theme, HARDER, before, after))
    order = _order(questions)
    changes.sort(key=lambda change: (-abs(change.after - change.before), order[change.theme]))
    return changes
