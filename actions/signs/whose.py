"""Whose behaviour a sign is: the writer's (`self`), their partner's, or someone else's (`other`),
read from the subject of the sign's clause with the catalogue's person words (catalogue.yml,
`subjects`). The catalogue's rules (detector.py) and the model's clauses (reader.py) both ask it."""

from typing import Iterator, Optional

from spacy.tokens import Span, Token

from actions.signs.catalogue import Catalogue
from actions.signs.stance import SUBJECT_DEPS


# How many words back a pronoun's antecedent is looked for.
ANTECEDENT_WINDOW = 60


def subject_chain(token: Token) -> Iterator[Token]:
    """The sign's word and up to four words above it, where its subject may hang."""
    yield token
    for _ in range(4):
        if token.head is token:
            return
        token = token.head
        yield token


def _is_subject(token: Token) -> bool:
    """A subject, or one of several ("Joel and I", "me and Joel")."""
    head = token.head if token.dep_ == "conj" else token
    return head.dep_ in SUBJECT_DEPS


class Whose:
    """The catalogue's person words applied to a parse: who does what a sign describes."""

    def __init__(self, book: Catalogue) -> None:
        self.self_words = book.subject_words["self"]
        self.partner_words = book.subject_words["partner"]
        self.other_words = book.subject_words["other"]

    def of(self, span: Span, healthy: bool, fixed: str = "") -> str:
        """The sign's subject; `fixed` when the catalogue's phrasing says whose it is. A healthy sign
        in a sentence of which the writer is a subject is the writer's too ("he listens and I say
        what I need")."""
        subject = fixed or self.subject_of(span)
        if healthy and subject != "self" and self.writer_in(span.sent):
            return "self"
        return subject

    def writer_in(self, sentence: Span) -> bool:
        """Whether the writer (I, we, "me and Joel") is a subject in the sentence; merely being
        spoken to ("she tells me straight") does not make a partner's healthy sign the writer's."""
        return any(
            token.pos_ == "PRON" and token.lower_ in self.self_words and _is_subject(token)
            for token in sentence
        )

    def subject_of(self, span: Span) -> str:
        for depth, token in enumerate(subject_chain(span.root)):
            if depth and token.pos_ in ("NOUN", "PROPN"):
                whose = self._whose(token)
                if whose:
                    return whose
            for child in token.children:
                if child.dep_ in SUBJECT_DEPS:
                    whose = self._whose(child)
                    if whose:
                        return whose
        return "self"

    def _whose(self, token: Token) -> Optional[str]:
        """self | partner | other for a subject word, following possessives ("my sister's mood")."""
        word = token.norm_ if token.norm_ != "-pron-" else token.lower_
        lower = token.lower_
        if word in self.self_words or lower in self.self_words:
            return "self"
        if token.pos_ == "PRON" and (word in self.partner_words or lower in self.partner_words):
            return self._antecedent(token)
        named = self._named(token)
        if named:
            return named
        # "my mood", "her temper": whose the thing is.
        for child in token.children:
            if child.dep_ == "poss":
                whose = self._whose(child)
                if whose:
                    return whose
        return None

    def _owned_by_another(self, token: Token) -> bool:
        """ "his girlfriend", "my sister's husband", "Tyler's girlfriend": someone else's partner."""
        return any(child.dep_ == "poss" and child.lower_ not in self.self_words for child in token.children)

    def _antecedent(self, pronoun: Token) -> str:
        """He/she usually means the partner, unless the nearest person named before is someone else
        ("my brother's wife ... she", "my flatmate Aoife ... she")."""
        for token in reversed(pronoun.doc[max(0, pronoun.i - ANTECEDENT_WINDOW) : pronoun.i]):
            if token.pos_ in ("NOUN", "PROPN"):
                named = self._named(token)
                if named:
                    return named
        return "partner"

    def _named(self, token: Token) -> Optional[str]:
        """partner | other for a noun naming a person, None for any other noun; never follows a
        pronoun, so an antecedent's search cannot recurse."""
        if token.norm_ in self.partner_words:
            return "other" if self._owned_by_another(token) else "partner"
        if token.norm_ in self.other_words:
            return "other"
        for child in token.children:
            if child.dep_ in ("compound", "appos", "poss") and child.pos_ in ("NOUN", "PROPN"):
                named = self._named(child)
                if named:
                    return named
        return None
