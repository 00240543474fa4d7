"""Deterministic crisis matcher: finds danger, abuse and thoughts of self-harm in one message.

Why rules and not only the classifier: a person in danger must get real help even when the intent
classifier is unsure. The patterns are data (``crisis_patterns.yml``); this module compiles them into
a spaCy ``Matcher`` and adds the two checks token patterns cannot express: a negation that belongs
to a matched word ("he has never hit me", "I don't want to die" is not "want to die") and a
disqualifying next token ("she beat me at chess").

It accepts an already-parsed ``Doc`` so the Rasa server can reuse the SpacyNLP doc; the matcher is
built on that doc's own vocabulary, so no second pipeline is loaded there.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Union

import yaml
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

PATTERNS_FILE = Path(__file__).with_name("crisis_patterns.yml")

NEGATIONS = frozenset({"not", "never"})  # token norms: "n't" and "nt" are normalised to "not"
WORDS_A_NEGATION_SKIPS = frozenset({"ADV", "AUX", "PART"})  # "never REALLY hit", "not BE"
NEGATION_REACH = 3  # how far before a match a negation may stand ("I do n't | want to die")


@dataclass(frozen=True)
class CrisisMatch:
    """One sign of danger: its kind, the writer's exact words and where they are in the text."""

    kind: str
    evidence: str
    start: int
    end: int
    rule: str


@dataclass(frozen=True)
class _Rule:
    kind: str
    name: str
    unless_next: frozenset[str]
    unless_next_pos: frozenset[str]
    gaps: frozenset[int]  # pattern positions that are optional fillers, not words that carry meaning


def _gap_positions(tokens: list[dict]) -> frozenset[int]:
    return frozenset(index for index, token in enumerate(tokens) if "OP" in token)


@lru_cache(maxsize=1)
def _load_patterns() -> dict[str, Any]:
    with PATTERNS_FILE.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _phrase_to_tokens(phrase: str, aliases: dict[str, list[str]], vocab: Vocab) -> list[dict]:
    """Turn 'do not want to live' into NORM token patterns that also accept typed contractions."""
    tokens = []
    for word in phrase.split():
        forms = set(aliases.get(word, [word]))
        forms.add(vocab[word].norm_)  # the pipeline may normalise spelling ("till" -> "until")
        tokens.append({"NORM": {"IN": sorted(forms)}})
    return tokens


@lru_cache(maxsize=4)
def _compiled(vocab: Vocab) -> tuple[Matcher, dict[str, _Rule]]:
    """Build the matcher once per vocabulary (one per spaCy pipeline in the process)."""
    data = _load_patterns()
    aliases = data.get("aliases", {})
    matcher = Matcher(vocab, validate=True)
    rules: dict[str, _Rule] = {}
    for kind_entry in data["kinds"]:
        kind = kind_entry["kind"]
        for index, phrase in enumerate(kind_entry.get("phrases", [])):
            name = f"{kind}/phrase/{index}:{phrase}"
            rules[name] = _Rule(kind, name, frozenset(), frozenset(), frozenset())
            matcher.add(name, [_phrase_to_tokens(str(phrase), aliases, vocab)])
        for index, entry in enumerate(kind_entry.get("patterns", [])):
            spec = entry if isinstance(entry, dict) else {"tokens": entry}
            name = f"{kind}/pattern/{index}"
            rules[name] = _Rule(
                kind,
                name,
                frozenset(spec.get("unless_next", [])),
                frozenset(spec.get("unless_next_pos", [])),
                _gap_positions(spec["tokens"]),
            )
            matcher.add(name, [spec["tokens"]])
    return matcher, rules


def _is_negated(span: Span, alignments: list[int], rule: _Rule) -> bool:
    """True when a meaningful matched word is negated by a word the pattern did not ask for.

    Uses only tags, never the dependency parse: the Rasa server's SpacyNLP runs without the
    parser. A "not"/"never" negates the next word that is not an adverb, auxiliary or particle.
    "he has never hit me": "never" negates "hit". "he won't stop hitting me": the negation
    falls on "stop", so the match stands. "do not want to live": the phrase asks for "not".
    """
    doc = span.doc
    meaningful = {
        span.start + offset
        for offset, position in enumerate(alignments)
        if position not in rule.gaps
    }
    for index in range(max(0, span.start - NEGATION_REACH), span.end):
        if index in meaningful or doc[index].norm_ not in NEGATIONS:
            continue
        negated = index + 1
        while (
            negated < len(doc)
            and negated not in meaningful
            and doc[negated].pos_ in WORDS_A_NEGATION_SKIPS
        ):
            negated += 1
        if negated in meaningful:
            return True
    return False


def _is_excluded_by_next(span: Span, rule: _Rule) -> bool:
    if span.end >= len(span.doc):
        return False
    following = span.doc[span.end]
    return following.lower_ in rule.unless_next or following.pos_ in rule.unless_next_pos


def find_all_crises(doc: Doc) -> list[CrisisMatch]:
    """Every crisis match in a parsed doc, in text order (longest first where they start together)."""
    matcher, rules = _compiled(doc.vocab)
    found = []
    for match_id, start, end, alignments in matcher(doc, with_alignments=True):
        rule = rules[doc.vocab.strings[match_id]]
        span = doc[start:end]
        if _is_excluded_by_next(span, rule) or _is_negated(span, alignments, rule):
            continue
        found.append(CrisisMatch(rule.kind, span.text, span.start_char, span.end_char, rule.name))
    return sorted(found, key=lambda match: (match.start, -match.end))


def _parse(text: str) -> Doc:
    """Parse like the Rasa server does (SpacyNLP lower-cases), so both paths agree."""
    from actions.nlp import load_nlp  # imported here: the Rasa server path never loads a 2nd model

    lowered = text.lower()
    return load_nlp()(lowered if len(lowered) == len(text) else text)


def find_crisis(doc_or_text: Union[Doc, str]) -> CrisisMatch | None:
    """The first sign of danger in a message, or None; evidence is quoted from the original text."""
    if isinstance(doc_or_text, Doc):
        matches = find_all_crises(doc_or_text)
        text = doc_or_text.text
        if matches or text == text.lower():  # the Rasa server's docs are lower-case already
            return matches[0] if matches else None
        # A doc of cased text: shouting ("HE HIT ME") confuses the tagger, so read it lower-cased too.
    else:
        text = doc_or_text or ""
    if not text.strip():
        return None
    matches = find_all_crises(_parse(text))
    if not matches:
        return None
    first = matches[0]
    return CrisisMatch(first.kind, text[first.start : first.end], first.start, first.end, first.rule)
