"""Whose behaviour a sign is: the writer's (`self`), their partner's, or someone else's (`other`),
read from the subject of the sign's clause with the catalogue's person words (catalogue.yml,
`subjects`). The catalogue's rules (detector.py) and the model's clauses (reader.py) both ask it."""

from typing import Iterator, Optional

from spacy.tokens import Span, Token

from actions.signs.catalogue import Catalogue
from actions.signs.clauses import SUBJECT_DEPS


# How many words back a pronoun's antecedent is looked for.
ANTECEDENT_WINDOW = 60


def subject_chain(token: Token) -> Iterator[Token]:
    """The sign's word and up to four words above it, where its subject may hang."""
    yield token
    for _ in range(4):
        if token.head.i == token.i:
            return
        token = token.head
        yield token


# Words that open a clause of time or condition before the main one.
OPENERS = frozenset({"when", "whenever", "if", "once", "soon", "until"})
# Nouns that open such a clause as "every time …", "the minute …", "the moment …".
OPENING_TIMES = frozenset({"time", "minute", "moment", "second"})
# Verbs with which a writer approves of a partner's healthy habit rather than sharing it.
APPROVING = frozenset({"love", "like", "respect", "admire", "appreciate", "mind", "adore", "think"})
# Verbs by which a limit is told, so that the teller's is the limit approved of.
TELLING = frozenset({"tell", "say", "ask", "explain"})
# A clause that is the content of watching, asking or knowing ("what mood he's in", "who he's
# talking to") opens with one of these and hangs under that verb.
WH_WORDS = frozenset({"what", "who", "whom", "whether", "which", "how"})
CONTENT_DEPS = frozenset({"ccomp", "pcomp", "dobj", "xcomp", "pobj"})


def _is_wh_content(token: Token) -> bool:
    """Whether the token heads a what/who/how clause that is what someone watches or asks about."""
    first = next(token.subtree)
    return token.dep_ in CONTENT_DEPS and first.i < token.i and first.lower_ in WH_WORDS


