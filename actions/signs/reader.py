"""The combined sign reader: the catalogue's rules and the learned model, voting per label.

- A rule hit stays, with its exact evidence (source "rule", or "both" when the model agrees),
  unless the model all but rules it out on its clause (score under `rule_veto_below`).
- A model hit on a clause whose score reaches the label's calibrated threshold adds the sign, the
  clause being its evidence (source "model").
- The model obeys what the parse says, as the rules do: a clause whose behaviour is over ("I used
  to ..."), negated from outside ("I don't think he ..."), only wished for (healthy signs),
  vetoed by a catalogue match that was negated on the same words, or closed by the chatter gate
  (actions/signs/gate.py: too short, an order, a question, no person named), reports nothing;
  whose behaviour it is comes from the clause's subject.
"""

from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Dict, List, Optional, Sequence

import numpy as np
from spacy.tokens import Doc, Span

from actions.signs.detector import RuleReading, Sign, SignDetector, detector
from actions.signs.gate import ChatterGate
from actions.signs.model import SignModel, load_config, model
from actions.signs.clauses import is_negation
from actions.signs.units import Unit, units


@dataclass(frozen=True)
class Reading:
    """What one parse of a message showed: its signs, and whether it told an unhealthy pattern as
    over ("I couldn't say no to her, but that was fifteen years ago"), which the reply notices."""

    signs: List[Sign]
    told_as_over: bool = False


@dataclass(frozen=True)
class ModelHit:
    """The model's best surviving clause for one label."""

    label: str
    score: float
    unit: Unit
    subject: str


def _overlaps(start: int, end: int, unit: Unit) -> bool:
    return start < unit.end and unit.start < end


def _comma_segment(doc: Doc, start: int, end: int) -> Optional[Span]:
    """The words between the commas around a catalogue hit ("He checks my phone" in "He checks my
    phone, I can't say no, ..."): spaCy parses such a list as one clause, whose score would speak
    for the other items; None when there is no comma to cut at."""
    hit = doc.char_span(start, end, alignment_mode="expand")
    if hit is None:
        return None
    sent = hit.sent
    first, last = hit.start, hit.end
    while first > sent.start and doc[first - 1].text not in (",", ";"):
        first -= 1
    while last < sent.end and doc[last].text not in (",", ";"):
        last += 1
    if (first, last) == (sent.start, sent.end):
        return None
    return doc[first:last]


def anchor(unit: Unit) -> Span:
    """The clause's main verb as a one-word span; "I used to X" anchors on X, so the past is seen."""
    root = unit.span.root
    for child in root.children:
        if root.lemma_.lower() == "use" and child.dep_ == "xcomp":
            root = child
            break
    return root.doc[root.i : root.i + 1]


