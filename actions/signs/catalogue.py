"""The sign catalogue (catalogue.yml) loaded into typed objects and compiled into spaCy patterns.

The catalogue is data so that a counsellor can add a phrasing without touching Python; this module
turns its small phrasing language into spaCy Matcher token patterns, and says whose step a sign
calls for (`Catalogue.step_subject`).
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Dict, FrozenSet, List, Mapping, Optional, Tuple

import yaml

from actions.coaching import TOPICS

CATALOGUE_PATH = Path(__file__).with_name("catalogue.yml")
PATTERNS = ("codependency", "counterdependency", "interdependence")
SUBJECTS = ("self", "partner", "other")


@dataclass(frozen=True)
class Phrasing:
    """One way of expressing a sign, and whose behaviour it shows when the words alone decide."""

    text: str
    subject: Optional[str] = None


@dataclass(frozen=True)
class SignEntry:
    """Everything the catalogue says about one label."""

    label: str
    pattern: str
    name: str
    why: str
    topic: str
    priority: int
    phrasings: Tuple[Phrasing, ...]
    topic_by_subject: Mapping[str, str] = field(default_factory=dict)
    when_negated: Optional[str] = None
    cancels: Tuple[str, ...] = ()

    def topic_for(self, subject: str) -> str:
        """The coaching topic that fits whose behaviour it is (control by a partner → boundaries)."""
        return self.topic_by_subject.get(subject, self.topic)

    @property
    def healthy(self) -> bool:
        return self.pattern == "interdependence"


@dataclass(frozen=True)
class Catalogue:
    signs: Mapping[str, SignEntry]
    pattern_names: Mapping[str, str]
    topic_names: Mapping[str, str]
    classes: Mapping[str, FrozenSet[str]]
    subject_words: Mapping[str, FrozenSet[str]]
    ended_by: FrozenSet[str]
    past_over: FrozenSet[str]
    over_next: FrozenSet[str]
    ex_words: FrozenSet[str]
    former_words: FrozenSet[str]
    relationship_words: FrozenSet[str]
    back_references: FrozenSet[str]
    back_then: FrozenSet[str]
    gone_words: FrozenSet[str]
    gone_subjects: FrozenSet[str]
    gone_for: FrozenSet[str]
    wished_by: FrozenSet[str]
    conditional_marks: FrozenSet[str]
    imagined_by: FrozenSet[str]
    imagined_ever: FrozenSet[str]
    one_off_adverbs: FrozenSet[str]
    one_off_counted_by: FrozenSet[str]
    one_off_phrases: Tuple[str, ...]

    def falls_on_writer(self, evidence: str) -> bool:
        """Whether the writer is in a sign's words other than as the owner of a person named: "my mum
        reads my messages" falls on the writer, "my sister's husband checks her phone" does not."""
        words = re.findall(r"[a-z']+", evidence.lower())
        people = self.subject_words["partner"] | self.subject_words["other"]
        for index, word in enumerate(words):
            if word not in self.subject_words["self"]:
                continue
            # "my sister's", "my best mate", "our older son": the writer only names whose they are.
            named = {following.split("'")[0] for following in words[index + 1 : index + 3]}
            if not (word in ("my", "our") and named & people):
                return True
        return False

    def step_subject(self, subject: str, evidence: str) -> str:
        """Whose step a sign calls for: someone else's behaviour that falls on the writer is met as
        a partner's would be ("partner"); one the writer only watches stays "other" and leads to
        being there for them (topic_by_subject)."""
        return "partner" if subject == "other" and self.falls_on_writer(evidence) else subject

    def step_topic(self, label: str, subject: str, evidence: str) -> str:
        """The coaching topic a sign leads to, for the subject `step_subject` decides."""
        return self.signs[label].topic_for(self.step_subject(subject, evidence))


class CatalogueError(ValueError):
    """The catalogue file breaks one of its own rules (unknown class, topic, pattern...)."""


def _words(values: List[object]) -> FrozenSet[str]:
    return frozenset(str(value).lower() for value in values)


def _phrasing(raw: object, label: str) -> Phrasing:
    if isinstance(raw, str):
        return Phrasing(raw)
    if isinstance(raw, dict) and isinstance(raw.get("phrase"), str):
        subject = raw.get("subject")
        if subject is not None and subject not in SUBJECTS:
            raise CatalogueError(f"{label}: unknown subject {subject!r}")
        return Phrasing(raw["phrase"], subject)
    raise CatalogueError(f"{label}: a phrasing must be a string or {{phrase, subject}}: {raw!r}")


