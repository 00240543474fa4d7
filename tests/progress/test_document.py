"""The summary to take away: PDF and plain text that say not a diagnosis first, date, result, plan, history."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from actions.progress.document import as_pdf, as_text, summary
from actions.reflection.catalogue import load_catalogue
from tests.progress.histories import history

TODAY = date(2026, 12, 3)


def pdf_text(count: int) -> str:
    pdf = as_pdf(summary(history(count), load_catalogue(), TODAY))
    assert pdf.startswith(b"%PDF-")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_no_check_in_has_no_summary() -> None:
    with pytest.raises(ValueError):
        summary([], load_catalogue(), TODAY)


@pytest.mark.parametrize("count", [1, 2, 30])
def test_pdf_starts_with_not_a_diagnosis_and_holds_date_and_plan(count: int) -> None:
    text = pdf_text(count)
    assert text.splitlines()[0].startswith("This is a reflection, not a diagnosis")
    assert "Made on 3 December 2026" in text
    saying_no = load_catalogue().by_theme("saying_no")
    if count == 1:  # saying no was hard: the plan starts there, with its exercise
        assert f"Step 1: {saying_no.plan_step}" in text
        assert saying_no.exercise[:40] in " ".join(text.split())
    assert "Your plan" in text


@pytest.mark.parametrize("count", [1, 2, 30])
def test_history_table_has_a_row_per_check_in(count: int) -> None:
    text = pdf_text(count)
    assert "3 November 2026" in text
    rows = [line for line in as_text(summary(history(count), load_catalogue(), TODAY)).splitlines() if " | " in line]
    assert rows[0] == "Date | Leaning | Codependency | Counterdependency"
    assert len(rows) == count + 1


def test_thirty_check_ins_run_onto_a_second_page_with_every_date() -> None:
    pdf = as_pdf(summary(history(30), load_catalogue(), TODAY))
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) >= 2
    assert "29 January 2027" in text  # the 30th check-in, 29 × 3 days after 3 November


def test_plain_text_says_the_same_first() -> None:
    text = as_text(summary(history(2), load_catalogue(), TODAY))
    first, *rest = text.splitlines()
    assert first.startswith("This is a reflection, not a diagnosis")
    assert "Made on 3 December 2026 by an automated coach, not a therapist." in rest
