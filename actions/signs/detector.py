"""Find the signs of catalogue.yml in free text with spaCy: phrasings via the Matcher, then the
dependency parse decides whether the sign is negated or over ("I never check", "I used to ...,
not anymore") and whose behaviour it is (self | partner | other)."""

from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Dict, Iterator, List, Optional, Tuple

from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token

from actions.nlp import load_nlp
from actions.signs.catalogue import Catalogue, Phrasing, catalogue, compile_phrasing

# Dependencies through which a negation or "used to" higher up still governs the sign's verb.
GOVERNING_DEPS = ("xcomp", "csubj", "csubjpass", "acomp", "auxpass")
# Verbs of thinking or saying whose negation denies the clause under them ("I don't think ...").
BELIEF_VERBS = frozenset({"think", "believe", "feel", "say", "reckon", "consider", "find", "mean"})
NEGATORS = frozenset({"not", "never", "n't", "nt"})
SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj", "csubjpass", "expl")
# Dependencies that carry a sign's words on to the right ("say no | to him").
EVIDENCE_TAIL_DEPS = frozenset({"prep", "pobj", "dobj", "prt", "dative", "attr", "acomp", "oprd", "xcomp", "npadvmod"})
MAX_TAIL_TOKENS = 8
MAX_SUBJECT_GAP = 6
# Pipes the detector does not use; skipping them keeps a message well under 10 ms.
UNUSED_PIPES = ("ner",)


@dataclass(frozen=True)
class Sign:
    """One sign found in a message, with the writer's exact words that showed it."""

    label: str
    pattern: str
    subject: str
    evidence: str
    start: int
    end: int

    def to_dict(self) -> Dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class _Candidate:
    label: str
    subject: str
    match: Tuple[int, int]
    evidence: Tuple[int, int]


