"""Turn what a person sends during the check-in into a point on the 1–5 scale.

In order: a scale button; a short reply that skips the question or names a frequency ("all the
time", "hardly ever", "not really"); the signs the sign detector finds in a longer reply about
the question's theme; a frequency word anywhere in a longer reply. When none of these gives an
answer the caller re-asks gently — nothing is guessed.
"""

import json
import logging
import re
from dataclasses import dataclass
from typing import Any, Callable, Optional, Sequence

from actions.reflection.catalogue import Catalogue, Question

logger = logging.getLogger(__name__)

ANSWER_INTENT = "answer_reflection"
LEVEL_ENTITY = "reflection_level"
# Replies up to this many words are read as a direct answer before the sign detector is tried:
# "not really" is an answer, "I never say no to her because she gets upset" is a description.
SHORT_REPLY_WORDS = 6
# Skipping is only read from short replies, so "next week I..." does not skip a question.
SKIP_REPLY_WORDS = 8
QUOTE_LIMIT = 120

SignDetector = Callable[[str], Sequence[Any]]

_BUTTON_PAYLOAD = re.compile(rf"^/{ANSWER_INTENT}(\{{.*\}})\s*$", re.DOTALL)
_NOT_WORD = re.compile(r"[^a-z0-9%/ ]+")
# Characters that chat clients may read as markup; a quoted answer must stay plain text.
_MARKUP = re.compile(r"[*_`~<>\[\]{}#|\\]+")


@dataclass(frozen=True)
class Answer:
    """One accepted answer: the scale value (None = skipped) and what to quote back later."""

    value: Optional[int]
    said: str
    source: str  # button | phrase | signs | skip


def normalise(text: str) -> str:
    """Lower case, apostrophes dropped ("don't" → "dont"), other punctuation as spaces."""
    text = text.lower().replace("'", "").replace("\u2019", "")
    return " ".join(_NOT_WORD.sub(" ", text).split())


def _contains(haystack: str, phrase: str) -> bool:
    return re.search(rf"(?<![a-z0-9]){re.escape(phrase)}(?![a-z0-9])", haystack) is not None


def quote(text: str, limit: int = QUOTE_LIMIT) -> str:
    """The person's words as plain text, without markup characters, cut at a word if long."""
    plain = " ".join(_MARKUP.sub(" ", text).split())
    if len(plain) <= limit:
        return plain
    return plain[:limit].rsplit(" ", 1)[0] + "…"


def button_value(text: str) -> Optional[int]:
    """The scale value of a button payload like /answer_reflection{"reflection_level":"4"}."""
    match = _BUTTON_PAYLOAD.match(text.strip())
    if not match:
        return None
    try:
        value = int(json.loads(match.group(1)).get(LEVEL_ENTITY))
    except (ValueError, TypeError, AttributeError):
        return None
    return value if 1 <= value <= 5 else None


def phrase_value(text: str, catalogue: Catalogue) -> Optional[int]:
    """The scale value of the longest frequency phrase in the text ("not often" beats "often")."""
    normalised = normalise(text)
    if normalised in {str(level.value) for level in catalogue.scale}:
        return int(normalised)
    found = [
        (len(phrase), level.value)
        for level in catalogue.scale
        for phrase in map(normalise, level.phrases)
        if phrase and _contains(normalised, phrase)
    ]
    return max(found)[1] if found else None


def is_skip(text: str, catalogue: Catalogue) -> bool:
    normalised = normalise(text)
    if len(normalised.split()) > SKIP_REPLY_WORDS:
        return False
    return any(_contains(normalised, normalise(phrase)) for phrase in catalogue.skip_phrases)


def signs_value(text: str, question: Question, detector: SignDetector) -> Optional[int]:
    """A scale value from the signs the person describes in their own behaviour on this theme.

    More strain signs than healthy ones → "Often" (two or more ahead → "Always") in the strained
    direction; more healthy ones → the mirror image; a tie → "Sometimes"; none → None.
    """
    own = [sign for sign in detector(text) if getattr(sign, "subject", "self") == "self"]
    strained = sum(1 for sign in own if sign.label in question.strain_signs)
    healthy = sum(1 for sign in own if sign.label in question.healthy_signs)
    if not strained and not healthy:
        return None
    net = strained - healthy
    steps = min(abs(net), 2)
    towards_strain = 3 + steps if net > 0 else 3 - steps
    # The scale asks "how often"; for a reverse-scored (healthy-habit) question strain is "Never".
    return 6 - towards_strain if question.reverse else towards_strain


def default_detector() -> Optional[SignDetector]:
    """The project's sign detector, or None while it cannot be imported."""
    try:
        from actions.signs import detect_signs
    except ImportError:
        logger.warning("Sign detector unavailable; free-text answers use frequency words only.")
        return None
    return detect_signs


def interpret(
    text: Optional[str],
    question: Question,
    catalogue: Catalogue,
    detector: Optional[SignDetector] = None,
) -> Optional[Answer]:
    """Read one reply to `question`; None means nothing could be taken and it should be re-asked."""
    if not text or not text.strip():
        return None
    value = button_value(text)
    if value is not None:
        return Answer(value, catalogue.button_title(value), "button")
    if text.strip().startswith("/"):
        return None
    said = quote(text)
    short = len(normalise(text).split()) <= SHORT_REPLY_WORDS
    if is_skip(text, catalogue):
        return Answer(None, said, "skip")
    if short:
        value = phrase_value(text, catalogue)
        if value is not None:
            return Answer(value, said, "phrase")
    if detector is not None:
        value = signs_value(text, question, detector)
        if value is not None:
            return Answer(value, said, "signs")
    value = phrase_value(text, catalogue)
    return Answer(value, said, "phrase") if value is not None else None
