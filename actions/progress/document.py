"""The summary to take away, as plain text and as PDF: not a diagnosis, the date, the latest
result, the plan with its exercises and the table of every check-in.

Both come from one `Summary` so they always say the same. The PDF is drawn with reportlab (pure
Python; about 20 ms for 30 check-ins where fpdf2 took 400 ms: README, "Progress and summaries")
in DejaVu Sans, which ships inside matplotlib, so any character a person typed prints.
"""

import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import List, Tuple

import matplotlib
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from xml.sax.saxutils import escape

from actions.progress.describe import day_words, level, wording
from actions.progress.history import CheckIn
from actions.reflection.catalogue import PATTERNS, Catalogue

FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
FONT, BOLD = "DejaVuSans", "DejaVuSans-Bold"


@dataclass(frozen=True)
class Summary:
    """Everything the document says, in order, as plain strings."""

    first_line: str
    title: str
    made_on: str
    latest_heading: str
    latest: str
    plan_heading: str
    plan: List[Tuple[str, str]]  # (step, exercise)
    history_heading: str
    columns: List[str]
    rows: List[List[str]]
    help: str


def summary(history: List[CheckIn], catalogue: Catalogue, today: date) -> Summary:
    """The summary of a conversation's check-ins (oldest first); needs at least one."""
    if not history:
        raise ValueError("a summary needs at least one check-in")
    texts, latest = wording()["document"], history[-1]
    weakest = [theme for theme in latest.weakest if catalogue.by_theme(theme)]
    plan = [
        (texts["step"].format(number=number, step=catalogue.by_theme(theme).plan_step), catalogue.by_theme(theme).exercise)
        for number, theme in enumerate(weakest, start=1)
    ] or [(texts["plan_keep_going"], "")]
    rows = [
        [day_words(check_in), wording()["short_leans"].get(check_in.lean or "", "")]
        + [level(check_in.indices[p]) if check_in.indices.get(p) is not None else "" for p in PATTERNS]
        for check_in in history
    ]
    return Summary(
        first_line=texts["not_diagnosis"],
        title=texts["title"],
        made_on=texts["made_on"].format(date=f"{today.day} {today:%B %Y}"),
        latest_heading=texts["latest"].format(date=day_words(latest)),
        latest=wording()["leans"].get(latest.lean or "", ""),
        plan_heading=texts["plan"],
        plan=plan,
        history_heading=texts["history"],
        columns=list(texts["columns"]),
        rows=rows,
        help=texts["help"],
    )


def as_text(doc: Summary) -> str:
    """The summary as plain text (UTF-8), for a journal or a screen reader."""
    lines = [doc.first_line, "", doc.title, doc.made_on, "", doc.latest_heading, doc.latest, "", doc.plan_heading]
    for step, exercise in doc.plan:
        lines += [step] + ([f"  {exercise}"] if exercise else [])
    lines += ["", doc.history_heading, " | ".join(doc.columns)]
    lines += [" | ".join(row) for row in doc.rows]
    lines += ["", doc.help]
    return "\n".join(lines) + "\n"


def as_pdf(doc: Summary) -> bytes:
    """The summary as an A4 PDF whose text can be selected, searched and read aloud."""
    _register_fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=14, spaceAfter=4)
    heading = ParagraphStyle("heading", parent=body, fontName=BOLD, fontSize=13, leading=17, spaceBefore=8)
    first = ParagraphStyle("first", parent=body, fontName=BOLD)
    flow = [
        Paragraph(escape(doc.first_line), first),
        Paragraph(escape(doc.title), heading),
        Paragraph(escape(doc.made_on), body),
        Paragraph(escape(doc.latest_heading), heading),
        Paragraph(escape(doc.latest), body),
        Paragraph(escape(doc.plan_heading), heading),
    ]
    for step, exercise in doc.plan:
        flow.append(Paragraph(escape(step), first))
        if exercise:
            flow.append(Paragraph(escape(exercise), body))
    flow += [Paragraph(escape(doc.history_heading), heading), _table(doc), Spacer(1, 6 * mm), Paragraph(escape(doc.help), body)]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, title=doc.title, author="Interdependence Coach",
                      leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm, bottomMargin=16 * mm).build(flow)
    return buffer.getvalue()


def _table(doc: Summary) -> Table:
    table = Table([doc.columns] + doc.rows, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), FONT, 9.5),
        ("FONT", (0, 0), (-1, 0), BOLD, 9.5),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#F2F2F2")]),
    ]))
    return table


def _register_fonts() -> None:
    registered = pdfmetrics.getRegisteredFontNames()
    for name in (FONT, BOLD):
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / f"{name}.ttf")))
