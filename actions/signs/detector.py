"""Find the signs of catalogue.yml in free text with spaCy: phrasings via the Matcher, then the
dependency parse decides whether the sign is negated or over ("I never check", "I used to ...,
not anymore") and whose behaviour it is (self | partner | other)."""

from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Dict, FrozenSet, Iterator, List, Optional, Tuple

from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token

from actions.nlp import load_nlp
from actions.signs.catalogue import Catalogue, Phrasing, catalogue, compile_phrasing
from actions.signs.clauses import NEGATORS, SUBJECT_DEPS
from actions.signs.stance import Stance
from actions.signs.whose import Whose, subject_chain

# Dependencies that carry a sign's words on to the right ("say no | to him").
EVIDENCE_TAIL_DEPS = frozenset(
    {"prep", "pobj", "dobj", "prt", "dative", "attr", "acomp", "oprd", "xcomp", "ccomp", "npadvmod"}
)
MAX_TAIL_TOKENS = 8
# Clauses inside a tail phrase, left out of a quote that would otherwise run too long.
CLAUSE_DEPS = frozenset({"relcl", "acl", "advcl", "ccomp", "conj", "cc", "punct", "appos", "parataxis"})
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
    # rule (the catalogue), model (the learned reader) or both; score: the model's probability for
    # this label on the evidence's clause, None when no trained model is loaded.
    source: str = "rule"
    score: Optional[float] = None

    def to_dict(self) -> Dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class _Candidate:
    label: str
    subject: str
    match: Tuple[int, int]
    evidence: Tuple[int, int]
    sentence: int


@dataclass(frozen=True)
class Veto:
    """A catalogue phrasing that matched but was negated, over or only wished for: the model may
    not claim that label on those words either ("I never check his phone")."""

    label: str
    start: int
    end: int
    over: bool = False  # told as a thing of the past ("…, but that was fifteen years ago")


@dataclass(frozen=True)
class RuleReading:
    """What the catalogue read in one message: the parse, its signs, and the vetoed matches."""

    doc: Doc
    signs: List[Sign]
    vetoes: List[Veto]


@dataclass(frozen=True)
class _CompiledPhrasing:
    label: str
    phrasing: Phrasing
    matcher: Matcher
    required: Tuple[FrozenSet[str], ...]
    says_negation: bool  # a negation is among its own words ("@NEG say ...2 no")


def required_words(pattern: List[Dict[str, object]]) -> Tuple[FrozenSet[str], ...]:
    """For each word a pattern cannot do without, the set of forms that satisfy it."""
    return tuple(
        frozenset(token["NORM"]["IN"])  # type: ignore[index]
        for token in pattern
        if "NORM" in token and "OP" not in token
    )


