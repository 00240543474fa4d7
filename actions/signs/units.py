"""Cut a parsed message into the units the sign model scores: clauses, or whole sentences.

A clause is a sentence split where a coordinated verb brings its own subject ("I check his phone |
and he hates it"), so a model hit can quote the words that carry the sign and nothing else.
Reasons and conditions stay with their clause ("I cancel plans because he wants me home").
"""

from dataclasses import dataclass
from typing import Iterable, List, Sequence, Tuple

from spacy.tokens import Doc, Span, Token

SUBJECT_DEPS = ("nsubj", "nsubjpass", "expl")
CLAUSE_DEPS = ("conj", "parataxis")
# A unit shorter than this many words is joined to its neighbour; "and he hates it" stays.
MIN_WORDS = 3


@dataclass(frozen=True)
class Unit:
    """One clause or sentence: its tokens and its exact characters in the message."""

    span: Span
    start: int
    end: int

    @property
    def text(self) -> str:
        return self.span.doc.text[self.start : self.end]


def _starts_clause(token: Token, sentence: Span) -> bool:
    own_subject = any(child.dep_ in SUBJECT_DEPS for child in token.children)
    return (
        token.dep_ in CLAUSE_DEPS
        and token.pos_ in ("VERB", "AUX")
        and own_subject
        and token.left_edge.i > sentence.start
    )


def _words(doc: Doc, first: int, last: int) -> int:
    return sum(1 for token in doc[first:last] if not token.is_punct and not token.is_space)


def _trimmed(doc: Doc, first: int, last: int) -> Tuple[int, int]:
    """Without leading/trailing punctuation, spaces and joining words ("and", "but")."""
    while first < last and (doc[first].is_punct or doc[first].is_space or doc[first].dep_ == "cc"):
        first += 1
    while last > first and (doc[last - 1].is_punct or doc[last - 1].is_space or doc[last - 1].dep_ == "cc"):
        last -= 1
    return first, last


def _cuts(sentence: Span, clauses: bool) -> List[int]:
    if not clauses:
        return [sentence.start, sentence.end]
    starts = sorted({token.left_edge.i for token in sentence if _starts_clause(token, sentence)})
    cuts = [sentence.start]
    for start in starts + [sentence.end]:
        if start == sentence.end or _words(sentence.doc, cuts[-1], start) >= MIN_WORDS:
            cuts.append(start)
    if len(cuts) > 2 and _words(sentence.doc, cuts[-2], cuts[-1]) < MIN_WORDS:
        del cuts[-2]
    return cuts


def units(doc: Doc, clauses: bool = True) -> List[Unit]:
    """The message's units in reading order, each an exact, trimmed substring of its text."""
    found: List[Unit] = []
    for sentence in doc.sents:
        cuts = _cuts(sentence, clauses)
        for first, last in zip(cuts, cuts[1:]):
            first, last = _trimmed(doc, first, last)
            if last > first and _words(doc, first, last):
                span = doc[first:last]
                found.append(Unit(span, span.start_char, span.end_char))
    return found


def unit_labels(found: Sequence[Unit], signs: Iterable[Tuple[str, int, int]]) -> List[frozenset]:
    """For training: each unit's labels, from the gold evidence spans (label, start, end) that
    cover at least half of the unit or half of the evidence."""
    labels: List[set] = [set() for _ in found]
    for label, start, end in signs:
        for index, unit in enumerate(found):
            shared = min(end, unit.end) - max(start, unit.start)
            if shared > 0 and shared * 2 >= min(end - start, unit.end - unit.start):
                labels[index].add(label)
    return [frozenset(item) for item in labels]
