"""What the parse says about a phrase besides its words: negated ("I never check"), over ("I used
to check", "…, not anymore"), only wished for ("I wish we could talk"), imagined ("if he ever…, I'd
…"), done once ("I looked through her phone once"), or asked about rather than reported ("is people
pleasing bad?"). The catalogue's rules (detector.py) and the model's clauses
(reader.py) both ask it, so they read time, negation and questions alike."""

import re
from typing import Iterator

from spacy.tokens import Span, Token

from actions.signs.catalogue import Catalogue
from actions.signs.clauses import SUBJECT_DEPS, has_aux_to, is_negation
from actions.signs.ending import Ending
from actions.signs.gate import is_question

# Dependencies through which a negation or "used to" higher up still governs the sign's verb.
GOVERNING_DEPS = ("xcomp", "csubj", "csubjpass", "acomp", "auxpass", "attr")
# At most this many words in quotation marks make a term mentioned ("setting boundaries"), not a
# thing said ("less of a man").
QUOTED_TERM_WORDS = 3
# Subjects that deny what follows ("Nobody's ever going to look after me").
NO_ONE = frozenset({"nobody", "noone", "nothing", "none"})
# Verbs of thinking or saying whose negation denies the clause under them ("I don't think ...").
BELIEF_VERBS = frozenset({"think", "believe", "feel", "say", "reckon", "consider", "find", "mean"})


def _no_longer(token: Token) -> bool:
    """ "no longer" / "no more", where "no" hangs off "longer"."""
    return token.lower_ in ("longer", "more") and any(child.lower_ == "no" for child in token.children)


def _is_skill(token: Token) -> bool:
    """ "good" in "good at …", or the "be" that the parse hangs "at …" from beside "good"."""
    return token.pos_ == "ADJ" or (token.lemma_ == "be" and any(child.dep_ == "acomp" for child in token.children))


def _going_to(token: Token) -> bool:
    """ "going to" / "gonna" with a verb under it: what is planned, not yet done. Not "I'm not going
    to change my views" or "Nobody's ever going to look after me": a stance said now."""
    if token.lemma_ != "go" or token.tag_ != "VBG":
        return False
    if any(is_negation(child) or (child.dep_ == "nsubj" and child.lower_ in NO_ONE) for child in token.children):
        return False
    return any(child.dep_ == "xcomp" and has_aux_to(child) for child in token.children)


