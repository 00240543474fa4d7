"""Small facts of a dependency parse that the stance (stance.py), the ending (ending.py) and whose
behaviour it is (whose.py) all read: subjects, negations, clause boundaries."""

from spacy.tokens import Token

SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj", "csubjpass", "expl")
NEGATORS = frozenset({"not", "never", "n't", "nt"})
# Dependencies that open a clause of its own below a verb (a reported, adverbial or relative clause).
CLAUSE_HEADS = ("ccomp", "advcl", "relcl", "acl", "csubj", "parataxis")


def is_negation(token: Token) -> bool:
    """ "not", "never", "n't" (however spelled), or whatever the parse marks as a negation."""
    return token.dep_ == "neg" or token.norm_ in NEGATORS or token.lower_ in NEGATORS


def has_aux_to(token: Token) -> bool:
    return any(child.dep_ == "aux" and child.norm_ == "to" for child in token.children)


def same_clause(cue: Token, root: Token) -> bool:
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
