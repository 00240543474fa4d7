"""Whether a behaviour is over: "I used to check", "I stopped checking", "…, not anymore", "My ex
decided everything", "Back when we met I …", "…, those days are gone", "… That's not me now" — and
the clauses whose only business is to end what came before ("I haven't done that in years"), which
report nothing of their own. Word lists come from the catalogue (catalogue.yml)."""

from typing import Optional, Sequence

from spacy.tokens import Span, Token

from actions.signs.catalogue import Catalogue
from actions.signs.clauses import has_aux_to, is_negation, same_clause

# A following sentence this short may say a past sign is over ("Not anymore, that changed.").
SHORT_SENTENCE = 12


def _next_sentence(sentence: Span) -> Optional[Span]:
    doc = sentence.doc
    return doc[sentence.end].sent if sentence.end < len(doc) else None


def _is_past(verb: Token) -> bool:
    return verb.tag_ in ("VBD", "VBN") or any(child.dep_ == "aux" and child.tag_ == "VBD" for child in verb.children)


def _told_of_then(verb: Token) -> bool:
    """Past, or "would"/"could" of a habit that a time word or a later clause places then ("Back
    when I was drinking I'd say yes to anything")."""
    return _is_past(verb) or any(child.dep_ == "aux" and child.lemma_ in ("would", "could") for child in verb.children)


def _subject_word(verb: Token) -> Optional[str]:
    """The subject word of the sign's clause, or of the nearest clause above it that has one."""
    for token in [verb, *verb.ancestors]:
        for child in token.children:
            if child.dep_ == "nsubj":
                return child.lower_
    return None


class Ending:
    """The catalogue's word lists (ended_by, past_over, over_next, the past relationship, back
    reference and gone words) applied to a parse."""

    def __init__(self, book: Catalogue) -> None:
        self.book = book

    def is_over(self, span: Span, governors: Sequence[Token]) -> bool:
        """True when the words say the behaviour has stopped or belongs to the past; `governors`
        are the sign's main word and the words above it that still govern it (Stance.governors)."""
        for token in governors:
            if self._used_to(token, span):
                return True  # "I used to check", "I used to think [needing people was weak]"
            if span.start <= token.i < span.end:
                continue
            if token.norm_ in self.book.ended_by:
                return True  # "I stopped checking"
            if token.norm_ == "use" and has_aux_to(span.root):
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
            if any(self._names_past_relationship(token) and same_clause(token, root) for token in root.sent):
                return True
            if any(self._that_was_then(token) for token in later):
                return True
        if any(_told_of_then(token) for token in [root, *root.ancestors]):
            if self._dated(root) or any(self.says_gone(token) for token in later):
                return True  # "Years ago I gave up …", "…, those days are gone", "… That's not me now."
        if not (_is_past(root) or self._used_to(root, span)):
            return False
        if any(token.norm_ in self.book.past_over and same_clause(token, root) for token in sentence_rest):
            return True
        return any(
            token.norm_ in self.book.over_next and (token.norm_ != "over" or token.head.norm_ == "be")
            for token in short_following
        )

    def _dated(self, root: Token) -> bool:
        """ "Back when we met I …" / "Back then I …" in the sign's own clause; "back" counts only
        opening its sentence or clause ("I hold back when he's angry" still reports)."""
        doc = root.doc
        for token in root.sent:
            if token.lower_ != "back" or token.i + 1 >= len(doc) or not same_clause(token, root):
                continue
            opens = token.i == root.sent.start or doc[token.i - 1].is_punct
            if opens and doc[token.i + 1].lower_ in self.book.back_then:
                return True
        return False

    def says_gone(self, token: Token) -> bool:
        """A clause pointing back at what came before and saying it is gone: "those days are gone",
        "that's long gone", "it's not a thing anymore", "that was fifteen years ago", "that's not
        me now"; not "it's gone too far", "that was six loans ago" or "it wasn't me who left it"."""
        if token.dep_ not in ("ROOT", "conj", "parataxis", "advcl"):
            return False
        pointers = self.book.back_references | self.book.gone_subjects
        if not any(child.dep_ in ("nsubj", "nsubjpass") and child.lower_ in pointers for child in token.children):
            return False
        negated = any(is_negation(child) for child in token.children)
        if any(self._gone_word(word) for word in [token, *token.children]):
            return True
        if negated and any(word.lower_ in ("anymore", "longer") for child in token.children for word in child.children):
            return True  # "that's not how we are anymore"
        present = token.tag_ in ("VBZ", "VBP")
        return negated and present and any(
            child.dep_ == "attr" and child.lower_ == "me" and not list(child.children) for child in token.children
        )

    def _gone_word(self, word: Token) -> bool:
        if word.lower_ not in self.book.gone_words:
            return False
        if word.lower_ == "ago":
            return self._how_long(word)
        return not any(child.dep_ in ("prep", "prt", "dobj", "xcomp", "acomp", "oprd") or child.lower_ == "far"
                       for child in word.children)

    def _how_long(self, word: Token) -> bool:
        """A span of time below the word ("fifteen years ago", "in years", "since")."""
        below = [*word.children, *(grandchild for child in word.children for grandchild in child.children)]
        return any(token.lemma_.lower() in self.book.gone_for or token.lower_ in self.book.gone_for for token in below)

    def points_back_to_end(self, root: Token) -> bool:
        """A clause whose whole business is to end what came before ("that's not me anymore",
        "I've stopped that now", "Haven't done that in years"): nothing of its own to report.
        Not "i quit choir to do it" or "so i dont do it in front of him"."""
        if self.says_gone(root):
            return True
        pointed = any(child.dep_ == "dobj" and child.lower_ in self.book.back_references for child in root.children)
        if not pointed:
            return False
        negated = any(is_negation(child) for child in root.children)
        if root.lemma_ == "do":
            return negated and self._how_long(root)
        wished = any(child.dep_ == "aux" and child.norm_ in self.book.wished_by for child in root.children)
        return root.norm_ in self.book.ended_by and not negated and not wished

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

    @staticmethod
    def _used_to(token: Token, span: Span) -> bool:
        head = token.head
        return (
            head.norm_ == "use"
            and head.tag_ == "VBD"
            and not (span.start <= head.i < span.end)
            and has_aux_to(token)
        )
