"""The change in plain words and the chart's text alternative: signs and dates, never a diagnosis."""

from __future__ import annotations

from actions.progress.describe import change_sentences, text_alternative
from actions.progress.history import check_ins
from actions.reflection.catalogue import load_catalogue
from tests.progress.histories import history, records

FORBIDDEN = ("you are codependent", "you are counterdependent", "diagnos")


def test_a_theme_that_got_easier_is_named_with_the_first_date() -> None:
    assert change_sentences(history(2), load_catalogue()) == ["Saying no has got easier since 3 November 2026."]


def test_no_move_says_much_the_same() -> None:
    same = records(1) + records(1)
    same[1] = {**same[1], "date": "2026-11-10"}
    sentences = change_sentences(check_ins(same, list(load_catalogue().questions)), load_catalogue())
    assert sentences == ["Things look much the same as on 3 November 2026."]


def test_one_check_in_has_no_change_to_tell() -> None:
    assert change_sentences(history(1), load_catalogue()) == []


def test_text_alternative_names_count_dates_leanings_and_the_change() -> None:
    text = text_alternative(history(30), load_catalogue())
    assert text.startswith("Chart of your 30 check-ins, from 3 November 2026 to 29 January 2027.")
    assert "Leaning towards codependency:" in text and "Leaning towards counterdependency:" in text
    assert "Saying no: strong signs on 3 November 2026, few signs on 29 January 2027." in text
    assert not any(phrase in text.lower() for phrase in FORBIDDEN)
