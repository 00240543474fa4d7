"""Everything a follow-up can say exists in the domain, fills only the values it is given, and
never labels the person."""

import re
from pathlib import Path
from typing import Any, Dict, Iterator, Optional

import pytest
import yaml

from actions.coaching import TOPICS
from actions.context import (
    COACHING,
    KINDS,
    OFFER_CHOOSE,
    OFFER_COACH,
    OFFER_MORE_SIGNS,
    OFFER_NEXT_STEP,
    RESULT,
    SELF_ASSESSMENT,
    SIGN,
    SITUATION,
    TERM,
    Context,
)
from actions.followup.replies import FOLLOW_UP_INTENTS, Say, answer, links

REPO = Path(__file__).resolve().parents[2]
LABELLING = re.compile(r"\byou(?:'re| are)\s+(?:a\s+)?(?:co|counter)-?dependent\b", re.IGNORECASE)
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def domain_responses() -> Dict[str, Any]:
    responses: Dict[str, Any] = {}
    for path in sorted((REPO / "domain").glob("*.yml")):
        responses.update(yaml.safe_load(path.read_text(encoding="utf-8")).get("responses") or {})
    return responses


def every_context() -> Iterator[Optional[Context]]:
    """One context of each kind for every topic, term and pattern a follow-up can meet."""
    book = links()
    yield None
    for topic in TOPICS:
        yield Context(COACHING, topic=topic, step=1, offer=OFFER_NEXT_STEP)
        yield Context(RESULT, pattern="mixed", topics=[topic], topic=topic, offer=OFFER_COACH)
    for term in book.term_topics:
        yield Context(TERM, term=term)
        yield Context(TERM, term=term, offer=OFFER_COACH)
    for pattern in book.pattern_topics:
        yield Context(RESULT, pattern=pattern, offer=OFFER_COACH)
        if pattern != "mixed":
            yield Context(SIGN, pattern=pattern, sign_name="a sign", topic=book.pattern_topics[pattern], offer=OFFER_COACH)
            yield Context(SIGN, pattern=pattern, sign_name="a sign", offer=OFFER_MORE_SIGNS)
            yield Context(SELF_ASSESSMENT, pattern=pattern, topic=book.pattern_topics[pattern], offer=OFFER_CHOOSE)
    yield Context(SITUATION, told=["we argue a lot"])


def everything_said() -> Iterator[Say]:
    for context in every_context():
        for intent in FOLLOW_UP_INTENTS:
            for text in ("no", "am I counterdependent?", "well somebody has to pay the bills at home"):
                yield from answer(intent, context, text=text).said


def test_every_context_kind_is_exercised() -> None:
    assert {context.kind for context in every_context() if context} == set(KINDS)


def test_every_response_a_follow_up_can_send_exists() -> None:
    known = domain_responses()
    missing = sorted({say.response for say in everything_said()} - set(known))
    assert not missing, f"responses missing from domain/: {missing}"


def test_each_response_fills_exactly_the_values_it_is_given() -> None:
    known = domain_responses()
    for say in everything_said():
        for variation in known[say.response]:
            wanted = set(PLACEHOLDER.findall(variation.get("text", "")))
            assert wanted <= set(say.variables), f"{say.response} needs {wanted - set(say.variables)}"


@pytest.mark.parametrize("path", sorted((REPO / "domain").glob("*.yml")), ids=lambda p: p.name)
def test_no_reply_labels_the_person(path: Path) -> None:
    for name, variations in (yaml.safe_load(path.read_text(encoding="utf-8")).get("responses") or {}).items():
        for variation in variations:
            assert not LABELLING.search(variation.get("text", "")), f"{name} labels the person"
