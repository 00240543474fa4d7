"""The progress chart as PNG bytes: leanings over time above, the themes that moved most below.

matplotlib's Agg backend draws without a display. Sized for a phone: 4.5 × 6 inches at 120 dpi
(540 × 720 px), large type, dates on the x axis, at most six date labels so they never overlap.
"""

import io
from typing import List

import matplotlib

matplotlib.use("Agg")

from matplotlib.axes import Axes  # noqa: E402 (after choosing the backend)
from matplotlib.figure import Figure  # noqa: E402

from actions.progress.describe import day_words, moved_most, wording  # noqa: E402
from actions.progress.history import CheckIn  # noqa: E402
from actions.reflection.catalogue import PATTERNS, Catalogue  # noqa: E402

SIZE_INCHES = (4.5, 6.0)
DPI = 120
MAX_DATE_LABELS = 6
# Colour-blind-safe pairs (Okabe–Ito), and a marker per line so colour is never the only cue.
PATTERN_STYLE = {"codependency": ("#D55E00", "o"), "counterdependency": ("#0072B2", "s")}
THEME_STYLE = [("#009E73", "^"), ("#CC79A7", "D"), ("#E69F00", "v")]


def render_chart(history: List[CheckIn], catalogue: Catalogue) -> bytes:
    """The chart of every check-in in `history` (oldest first) as PNG; needs at least one."""
    buffer = io.BytesIO()
    # Light compression: the file is a little larger and is made noticeably faster.
    chart_figure(history, catalogue).savefig(
        buffer, format="png", dpi=DPI, metadata={"Software": None}, pil_kwargs={"compress_level": 1}
    )
    return buffer.getvalue()


def chart_figure(history: List[CheckIn], catalogue: Catalogue) -> Figure:
    """The chart as a matplotlib Figure (tests read its titles and labels from here)."""
    if not history:
        raise ValueError("a chart needs at least one check-in")
    texts = wording()["chart"]
    figure = Figure(figsize=SIZE_INCHES, dpi=DPI)
    leanings, themes = figure.subplots(2, 1, sharex=True)
    positions = list(range(len(history)))

    for pattern in PATTERNS:
        colour, marker = PATTERN_STYLE[pattern]
        values = [check_in.indices.get(pattern) for check_in in history]
        leanings.plot(positions, [v if v is not None else float("nan") for v in values],
                      color=colour, marker=marker, linewidth=2, label=wording()["patterns"][pattern])
    _style(leanings, texts["title"], texts["leanings_axis"])

    moved = moved_most(history, catalogue)
    for theme, (colour, marker) in zip(moved, THEME_STYLE):
        label = catalogue.by_theme(theme).label
        values = [check_in.strains.get(theme, float("nan")) for check_in in history]
        themes.plot(positions, values, color=colour, marker=marker, linewidth=2, label=label[:1].upper() + label[1:])
    _style(themes, texts["themes_title"].format(date=day_words(history[0])), texts["themes_axis"])
    if not moved:
        themes.text(0.5, 0.5, texts["no_theme_moved"], ha="center", va="center", transform=themes.transAxes, fontsize=10)

    step = max(1, -(-len(history) // MAX_DATE_LABELS))
    shown = positions[::step] if positions[-1] in positions[::step] else positions[::step] + [positions[-1]]
    themes.set_xticks(shown)
    themes.set_xticklabels([f"{history[i].day.day} {history[i].day:%b}" for i in shown], rotation=30, ha="right")
    themes.set_xlim(-0.5, len(history) - 0.5)
    # Fixed margins: matplotlib's tight_layout measured every label and took a third of the time.
    figure.subplots_adjust(left=0.14, right=0.97, top=0.95, bottom=0.11, hspace=0.22)
    return figure


def _style(axes: Axes, title: str, y_label: str) -> None:
    axes.set_title(title, fontsize=12, loc="left")
    axes.set_ylabel(y_label, fontsize=9)
    # Headroom above 1 keeps the legend clear of the lines.
    axes.set_ylim(-0.05, 1.5)
    axes.set_yticks([0, 0.25, 0.5, 0.75, 1])
    axes.grid(True, alpha=0.3)
    if axes.get_legend_handles_labels()[0]:
        axes.legend(fontsize=8, loc="upper left", framealpha=0.9)