class SignDetector:
    """Compiled catalogue plus the shared spaCy pipeline."""

    def __init__(self, book: Catalogue) -> None:
        self.book = book
        self.nlp = load_nlp()
        # One small Matcher per phrasing, run only when the message holds every word the phrasing
        # requires: far cheaper than one big Matcher testing hundreds of word lists on each token.
        self.phrasings: List[_CompiledPhrasing] = []
        for entry in book.signs.values():
            for phrasing in entry.phrasings:
                pattern = compile_phrasing(phrasing.text, book.classes)
                matcher = Matcher(self.nlp.vocab, validate=True)
                matcher.add(entry.label, [pattern], greedy="LONGEST")
                says_negation = any(
                    "NORM" in token and set(token["NORM"]["IN"]) & NEGATORS for token in pattern  # type: ignore[index]
                )
                self.phrasings.append(
                    _CompiledPhrasing(entry.label, phrasing, matcher, required_words(pattern), says_negation)
                )
        self.stance = Stance(book)
        self.whose = Whose(book)

    def parse(self, text: str) -> Doc:
        """Parse the text; shouted text is parsed in lower case, which the tagger handles better."""
        letters = [char for char in text if char.isalpha()]
        shouted = letters and sum(char.isupper() for char in letters) / len(letters) > 0.6
        lowered = text.lower()
        source = lowered if shouted and len(lowered) == len(text) else text
        doc = self.nlp(source, disable=[pipe for pipe in UNUSED_PIPES if pipe in self.nlp.pipe_names])
        for token in doc:
            # Pronouns keep their own form ("her" is not "she"); other words match by lemma.
            token.norm_ = token.lower_ if token.pos_ == "PRON" else token.lemma_.lower()
        return doc

    def detect(self, text: str) -> List[Sign]:
        if not text or not text.strip():
            return []
        return self.read(text).signs

    def read(self, text: str, doc: Optional[Doc] = None) -> RuleReading:
        """The catalogue's signs in a non-empty text, with the parse (made here unless given) and
        the vetoed matches."""
        doc = doc if doc is not None else self.parse(text)
        vetoes: List[Veto] = []
        candidates = list(self._candidates(doc, vetoes))
        kept = self._resolve(candidates)
        signs = []
        for candidate in sorted(kept, key=lambda c: (c.evidence[0], c.label)):
            first, last = candidate.evidence
            start, end = doc[first].idx, doc[last - 1].idx + len(doc[last - 1])
            entry = self.book.signs[candidate.label]
            signs.append(Sign(candidate.label, entry.pattern, candidate.subject, text[start:end], start, end))
        return RuleReading(doc, signs, vetoes)

    def _matches(self, doc: Doc) -> Iterator[Tuple[str, Phrasing, Span, bool]]:
        words = {token.norm_ for token in doc}
        for compiled in self.phrasings:
            if all(words & required for required in compiled.required):
                for _, first, last in compiled.matcher(doc):
                    yield compiled.label, compiled.phrasing, doc[first:last], compiled.says_negation

    def _candidates(self, doc: Doc, vetoes: List[Veto]) -> Iterator[_Candidate]:
        for label, phrasing, span, says_negation in self._matches(doc):
            first, last = span.start, span.end
            stance = self.stance
            over = stance.is_over(span)
            veto = Veto(label, span.start_char, span.end_char, over)
            once = not self.book.signs[label].healthy and stance.is_one_off(span)
            unreal = over or stance.is_hypothetical(span) or stance.is_planned(span)
            if once or unreal or stance.asks_about_terms(span) or stance.is_quoted_term(span):
                vetoes.append(veto)
                continue
            # A negation the phrasing's gap swallowed ("needing people [isn't] weak") negates it.
            if self.stance.is_negated(span, inside=not says_negation):
                vetoes.append(veto)
                label = self.book.signs[label].when_negated
                if not label:
                    continue
            entry = self.book.signs[label]
            if entry.healthy and self.stance.is_wished(span):
                vetoes.append(Veto(label, span.start_char, span.end_char))
                continue
            subject = self.whose.of(span, entry.healthy, phrasing.subject)
            yield _Candidate(label, subject, (first, last), self._evidence(span), span.sent.start)

    def _resolve(self, candidates: List[_Candidate]) -> List[_Candidate]:
        """One sign per label (its longest match); where a sign and its negated twin overlap, the longer
        match wins ("I'm not afraid to turn him down" is a healthy boundary, not a poor one)."""
        twins = {(e.label, e.when_negated) for e in self.book.signs.values() if e.when_negated}
        twins |= {(b, a) for a, b in twins}
        cancelled = {
            (candidate.sentence, label)
            for candidate in candidates
            for label in self.book.signs[candidate.label].cancels
        }
        candidates = [c for c in candidates if (c.sentence, c.label) not in cancelled]
        by_length = sorted(candidates, key=lambda c: c.match[0] - c.match[1])
        kept: List[_Candidate] = []
        for candidate in by_length:
            clash = any(
                (candidate.label, other.label) in twins and _overlap(candidate.match, other.match)
                for other in kept
            )
            duplicate = any(candidate.label == other.label for other in kept)
            if not clash and not duplicate:
                kept.append(candidate)
        return kept

    def _evidence(self, span: Span) -> Tuple[int, int]:
        """The match widened to a quotable phrase: its subject on the left, its objects on the right."""
        first, last = span.start, span.end
        sentence = span.root.sent
        heads = list(self.stance.governors(span))
        if not any(child.dep_ in SUBJECT_DEPS for child in span.root.children):
            heads += list(subject_chain(span.root))[1:3]
        for token in heads:
            if token.i >= span.end:
                continue
            for child in token.children:
                if child.dep_ in SUBJECT_DEPS + ("aux", "neg", "auxpass") and child.i < first:
                    if first - child.left_edge.i <= MAX_SUBJECT_GAP and child.left_edge.i >= sentence.start:
                        first = child.left_edge.i
        tail_heads = list(span)
        head = span.root.head
        if last <= head.i < last + 2 and head.pos_ in ("VERB", "AUX", "ADJ"):
            last = head.i + 1  # "I won't be | spoken to like that"
            tail_heads.append(head)
        for token in tail_heads:
            for child in token.children:
                if child.i >= last and child.dep_ in EVIDENCE_TAIL_DEPS:
                    edge = child.right_edge.i + 1
                    if edge - span.end > MAX_TAIL_TOKENS:
                        edge = _phrase_edge(child, last)  # "say yes | to every plan" [her family makes…]
                    if edge - span.end <= MAX_TAIL_TOKENS and edge <= sentence.end:
                        last = max(last, edge)
        while last - 1 > first and span.doc[last - 1].is_punct:
            last -= 1
        while first < last - 1 and span.doc[first].is_punct:
            first += 1
        return first, last


def _phrase_edge(token: Token, start: int) -> int:
    """Where the phrase under `token` ends when the clauses hanging inside it are left out, and
    before any comma after `start`: "agrees with everything i say", not ", i cant tell"."""
    edge, stack = token.i + 1, [token]
    while stack:
        for child in stack.pop().children:
            if child.dep_ not in CLAUSE_DEPS and child.i > token.i:
                edge = max(edge, child.i + 1)
                stack.append(child)
    return next((word.i for word in token.doc[start:edge] if word.is_punct), edge)


def _overlap(a: Tuple[int, int], b: Tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


@lru_cache(maxsize=1)
def detector() -> SignDetector:
    """The detector, built once per process (the spaCy pipeline is shared via load_nlp)."""
    return SignDetector(catalogue())