class SignReader:
    """Rules plus model; without a trained model it is the catalogue alone."""

    def __init__(self, rules: SignDetector, learned: Optional[SignModel]) -> None:
        self.rules = rules
        self.model = learned
        self.clauses = bool(learned) and learned.config.get("units", "clause") == "clause"
        book = rules.book
        self.twins = {(e.label, e.when_negated) for e in book.signs.values() if e.when_negated}
        self.twins |= {(b, a) for a, b in self.twins}
        settings = load_config()
        self.gate = ChatterGate(settings.get("gate", {}), book.subject_words)
        self.rule_floor = float(settings.get("rule_veto_below", 0.0))
        self.per_clause = int(settings.get("model_signs_per_clause", 0))
        self.extra_margin = float(settings.get("extra_sign_margin", 0.0))

    def read(self, text: str) -> Reading:
        """The signs in `text` and whether it told a pattern as over, from a single parse."""
        if not isinstance(text, str) or not text.strip():
            return Reading([])
        reading = self.rules.read(text)
        book = self.rules.book.signs
        over = any(veto.over and not book[veto.label].healthy for veto in reading.vetoes)
        if self.model is None:
            return Reading(reading.signs, over)
        found = units(reading.doc, self.clauses)
        scores = self.model.scores([unit.span for unit in found])
        hits = self.hits(reading, found, scores)
        return Reading(self.combine(text, reading, found, scores, hits), over)

    def detect(self, text: str) -> List[Sign]:
        """The signs alone: what the check-in, the CLI and the evaluation need."""
        return self.read(text).signs

    def hits(self, reading: RuleReading, found: Sequence[Unit], scores: np.ndarray) -> Dict[str, ModelHit]:
        """Per label, the highest-scoring clause the parse lets the model claim (any score)."""
        assert self.model is not None
        best: Dict[str, ModelHit] = {}
        stance = self.rules.stance
        for row, unit in enumerate(found):
            span = anchor(unit)
            over = stance.is_over(span) or stance.is_hypothetical(span) or self._negated_from_outside(span, unit)
            over = over or stance.is_planned(span) or stance.ending.points_back_to_end(span.root)
            if over or self.gate.closed(unit):
                continue
            once = stance.is_one_off(span)  # done once: no unhealthy sign (a limit said once and kept is healthy)
            for column, label in enumerate(self.model.labels):
                score = float(scores[row, column])
                if label in best and best[label].score >= score:
                    continue
                if once and not self.rules.book.signs[label].healthy:
                    continue
                subject = self._claim(reading, unit, span, label)
                if subject:
                    best[label] = ModelHit(label, score, unit, subject)
        return best

    def _claim(self, reading: RuleReading, unit: Unit, span: Span, label: str) -> Optional[str]:
        """Whose behaviour it is when the model may claim `label` on this clause, else None."""
        if any(veto.label == label and _overlaps(veto.start, veto.end, unit) for veto in reading.vetoes):
            return None
        for sign in reading.signs:
            if (sign.label, label) in self.twins and _overlaps(sign.start, sign.end, unit):
                return None  # the rules read the negation on these very words
            sentence = unit.span.sent
            same_sentence = sentence.start_char <= sign.start < sentence.end_char
            if same_sentence and label in self.rules.book.signs[sign.label].cancels:
                return None
        entry = self.rules.book.signs[label]
        if entry.healthy and self.rules.stance.is_wished(span):
            return None
        return self.rules.whose.of(span, entry.healthy)

    def _negated_from_outside(self, span: Span, unit: Unit) -> bool:
        """A negation above the clause ("I don't think [he checks]"); one inside is the model's to read."""
        for token in self.rules.stance.governors(span):
            if unit.span.start <= token.i < unit.span.end:
                continue
            if any(is_negation(child) for child in token.children):
                return True
        return False

    def rule_signs(self, reading: RuleReading, found: Sequence[Unit], scores: np.ndarray) -> List[Sign]:
        """The catalogue's hits with the model's score on their clause (or on their item, when
        commas cut the clause into a list); a hit the model all but rules out (score under
        `rule_veto_below`, model.yml) is dropped: on the development sets those were mostly a
        phrase in another sense ("I lost my identity card")."""
        assert self.model is not None
        signs: List[Sign] = []
        for sign in reading.signs:
            column = self.model.labels.index(sign.label)
            near = [scores[row, column] for row, unit in enumerate(found) if _overlaps(sign.start, sign.end, unit)]
            segment = _comma_segment(reading.doc, sign.start, sign.end)
            if near and segment is not None:
                near.append(self.model.scores([segment])[0, column])
            score = float(max(near)) if near else 0.0
            if near and score < self.rule_floor:
                continue
            agrees = score >= self.model.threshold(sign.label)
            signs.append(replace(sign, source="both" if agrees else "rule", score=round(score, 3)))
        return signs

    def _contradicts(self, hit: ModelHit, other: Sign) -> bool:
        """A model hit on the words of a catalogue sign that says the opposite: its negated twin
        ("say no" / "can't say no"), or a healthy sign against an unhealthy one ("I'm not afraid
        to turn him down" is a boundary, not refusing help)."""
        if not _overlaps(other.start, other.end, hit.unit):
            return False
        book = self.rules.book.signs
        return (hit.label, other.label) in self.twins or book[hit.label].healthy != book[other.label].healthy

    def combine(
        self, text: str, reading: RuleReading, found: Sequence[Unit], scores: np.ndarray, hits: Dict[str, ModelHit]
    ) -> List[Sign]:
        assert self.model is not None
        signs = self.rule_signs(reading, found, scores)
        ruled = {sign.label for sign in signs}
        added = [
            hit for hit in hits.values()
            if hit.label not in ruled and hit.score >= self.model.threshold(hit.label)
        ]
        claimed: Counter = Counter()  # model signs per clause, by the clause's start
        for hit in sorted(added, key=lambda hit: -hit.score):
            clash = any(self._contradicts(hit, other) for other in signs)
            if clash or (self.per_clause and claimed[hit.unit.start] >= self.per_clause):
                continue
            if signs and hit.score < self.model.threshold(hit.label) + self.extra_margin:
                continue
            claimed[hit.unit.start] += 1
            entry = self.rules.book.signs[hit.label]
            signs.append(Sign(
                hit.label, entry.pattern, hit.subject, text[hit.unit.start : hit.unit.end],
                hit.unit.start, hit.unit.end, "model", round(hit.score, 3),
            ))
        return sorted(signs, key=lambda sign: (sign.start, sign.label))


@lru_cache(maxsize=1)
def reader() -> SignReader:
    """The combined reader, built once per process."""
    return SignReader(detector(), model())


def detect_signs(text: str) -> List[Sign]:
    """All signs found in `text` by the catalogue and the learned model, in reading order."""
    return reader().detect(text)


def read_signs(text: str) -> Reading:
    """The signs in `text`, and whether it told an unhealthy pattern as over."""
    return reader().read(text)
