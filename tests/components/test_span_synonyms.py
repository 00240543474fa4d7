"""SpanSynonymMapper: a topic span that is a little too wide still names its topic."""

from typing import Any, Dict, List

import pytest

from components.span_synonyms import SpanSynonymMapper

SYNONYMS = {"weekend alone": "alone_time", "a weekend alone": "alone_time", "say no": "boundaries", "no": "deny_word"}


def mapped(value: str) -> Any:
    mapper = SpanSynonymMapper({}, None, None, dict(SYNONYMS))  # type: ignore[arg-type]
    entities: List[Dict[str, Any]] = [{"entity": "topic", "value": value, "start": 0, "end": len(value)}]
    mapper.replace_synonyms(entities)
    return entities[0]["value"]


@pytest.mark.parametrize(
    "span, topic",
    [
        ("a weekend alone", "alone_time"),  # exact, as Rasa's own mapper does
        ("ask for a weekend alone", "alone_time"),  # over-wide: the longest synonym inside wins
        ("learn to say no", "boundaries"),
        ("Say No to her", "boundaries"),
    ],
)
def test_a_synonym_inside_the_span_gives_its_value(span: str, topic: str) -> None:
    assert mapped(span) == topic


def test_synonyms_match_whole_words_only() -> None:
    # "no" is a synonym key, but "nothing" and "noon" must not be read as it.
    assert mapped("nothing at noon") == "nothing at noon"


def test_a_value_that_is_already_a_topic_is_left_alone() -> None:
    assert mapped("boundaries") == "boundaries"
