"""When the sign model may not speak: chatter that the parse tells apart from a described situation.

The model learnt what signs sound like, not what a report of one looks like, so in conversation it
read "yeah go on then" as people-pleasing and "what would i even say to her" as well. A clause gets
no model sign when it is too short to describe a behaviour, an order to the assistant ("tell me
more"), a question ("how do i start?", "is it normal to ..."), or when the message names no person
at all ("the printer won't connect, help"), or only the writer in a few words ("i'll skip that",
"i have to go"). The catalogue still reads all of these: its phrasings are exact. Settings: `gate`
in actions/signs/model.yml.
"""

from typing import Dict, FrozenSet, List, Set

from spacy.tokens import Doc, Span, Token

from actions.signs.units import SUBJECT_DEPS, Unit

# Generic people: "nobody needs anyone", "you can't rely on people".
GENERIC_PEOPLE = frozenset({"people", "person", "someone", "somebody", "anyone", "anybody", "everyone",
                            "everybody", "nobody", "others", "guy", "girl", "man", "woman"})
YOU = frozenset({"you", "u", "ya", "yourself", "your"})

# Words that open a reply before what it says ("ok what else", "yeah but ...").
DISCOURSE = frozenset({"ok", "okay", "k", "so", "well", "right", "yeah", "yes", "yep", "no", "nah", "fine", "hmm"})


def _words(span: Span) -> List[Token]:
    return [token for token in span if not token.is_punct and not token.is_space]


def _is_wh(token: Token) -> bool:
    return token.tag_ in ("WDT", "WP", "WP$", "WRB")


def _is_aux(token: Token) -> bool:
    return token.pos_ == "AUX" or token.tag_ == "MD"


def _opening(part: Span) -> List[Token]:
    """The words of a clause or sentence without a leading "ok", "yeah", "but", "so"."""
    words = _words(part)
    while words and (words[0].pos_ in ("INTJ", "CCONJ") or words[0].lower_ in DISCOURSE):
        words = words[1:]
    return words


def is_question(span: Span, open_questions: FrozenSet[str]) -> bool:
    """Asked, not reported: a wh-word before an auxiliary ("how do i", "what else should i"), a
    wh-word as the subject ("who reads what i write"), or an auxiliary before its subject ("is it
    normal", "am i") or opening a sentence that ends in "?", in the clause or its sentence. "When he ..." is a clause, not a question; a
    why-question reports ("why do I always give in?") unless it is hypothetical ("why would ...")."""
    for part in (span, span.sent):
        words = _opening(part)
        if len(words) < 2:
            continue
        first, rest = words[0], [token for token in words[1:3] if token.lower_ != "else"]
        second = rest[0] if rest else words[1]
        if first.lower_ in open_questions and second.tag_ != "MD":
            continue
        if _is_wh(first) and (_is_aux(second) or (first.dep_ == "nsubj" and first.head.dep_ == "ROOT")):
            return True
        if _is_aux(first) and (second.dep_ in SUBJECT_DEPS or part.text.rstrip().endswith("?")):
            return True  # "is it normal", "does being independent mean …?" (a parse without a subject)
    return False


def is_order(span: Span) -> bool:
    """An imperative to the assistant ("tell me more", "cancel that", "go on, keep going"): a
    bare verb heading the clause with no subject and no auxiliary ("cant say no" is not one)."""
    root = span.root
    if root.tag_ != "VB" or any(child.dep_ in SUBJECT_DEPS or _is_aux(child) for child in root.children):
        return False
    before = [token for token in _words(span) if token.i < root.i]
    return all(token.pos_ in ("INTJ", "ADV", "VERB", "CCONJ") or token.lower_ in ("ok", "okay", "pls", "please")
               for token in before)


def people_named(doc: Doc, person_words: Dict[str, FrozenSet[str]]) -> Set[str]:
    """Who the message names: "writer" (I, we), "others" (a partner, a relative, people in
    general, a name), "you" (the assistant in a reply, or anyone in "you can't rely on people")."""
    named: Set[str] = set()
    for token in doc:
        word = token.lower_
        if word in person_words.get("self", ()):
            named.add("writer")
        elif word in YOU:
            named.add("you")
        elif (any(word in words or token.norm_ in words for name, words in person_words.items() if name != "self")
              or word in GENERIC_PEOPLE or token.pos_ == "PROPN"):
            named.add("others")
    return named


class ChatterGate:
    """The gate with its settings and the catalogue's subject words."""

    def __init__(self, settings: Dict, subject_words: Dict[str, FrozenSet[str]]) -> None:
        self.min_words = int(settings.get("min_words", 0))
        self.open_questions = frozenset(settings.get("open_questions", ()))
        self.writer_alone_below = int(settings.get("writer_alone_below", 0))
        self.person_words = subject_words
        self.checks = set(settings.get("checks", ("short", "order", "question", "no_one")))

    def closed(self, unit: Unit) -> bool:
        """True when the model must not claim a sign on this clause."""
        span = unit.span
        return (
            ("short" in self.checks and len(_words(span)) < self.min_words)
            or ("order" in self.checks and is_order(span))
            or ("question" in self.checks and is_question(span, self.open_questions))
            or ("no_one" in self.checks and self._no_one(span.doc))
        )

    def _no_one(self, doc: Doc) -> bool:
        """Nobody named, or a short message naming no one but the writer and the assistant ("i'll
        skip that", "i agree with you")."""
        named = people_named(doc, self.person_words)
        return not named or ("others" not in named and len(_words(doc[:])) < self.writer_alone_below)