def _subjects(token: Token) -> list:
    return [child for child in token.children if child.dep_ in SUBJECT_DEPS]


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
        self.back_references = book.back_references  # "I respect [that]"

    def of(self, span: Span, healthy: bool, fixed: str = "") -> str:
        """The sign's subject; `fixed` when the catalogue's phrasing says whose it is. A healthy sign
        in a sentence of which the writer is a subject is the writer's too ("he listens and I say
        what I need")."""
        approved = self._approved(span.root) if healthy else None
        if approved is not None:
            # Its own subject; none at all is the writer's diary style ("Told her no and she respected it").
            subjects = _subjects(approved)
            if not subjects:
                return "self"
            return self._person(subjects[0]) or self.subject_of(approved.doc[approved.i : approved.i + 1])
        subject = fixed or self.subject_of(span)
        if healthy and subject != "self" and self.writer_in(span.sent):
            return "self"
        return subject

    def _approved(self, root: Token) -> Optional[Token]:
        """What "I respect that" / "and she respects it" points back to, when the sign is only that
        approval: what was told ("He told me he needs a night to himself and I respect that", "Told
        her I don't lend money, family included, and she respected that"), or else the clause it
        hangs from or the sentence before ("Sundays are mine and she respects that")."""
        if root.lemma_.lower() not in APPROVING or not any(
            child.dep_ == "dobj" and child.lower_ in self.back_references for child in root.children
        ):
            return None
        doc, sentence = root.doc, root.sent
        before = doc[sentence.start - 1].sent if sentence.start > 0 else None
        # What was told: the first telling in the sentence, else in the one before.
        for words in (doc[sentence.start : root.i], before or []):
            told = next((token for token in words if token.lemma_.lower() in TELLING), None)
            if told is not None:
                return told
        if root.dep_ in ("conj", "parataxis") and root.head.i < root.i:
            return root.head
        if root.dep_ == "ROOT" and before is not None:
            return before.root
        return None

    def writer_in(self, sentence: Span) -> bool:
        """Whether the writer (I, we, "me and Joel") is a subject in the sentence; merely being
        spoken to ("she tells me straight"), approving or being asked about ("she asks how I'm
        feeling") does not make a partner's healthy sign the writer's."""
        return any(
            token.pos_ == "PRON" and token.lower_ in self.self_words and _is_subject(token)
            and token.head.lemma_.lower() not in APPROVING
            and not any(_is_wh_content(above) for above in [token.head, *token.head.ancestors])
            for token in sentence
        )

    def subject_of(self, span: Span) -> str:
        main = self._main_subject_after_opener(span.root)
        if main:
            return main
        for depth, token in enumerate(subject_chain(span.root)):
            if _is_wh_content(token):
                continue  # "(I watch) what mood he's in", "(to see) who he's talking to": the watcher's
            # A person word above the sign, or heading the sentence ("My boyfriend apologises for
            # everything" is sometimes parsed with "boyfriend" as its root).
            if (depth or token.dep_ == "ROOT") and token.pos_ in ("NOUN", "PROPN"):
                whose = self._whose(token)
                if whose:
                    return whose
            # The subject nearest the verb first: "When Ana's on shift I can't focus" is parsed
            # with both names as subjects of "focus".
            for child in sorted(_subjects(token), key=lambda child: abs(child.i - token.i)):
                whose = self._person(child)
                if whose:
                    return whose
        return "self"

    def _main_subject_after_opener(self, root: Token) -> Optional[str]:
        """ "Whenever Lasith wants money I give it": the small parser often makes the opening
        when/if clause the root and hangs the main clause below it; then the main clause's subject
        (after the root) is whose behaviour it is, not the opening clause's."""
        opener = next((
            child for child in root.children
            if child.i < root.i
            and (child.lower_ in OPENERS or (child.dep_ == "npadvmod" and child.lower_ in OPENING_TIMES))
        ), None)
        subjects = _subjects(root)
        if opener is None or len(subjects) != 1 or subjects[0].i < opener.i:
            return None
        if any(token.pos_ in ("VERB", "AUX") for token in root.doc[opener.i + 1 : root.i]):
            return None  # the opening clause has a verb of its own: the root is the main clause
        later = [token for token in root.subtree if token.i > root.i and token.dep_ in SUBJECT_DEPS]
        # "Every time Carys says she loves me I go cold": what she says comes first; the writer's
        # own clause is the main one.
        writer = [token for token in later if token.lower_ in self.self_words]
        pick = (writer or later)[:1]
        return self._person(pick[0]) if pick else None

    def _person(self, subject: Token) -> Optional[str]:
        """Whose a subject word or a name is."""
        return self._whose(subject) or self._first_name(subject)

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
        if token.pos_ == "PROPN":
            return None  # "our Gemma", "my Tamsin": a person, not a thing someone owns (_first_name)
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

    def _first_name(self, token: Token) -> Optional[str]:
        """A name as subject ("Orla reads my diary"): whoever it was introduced as ("my flatmate
        Jess … Jess"); family with "our" ("our Gemma"); someone else's when they have a partner of
        their own in the sentence ("Pádraig … when his wife says it"); else the partner."""
        if token.pos_ != "PROPN" or not token.text[:1].isupper() or token.text.isupper():
            return None
        if any(child.dep_ == "poss" and child.lower_ == "our" for child in token.children):
            return "other"
        for mention in token.doc:
            if mention.lower_ != token.lower_:
                continue
            named = self._named(mention)
            if not named and mention.dep_ in ("appos", "compound") and mention.head.pos_ == "NOUN":
                named = self._named(mention.head)
            if named:
                return named
        return "other" if self._has_own_partner(token) else "partner"

    def _has_own_partner(self, person: Token) -> bool:
        """Whether the sentence gives this third person a partner of their own ("she never says no
        to her husband"): then they are not the writer's partner."""
        return any(
            token.norm_ in self.partner_words and token.norm_ != "ex" and token.pos_ in ("NOUN", "PROPN")
            and token.i != person.i
            and any(child.dep_ == "poss" and child.lower_ not in self.self_words for child in token.children)
            for token in person.sent
        )

    def _antecedent(self, pronoun: Token) -> str:
        """He/she usually means the partner, unless the nearest person named before is someone else
        ("my brother's wife ... she", "my flatmate Aoife ... she")."""
        for token in reversed(pronoun.doc[max(0, pronoun.i - ANTECEDENT_WINDOW) : pronoun.i]):
            if token.pos_ in ("NOUN", "PROPN"):
                named = self._named(token)
                if named:
                    return named
        return "other" if self._has_own_partner(pronoun) else "partner"

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