class SignDetector:
    """Compiled catalogue plus the shared spaCy pipeline."""

    def __init__(self, book: Catalogue) -> None:
        self.book = book
        self.nlp = load_nlp()
        self.matcher = Matcher(self.nlp.vocab, validate=True)
        self.phrasings: Dict[str, Tuple[str, Phrasing]] = {}
        for entry in book.signs.values():
            for index, phrasing in enumerate(entry.phrasings):
                key = f"{entry.label}#{index}"
                self.matcher.add(key, [compile_phrasing(phrasing.text, book.classes)])
                self.phrasings[key] = (entry.label, phrasing)
        self.partner_words = book.subject_words["partner"]
        self.other_words = book.subject_words["other"]
        self.self_words = book.subject_words["self"]

    def parse(self, text: str) -> Doc:
        """Parse the text; shouted text is parsed in lower case, which the tagger handles better."""
        letters = [char for char in text if char.isalpha()]
        shouted = letters and sum(char.isupper() for char in letters) / len(letters) > 0.6
        lowered = text.lower()
        source = lowered if shouted and len(lowered) == len(text) else text
        doc = self.nlp(source, disable=[pipe for pipe in UNUSED_PIPES if pipe in self.nlp.pipe_names])
        for token in doc:
            token.norm_ = token.lemma_.lower()
        return doc

    def detect(self, text: str) -> List[Sign]:
        if not text or not text.strip():
            return []
        doc = self.parse(text)
        candidates = list(self._candidates(doc))
        kept = self._resolve(candidates)
        signs = []
        for candidate in sorted(kept, key=lambda c: (c.evidence[0], c.label)):
            first, last = candidate.evidence
            start, end = doc[first].idx, doc[last - 1].idx + len(doc[last - 1])
            entry = self.book.signs[candidate.label]
            signs.append(Sign(candidate.label, entry.pattern, candidate.subject, text[start:end], start, end))
        return signs

    def _candidates(self, doc: Doc) -> Iterator[_Candidate]:
        for key, first, last in self.matcher(doc):
            label, phrasing = self.phrasings[self.nlp.vocab.strings[key]]
            span = doc[first:last]
            if self._is_over(span):
                continue
            if self._is_negated(span):
                label = self.book.signs[label].when_negated
                if not label:
                    continue
            subject = phrasing.subject or self._subject(span)
            yield _Candidate(label, subject, (first, last), self._evidence(span))

    def _resolve(self, candidates: List[_Candidate]) -> List[_Candidate]:
        """One sign per label and subject; where a sign and its negated twin overlap, the longer
        match wins ("I'm not afraid to turn him down" is a healthy boundary, not a poor one)."""
        twins = {(e.label, e.when_negated) for e in self.book.signs.values() if e.when_negated}
        twins |= {(b, a) for a, b in twins}
        by_length = sorted(candidates, key=lambda c: c.match[0] - c.match[1])
        kept: List[_Candidate] = []
        for candidate in by_length:
            clash = any(
                (candidate.label, other.label) in twins and _overlap(candidate.match, other.match)
                for other in kept
            )
            duplicate = any(
                (candidate.label, candidate.subject) == (other.label, other.subject) for other in kept
            )
            if not clash and not duplicate:
                kept.append(candidate)
        return kept

    def _governors(self, span: Span) -> Iterator[Token]:
        """The sign's main word and the words above it that still govern it."""
        token = span.root
        yield token
        for _ in range(4):
            head = token.head
            if head is token:
                return
            own_subject = any(child.dep_ in SUBJECT_DEPS for child in token.children)
            if token.dep_ in GOVERNING_DEPS or (token.dep_ == "conj" and not own_subject):
                token = head
            elif token.dep_ == "ccomp" and head.lemma_.lower() in BELIEF_VERBS:
                token = head
            else:
                return
            yield token

    def _is_negated(self, span: Span) -> bool:
        for token in self._governors(span):
            for child in token.children:
                if child.norm_ in NEGATORS and not (span.start <= child.i < span.end):
                    return True
        return False

    def _is_over(self, span: Span) -> bool:
        """True when the words say the behaviour has stopped or belongs to the past."""
        for token in self._governors(span):
            if span.start <= token.i < span.end:
                if self._used_to(token, span):
                    return True
                continue
            if token.norm_ in self.book.ended_by:
                return True
            if token.norm_ == "use" and any(child.norm_ == "to" for child in span.root.children):
                return True
        root = span.root
        if root.tag_ in ("VBD", "VBN") or self._used_to(root, span):
            sentence_rest = span.doc[span.end : root.sent.end]
            return any(token.norm_ in self.book.past_over for token in sentence_rest)
        return False

    @staticmethod
    def _used_to(token: Token, span: Span) -> bool:
        head = token.head
        return (
            head.norm_ == "use"
            and head.tag_ == "VBD"
            and not (span.start <= head.i < span.end)
            and any(child.norm_ == "to" for child in token.children)
        )

    def _subject(self, span: Span) -> str:
        for token in self._subject_chain(span.root):
            for child in token.children:
                if child.dep_ in SUBJECT_DEPS:
                    whose = self._whose(child)
                    if whose:
                        return whose
        return "self"

    @staticmethod
    def _subject_chain(token: Token) -> Iterator[Token]:
        yield token
        for _ in range(4):
            if token.head is token:
                return
            token = token.head
            yield token

    def _whose(self, token: Token) -> Optional[str]:
        """self | partner | other for a subject word, following possessives ("my sister's mood")."""
        word = token.norm_ if token.norm_ != "-pron-" else token.lower_
        lower = token.lower_
        if word in self.self_words or lower in self.self_words:
            return "self"
        if token.pos_ == "PRON" and (word in self.partner_words or lower in self.partner_words):
            return self._antecedent(token)
        if word in self.partner_words:
            return "partner"
        if word in self.other_words:
            return "other"
        for child in token.children:
            if child.dep_ in ("poss", "compound"):
                whose = self._whose(child)
                if whose:
                    return whose
        return None

    def _antecedent(self, pronoun: Token) -> str:
        """He/she usually means the partner, unless the nearest person named before is someone else."""
        for token in reversed(pronoun.doc[: pronoun.i]):
            if token.pos_ in ("NOUN", "PROPN"):
                if token.norm_ in self.partner_words:
                    return "partner"
                if token.norm_ in self.other_words:
                    return "other"
        return "partner"

    def _evidence(self, span: Span) -> Tuple[int, int]:
        """The match widened to a quotable phrase: its subject on the left, its objects on the right."""
        first, last = span.start, span.end
        sentence = span.root.sent
        for token in self._governors(span):
            for child in token.children:
                if child.dep_ in SUBJECT_DEPS + ("aux", "neg", "auxpass") and child.i < first:
                    if first - child.left_edge.i <= MAX_SUBJECT_GAP and child.left_edge.i >= sentence.start:
                        first = child.left_edge.i
        for token in span:
            for child in token.children:
                if child.i >= last and child.dep_ in EVIDENCE_TAIL_DEPS:
                    edge = child.right_edge.i + 1
                    if edge - span.end <= MAX_TAIL_TOKENS and edge <= sentence.end:
                        last = max(last, edge)
        while last - 1 > first and span.doc[last - 1].is_punct:
            last -= 1
        while first < last - 1 and span.doc[first].is_punct:
            first += 1
        return first, last


def _overlap(a: Tuple[int, int], b: Tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


@lru_cache(maxsize=1)
def detector() -> SignDetector:
    """The detector, built once per process (the spaCy pipeline is shared via load_nlp)."""
    return SignDetector(catalogue())


def detect_signs(text: str) -> List[Sign]:
    """All signs of the catalogue found in `text`, in reading order."""
    return detector().detect(text)