def _entry(label: str, raw: Dict[str, object]) -> SignEntry:
    pattern, topic = raw.get("pattern"), raw.get("topic")
    if pattern not in PATTERNS:
        raise CatalogueError(f"{label}: unknown pattern {pattern!r}")
    by_subject = dict(raw.get("topic_by_subject") or {})
    for name in [topic, *by_subject.values()]:
        if name not in TOPICS:
            raise CatalogueError(f"{label}: unknown coaching topic {name!r}")
    return SignEntry(
        label=label,
        pattern=str(pattern),
        name=str(raw["name"]),
        why=str(raw["why"]),
        topic=str(topic),
        priority=int(raw.get("priority", 50)),
        phrasings=tuple(_phrasing(item, label) for item in raw.get("match") or []),
        topic_by_subject=by_subject,
        when_negated=raw.get("when_negated"),
        cancels=tuple(raw.get("cancels") or ()),
    )


def load_catalogue(path: Path = CATALOGUE_PATH) -> Catalogue:
    """Read and check the catalogue file."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    missing = set(TOPICS) - set(raw.get("topics") or {})
    if missing:
        raise CatalogueError(f"topics without a plain-words name: {sorted(missing)}")
    signs = {label: _entry(label, body) for label, body in raw["signs"].items()}
    for entry in signs.values():
        for other in [entry.when_negated, *entry.cancels]:
            if other and other not in signs:
                raise CatalogueError(f"{entry.label}: names unknown sign {other!r}")
    return Catalogue(
        signs=signs,
        pattern_names=dict(raw["patterns"]),
        topic_names=dict(raw["topics"]),
        classes={name: _words(words) for name, words in raw["classes"].items()},
        subject_words={name: _words(words) for name, words in raw["subjects"].items()},
        ended_by=_words(raw.get("ended_by", [])),
        past_over=_words(raw.get("past_over", [])),
        over_next=_words(raw.get("over_next", [])),
        ex_words=_words(raw.get("ex_words", [])),
        former_words=_words(raw.get("former_words", [])),
        relationship_words=_words(raw.get("relationship_words", [])),
        back_references=_words(raw.get("back_references", [])),
        back_then=_words(raw.get("back_then", [])),
        gone_words=_words(raw.get("gone_words", [])),
        gone_subjects=_words(raw.get("gone_subjects", [])),
        gone_for=_words(raw.get("gone_for", [])),
        wished_by=_words(raw.get("wished_by", [])),
        conditional_marks=_words(raw.get("conditional_marks", [])),
        imagined_by=_words(raw.get("imagined_by", [])),
        imagined_ever=_words(raw.get("imagined_ever", [])),
        one_off_adverbs=_words(raw.get("one_off_adverbs", [])),
        one_off_counted_by=_words(raw.get("one_off_counted_by", [])),
        one_off_phrases=tuple(str(phrase).lower() for phrase in raw.get("one_off_phrases", [])),
    )


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    """The catalogue shipped with the code, read once per process."""
    return load_catalogue()


def word_forms(word: str) -> FrozenSet[str]:
    """The word plus the dictionary forms it may stand for, so that a phrasing written with
    "feelings" or "cancelled" still matches the lemmas "feeling" and "cancel" the detector compares."""
    forms = {word}
    stems = []
    if word.endswith("ies") or word.endswith("ied"):
        forms.add(word[:-3] + "y")
    if word.endswith("es"):
        stems.append(word[:-2])
    if word.endswith("s") and not word.endswith("ss"):
        stems.append(word[:-1])
    if word.endswith("ing"):
        stems.append(word[:-3])
    if word.endswith("ed"):
        stems.append(word[:-2])
    for stem in stems:
        if len(stem) < 2:
            continue
        forms |= {stem, stem + "e"}
        if len(stem) > 2 and stem[-1] == stem[-2]:
            forms.add(stem[:-1])
    return frozenset(forms)


def compile_phrasing(text: str, classes: Mapping[str, FrozenSet[str]]) -> List[Dict[str, object]]:
    """Turn a phrasing such as "@NEG say ...2 no" into a spaCy Matcher token pattern.

    Tokens are matched on NORM, which the detector sets to each word's lower-case lemma.
    """
    pattern: List[Dict[str, object]] = []
    for spec in text.split():
        if spec.startswith("..."):
            limit = int(spec[3:] or 3)
            pattern.append({"OP": f"{{0,{limit}}}"})
            continue
        optional = spec.endswith("?") and len(spec) > 1
        spec = spec[:-1] if optional else spec
        token: Dict[str, object] = {}
        if spec != "*":
            words: set = set()
            for alternative in spec.split("|"):
                if alternative.startswith("@"):
                    if alternative[1:] not in classes:
                        raise CatalogueError(f"unknown class {alternative} in {text!r}")
                    for word in classes[alternative[1:]]:
                        words |= word_forms(word)
                else:
                    words |= word_forms(alternative.lower())
            token["NORM"] = {"IN": sorted(words)}
        if optional:
            token["OP"] = "?"
        pattern.append(token)
    if not pattern or all(token.get("OP") for token in pattern):
        raise CatalogueError(f"phrasing matches nothing solid: {text!r}")
    return pattern
