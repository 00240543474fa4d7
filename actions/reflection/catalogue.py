"""The reflection's questions, answer scale and wording, read from questions.yml.

Content lives in the YAML file; this module only turns it into typed, immutable objects so the
scoring, answer mapping and actions can rely on the fields being present.
"""

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, Optional, Tuple

import yaml

QUESTIONS_FILE = Path(__file__).with_name("questions.yml")
PATTERNS = ("codependency", "counterdependency")


@dataclass(frozen=True)
class Question:
    """One theme of the check-in: how it is asked, explained, scored and coached."""

    slot: str
    theme: str
    label: str
    asked: str
    text: str
    why: str
    informs: Tuple[str, ...]
    weight: float
    reverse: bool
    topic: str
    strain_signs: Tuple[str, ...]
    healthy_signs: Tuple[str, ...]
    strength: str
    plan_step: str
    exercise: str


@dataclass(frozen=True)
class ScaleLevel:
    """One point of the 1–5 answer scale with its button title and the phrases that mean it."""

    value: int
    button: str
    phrases: Tuple[str, ...]


@dataclass(frozen=True)
class Catalogue:
    """Everything questions.yml defines, in the order the questions are asked."""

    questions: Tuple[Question, ...]
    scale: Tuple[ScaleLevel, ...]
    skip_phrases: Tuple[str, ...]
    wording: Dict[str, str]

    def by_slot(self, slot: str) -> Optional[Question]:
        return next((q for q in self.questions if q.slot == slot), None)

    def by_theme(self, theme: str) -> Optional[Question]:
        return next((q for q in self.questions if q.theme == theme), None)

    def position(self, slot: str) -> int:
        """1-based place of a question in the check-in (for "3 of 10")."""
        return [q.slot for q in self.questions].index(slot) + 1

    def button_title(self, value: int) -> str:
        return next(level.button for level in self.scale if level.value == value)


def _question(raw: dict) -> Question:
    informs = tuple(raw["informs"])
    unknown = set(informs) - set(PATTERNS)
    if unknown:
        raise ValueError(f"{raw['slot']}: unknown pattern(s) {sorted(unknown)}")
    signs = raw.get("signs") or {}
    return Question(
        slot=raw["slot"],
        theme=raw["theme"],
        label=raw["label"],
        asked=raw["asked"],
        text=raw["text"],
        why=raw["why"],
        informs=informs,
        weight=float(raw["weight"]),
        reverse=bool(raw["reverse"]),
        topic=raw["topic"],
        strain_signs=tuple(signs.get("strain") or ()),
        healthy_signs=tuple(signs.get("healthy") or ()),
        strength=raw["strength"],
        plan_step=raw["plan_step"],
        exercise=raw["exercise"],
    )


def _phrases(values: list, where: str) -> Tuple[str, ...]:
    """Phrases as given; YAML reads a bare no/yes as a boolean, so anything but text is refused."""
    odd = [value for value in values if not isinstance(value, str)]
    if odd:
        raise ValueError(f"{where}: quote these phrases in questions.yml: {odd}")
    return tuple(values)


def parse_catalogue(data: dict) -> Catalogue:
    """Build a Catalogue from the parsed YAML (tests pass their own small dictionaries)."""
    return Catalogue(
        questions=tuple(_question(raw) for raw in data["questions"]),
        scale=tuple(
            ScaleLevel(
                int(level["value"]), level["button"], _phrases(level["phrases"], level["button"])
            )
            for level in data["scale"]
        ),
        skip_phrases=_phrases(data.get("skip_phrases") or [], "skip_phrases"),
        wording=dict(data.get("wording") or {}),
    )


@lru_cache(maxsize=1)
def load_catalogue() -> Catalogue:
    """The catalogue of questions.yml, read once per process."""
    with QUESTIONS_FILE.open(encoding="utf-8") as handle:
        return parse_catalogue(yaml.safe_load(handle))