class Stance:
    """The catalogue's word lists (wished_by, the conditional, one-off and self words) applied to a
    parse; whether a behaviour is over is the Ending's to say (ending.py)."""

    def __init__(self, book: Catalogue) -> None:
        self.book = book
        self.self_words = book.subject_words["self"]
        self.ending = Ending(book)
        # One pattern for all one-off phrases, compiled once rather than per clause read.
        phrases = "|".join(re.escape(phrase) for phrase in book.one_off_phrases)
        self.one_off_phrase = re.compile(rf"\b(?:{phrases})\b") if phrases else None

    def governors(self, span: Span) -> Iterator[Token]:
        """The sign's main word and the words above it that still govern it."""
        token = span.root
        yield token
        for _ in range(4):
            head = token.head
            if head.i == token.i:
                return
            own_subject = any(child.dep_ in SUBJECT_DEPS for child in token.children)
            # "I never check his phone or read his mail": a negation carries over "or", not "and".
            shared = token.dep_ == "conj" and not own_subject and any(
                child.dep_ == "cc" and child.norm_ in ("or", "nor") for child in head.children
            )
            # "I don't agree [to keep the peace]", "I've never been one [to bottle things up]": an
            # infinitive of purpose, or one describing the subject's kind, stays under the negation.
            infinitive = token.dep_ in ("advcl", "relcl") and has_aux_to(token)
            if token.dep_ in GOVERNING_DEPS or shared or infinitive:
                token = head
            elif token.dep_ == "ccomp" and head.lemma_.lower() in BELIEF_VERBS and head.i < token.i:
                # "I don't think [he checks]"; a ccomp *before* its head is a comma splice misparse.
                token = head
            elif token.dep_ == "pcomp" and head.lower_ == "at" and _is_skill(head.head):
                token = head.head  # "I'm not good at [saying what I need]": through the skill
            else:
                return
            yield token

    def is_wished(self, span: Span) -> bool:
        """A healthy sign only hoped for, tried or asked about ("I wish he'd listen", "I'd want
        us to talk about how we feel")."""
        if span.sent.text.rstrip().endswith("?"):
            return True
        head = span.root.head
        if span.root.dep_ in ("ccomp", "xcomp") and head.norm_ in self.book.wished_by and not (
            span.start <= head.i < span.end
        ):
            return True
        for token in self.governors(span):
            if token.norm_ in self.book.wished_by and not (span.start <= token.i < span.end):
                return True
            if any(child.dep_ == "aux" and child.norm_ in self.book.wished_by for child in token.children):
                return True
        return False

    def is_negated(self, span: Span, inside: bool = False) -> bool:
        """A negation governing the phrase from outside it ("I never [check his phone]"); with
        `inside`, also one within its words, for a phrasing whose own words hold no negation."""
        if span.root.head.norm_ == "without" and span.root.head.i < span.start:
            return True  # "... without losing myself"
        for token in self.governors(span):
            for child in token.children:
                negation = is_negation(child) or _no_longer(child)
                if negation and (inside or not (span.start <= child.i < span.end)):
                    return True
        return False

    def is_over(self, span: Span) -> bool:
        """True when the words say the behaviour has stopped or belongs to the past."""
        return self.ending.is_over(span, list(self.governors(span)))

    def is_quoted_term(self, span: Span) -> bool:
        """The phrase is a term in quotation marks, mentioned rather than used: he's "setting
        boundaries" with the cat, a 'people pleaser'. A quoted sentence with a person in it ("I need
        Sundays for myself") is still said."""
        doc, sentence = span.doc, span.sent
        before = next((token for token in reversed(doc[sentence.start : span.start]) if token.is_quote), None)
        after = next((token for token in doc[span.end : sentence.end] if token.is_quote), None)
        if before is None or after is None or any(token.is_quote for token in span):
            return False
        quoted = doc[before.i + 1 : after.i]
        return len(quoted) <= QUOTED_TERM_WORDS and not any(token.pos_ == "PRON" for token in quoted)

    def is_planned(self, span: Span) -> bool:
        """Only planned: "I'm going to tell him how I feel", "gonna start saying no" (any sign)."""
        return any(_going_to(token) for token in self.governors(span))

    def is_hypothetical(self, span: Span) -> bool:
        """A sign in the "if" clause of an imagined outcome ("If he ever read my messages I'd
        leave"): a what-if, not a pattern. The imagined outcome itself can be the sign ("I'd feel
        weak if I told him I needed him"), so only the condition is read this way."""
        for token in [span.root, *span.root.ancestors]:
            marked = any(child.dep_ == "mark" and child.norm_ in self.book.conditional_marks for child in token.children)
            ever = any(child.lower_ in self.book.imagined_ever for child in token.children)
            if marked and ever and token.tag_ == "VBD":
                return True  # "If he ever told me what to wear, …"
            if token.dep_ == "advcl" and any(
                child.dep_ == "mark" and child.norm_ in self.book.conditional_marks for child in token.children
            ):
                return any(
                    child.dep_ == "aux" and child.norm_ in self.book.imagined_by for child in token.head.children
                )
        return False

    def is_one_off(self, span: Span) -> bool:
        """Something done once, not a pattern ("I looked through her phone once"; "..., just a
        one-time thing"): the catalogue's one-off adverb on an un-negated past-tense governor, or
        one of its one-off phrases in the sentence."""
        if self.one_off_phrase and self.one_off_phrase.search(span.sent.text.lower()):
            return True
        for token in self.governors(span):
            if token.tag_ not in ("VBD", "VBN") or any(is_negation(child) for child in token.children):
                continue
            for child in token.children:
                if child.dep_ == "advmod" and child.lower_ in self.book.one_off_adverbs and not self._counted(child):
                    return True
        return False

    def _counted(self, adverb: Token) -> bool:
        """"never once", "for once", "once a week", "once again": the adverb is not a one-off."""
        doc = adverb.doc
        beside = [doc[adverb.i - 1]] if adverb.i > 0 else []
        beside += [doc[adverb.i + 1]] if adverb.i + 1 < len(doc) else []
        return any(word.lower_ in self.book.one_off_counted_by for word in [*beside, *adverb.children])

    def asks_about_terms(self, span: Span) -> bool:
        """A question in which the writer takes no part ("is people pleasing always a bad thing?",
        "does being independent mean you don't need a partner?"): about the words, not a report.
        "Why do I always give in?" and "is my people pleasing a problem?" still report."""
        sentence = span.sent
        if any(token.lower_ in self.self_words for token in sentence):
            return False
        return sentence.text.rstrip().endswith("?") or is_question(sentence, frozenset())
