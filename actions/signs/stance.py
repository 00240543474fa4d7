"""What the parse says about a phrase besides its words: negated ("I never check"), over ("I used
to check", "…, not anymore"), only wished for ("I wish we could talk"), imagined ("if he ever…, I'd
…"), done once ("I looked through her phone once"), or asked about rather than reported ("is people
pleasing bad?"). The catalogue's rules (detector.py) and the model's clauses
(reader.py) both ask it, so they read time, negation and questions alike."""

import re
from typing import Iterator, Optional

from spacy.tokens import Span, Token

from actions.signs.catalogue import Catalogue
from actions.signs.gate import is_question

SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj", "csubjpass", "expl")
# Dependencies through which a negation or "used to" higher up still governs the sign's verb.
GOVERNING_DEPS = ("xcomp", "csubj", "csubjpass", "acomp", "auxpass", "attr")
# Verbs of thinking or saying whose negation denies the clause under them ("I don't think ...").
BELIEF_VERBS = frozenset({"think", "believe", "feel", "say", "reckon", "consider", "find", "mean"})
NEGATORS = frozenset({"not", "never", "n't", "nt"})
# A following sentence this short may say a past sign is over ("Not anymore, that changed.").
SHORT_SENTENCE = 12
# Dependencies that open a clause of its own below a verb (a reported, adverbial or relative clause).
CLAUSE_HEADS = ("ccomp", "advcl", "relcl", "acl", "csubj", "parataxis")


def _next_sentence(sentence: Span) -> Optional[Span]:
    doc = sentence.doc
    return doc[sentence.end].sent if sentence.end < len(doc) else None


def _same_clause(cue: Token, root: Token) -> bool:
    """The cue hangs off the sign's own clause, not a clause of its own: "I put her first, but not
    anymore" is over; "Told her [I'm not going ... anymore]" and "I gave up rugby, and now [I don't
    know what I'm into anymore]" are not."""
    token = cue
    for _ in range(12):
        if token.i == root.i or token.head.i == token.i:
            return token.i == root.i
        own_subject = any(child.dep_ in SUBJECT_DEPS for child in token.children)
        if token.dep_ in CLAUSE_HEADS or (token.dep_ == "conj" and own_subject):
            return False
        token = token.head
    return False


def is_negation(token: Token) -> bool:
    """ "not", "never", "n't" (however spelled), or whatever the parse marks as a negation."""
    return token.dep_ == "neg" or token.norm_ in NEGATORS or token.lower_ in NEGATORS


def _no_longer(token: Token) -> bool:
    """ "no longer" / "no more", where "no" hangs off "longer"."""
    return token.lower_ in ("longer", "more") and any(child.lower_ == "no" for child in token.children)


def _is_past(verb: Token) -> bool:
    return verb.tag_ in ("VBD", "VBN") or any(child.dep_ == "aux" and child.tag_ == "VBD" for child in verb.children)


def _subject_word(verb: Token) -> Optional[str]:
    """The subject word of the sign's clause, or of the nearest clause above it that has one."""
    for token in [verb, *verb.ancestors]:
        for child in token.children:
            if child.dep_ == "nsubj":
                return child.lower_
    return None


def _has_aux_to(token: Token) -> bool:
    return any(child.dep_ == "aux" and child.norm_ == "to" for child in token.children)


