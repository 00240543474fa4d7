"""The progress chart: a PNG a phone shows clearly, dated, with its axes and lines named."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from actions.progress.chart import chart_figure, render_chart
from actions.reflection.catalogue import load_catalogue
from tests.progress.histories import history

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def texts_of(count: int) -> dict[str, list[str]]:
    leanings, themes = chart_figure(history(count), load_catalogue()).axes
    return {
        "titles": [leanings.get_title("left"), themes.get_title("left")],
        "y_labels": [leanings.get_ylabel(), themes.get_ylabel()],
        "dates": [label.get_text() for label in themes.get_xticklabels()],
        "legend": [text.get_text() for axes in (leanings, themes) if axes.get_legend() for text in axes.get_legend().get_texts()],
    }


def test_no_check_in_has_no_chart() -> None:
    with pytest.raises(ValueError):
        render_chart([], load_catalogue())


@pytest.mark.parametrize("count", [1, 2, 30])
def test_chart_is_a_phone_sized_png(count: int) -> None:
    png = render_chart(history(count), load_catalogue())
    assert png.startswith(PNG_SIGNATURE)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert image.size == (540, 720)  # portrait, 540 px wide: a phone shows it without sideways scrolling


@pytest.mark.parametrize("count", [1, 2, 30])
def test_axes_and_both_leanings_are_labelled(count: int) -> None:
    texts = texts_of(count)
    assert texts["titles"][0] == "Your check-ins"
    assert all("0 = none, 1 = strongest" in label for label in texts["y_labels"])
    assert "Leaning towards codependency" in texts["legend"]
    assert "Leaning towards counterdependency" in texts["legend"]


def test_dates_label_the_check_ins() -> None:
    assert texts_of(1)["dates"] == ["3 Nov"]
    assert texts_of(2)["dates"] == ["3 Nov", "6 Nov"]


def test_thirty_check_ins_keep_the_date_labels_readable() -> None:
    dates = texts_of(30)["dates"]
    assert 2 <= len(dates) <= 7
    assert dates[0] == "3 Nov" and dates[-1] == "29 Jan"  # the first and the latest are always named


def test_the_theme_that_moved_is_drawn_and_named() -> None:
    texts = texts_of(2)
    assert texts["titles"][1] == "What moved most since 3 November 2026"
    assert "Saying no" in texts["legend"]