class Stance:
    """The catalogue's word lists (ended_by, past_over, over_next, the past relationship and back
    reference words, wished_by) applied to a parse."""

    def __init__(self, book: Catalogue) -> None:
        self.book = book
        self.self_words = book.subject_words["self"]
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
            infinitive = token.dep_ in ("advcl", "relcl") and _has_aux_to(token)
            if token.dep_ in GOVERNING_DEPS or shared or infinitive:
                token = head
            elif token.dep_ == "ccomp" and head.lemma_.lower() in BELIEF_VERBS and head.i < token.i:
                # "I don't think [he checks]"; a ccomp *before* its head is a comma splice misparse.
                token = head
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
        for token in self.governors(span):
            if self._used_to(token, span):
                return True  # "I used to check", "I used to think [needing people was weak]"
            if span.start <= token.i < span.end:
                continue
            if token.norm_ in self.book.ended_by:
                return True  # "I stopped checking"
            if token.norm_ == "use" and _has_aux_to(span.root):
                return True
        root = span.root
        sentence_rest = span.doc[span.end : root.sent.end]
        following = _next_sentence(root.sent)
        short_following = list(following) if following is not None and len(following) <= SHORT_SENTENCE else []
        later = [*sentence_rest, *short_following]
        subject = _subject_word(root)
        if subject is not None and any(self._ends_by_reference(token, subject) for token in later):
            return True  # "…, but I haven't done that in ages"
        if any(_is_past(token) for token in [root, *root.ancestors]):
            # "My ex decided everything", "In my last relationship I gave up …", "I always said
            # sorry first, but that was with my ex" / "… That was my first marriage."
            if any(self._names_past_relationship(token) and _same_clause(token, root) for token in root.sent):
                return True
            if any(self._that_was_then(token) for token in later):
                return True
        if not (_is_past(root) or self._used_to(root, span)):
            return False
        if any(token.norm_ in self.book.past_over and _same_clause(token, root) for token in sentence_rest):
            return True
        return any(
            token.norm_ in self.book.over_next and (token.norm_ != "over" or token.head.norm_ == "be")
            for token in short_following
        )

    def _names_past_relationship(self, token: Token) -> bool:
        word = token.lower_
        if word in self.book.ex_words or word.startswith("ex-"):
            return True
        return word in self.book.former_words and token.head.lower_ in self.book.relationship_words

    def _that_was_then(self, token: Token) -> bool:
        """A "that was …" clause naming a time gone or an ended relationship."""
        if token.lemma_ != "be" or token.tag_ != "VBD":
            return False
        if not any(child.dep_ == "nsubj" and child.lower_ in self.book.back_references for child in token.children):
            return False
        return any(word.lower_ == "then" or self._names_past_relationship(word) for word in token.subtree)

    def _ends_by_reference(self, token: Token, subject: str) -> bool:
        """A clause of the same person that ends what came before by pointing back at it: "I
        haven't done that in ages", "I stopped believing that". Not "I can't stop doing it", "I
        should stop that", "He said okay and never did it", "telling him 'no, I'm not doing that'"."""
        if token.dep_ not in ("ROOT", "conj", "parataxis"):
            return False
        if not any(child.dep_ == "nsubj" and child.lower_ == subject for child in token.children):
            return False
        negated = any(is_negation(child) for child in token.children)
        if token.lemma_ == "do" and token.dep_ != "aux":
            return negated and self._points_back(token)
        if token.norm_ not in self.book.ended_by or negated:
            return False
        wished = token.head.norm_ in self.book.wished_by or any(
            child.dep_ == "aux" and child.norm_ in self.book.wished_by for child in token.children
        )
        return not wished and self._points_back(token)

    def _points_back(self, verb: Token) -> bool:
        return any(
            word.dep_ == "dobj" and word.lower_ in self.book.back_references
            for word in verb.subtree
            if word.head.i == verb.i or word.head.head.i == verb.i
        )

    def is_hypothetical(self, span: Span) -> bool:
        """A sign in the "if" clause of an imagined outcome ("If he ever read my messages I'd
        leave"): a what-if, not a pattern. The imagined outcome itself can be the sign ("I'd feel
        weak if I told him I needed him"), so only the condition is read this way."""
        for token in [span.root, *span.root.ancestors]:
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

    @staticmethod
    def _used_to(token: Token, span: Span) -> bool:
        head = token.head
        return (
            head.norm_ == "use"
            and head.tag_ == "VBD"
            and not (span.start <= head.i < span.end)
            and _has_aux_to(token)
        )
