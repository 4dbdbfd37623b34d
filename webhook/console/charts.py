"""Small SVG charts drawn on the server (no scripts): horizontal bars and stacked columns with a legend.

Every piece is a Markup template filled with `format`, which escapes labels (they may come from data).
"""

from __future__ import annotations

from markupsafe import Markup

COLOURS = ("#1f6f8b", "#e07a1f", "#5b8c2a", "#9c3d54", "#6a4c93", "#c9a227", "#3c6e71", "#8d6e63")
BAR_HEIGHT = 22
LABEL_WIDTH = 180
WIDTH = 560
PLOT_HEIGHT = 160
LEGEND_LINE = 18
NO_DATA = Markup("<p>No data yet.</p>")
TEXT = Markup('<text x="{:.1f}" y="{:.1f}" text-anchor="{}">{}</text>')
RECT = Markup('<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" fill="{}"/>')
SVG = Markup(
    '<svg xmlns="http://www.w3.org/2000/svg" role="img" width="100%" viewBox="0 0 {} {:.1f}" '
    'font-size="12" font-family="sans-serif">{}</svg>'
)


def colour(index: int) -> str:
    """The series colour for a position."""
    return COLOURS[index % len(COLOURS)]


def bars(items: list[tuple[str, float]]) -> Markup:
    """One horizontal bar per (label, value), the largest value longest."""
    if not items:
        return NO_DATA
    top = max(value for _, value in items) or 1
    span = WIDTH - LABEL_WIDTH - 60
    pieces = []
    for index, (label, value) in enumerate(items):
        y = index * BAR_HEIGHT
        length = max(span * value / top, 1)
        pieces += [
            TEXT.format(LABEL_WIDTH - 6, y + 15, "end", label),
            RECT.format(LABEL_WIDTH, y + 3, length, BAR_HEIGHT - 6, colour(0)),
            TEXT.format(LABEL_WIDTH + length + 4, y + 15, "start", f"{value:g}"),
        ]
    return SVG.format(WIDTH, len(items) * BAR_HEIGHT + 4, Markup("").join(pieces))


def stacked_columns(labels: list[str], series: dict[str, list[int]]) -> Markup:
    """One column per label, stacked from the series (name -> one value per label), with a legend below."""
    if not series:
        return NO_DATA
    top = max(sum(values[index] for values in series.values()) for index in range(len(labels))) or 1
    column = (WIDTH - 40) / max(len(labels), 1)
    pieces = [TEXT.format(0, 12, "start", f"max {top}")]
    for index, label in enumerate(labels):
        x, bottom = 40 + index * column, PLOT_HEIGHT + 20
        for position, values in enumerate(series.values()):
            height = PLOT_HEIGHT * values[index] / top
            bottom -= height
            if height:
                pieces.append(RECT.format(x + 2, bottom, column - 4, height, colour(position)))
        pieces.append(TEXT.format(x + column / 2, PLOT_HEIGHT + 36, "middle", label))
    for position, name in enumerate(series):
        y = PLOT_HEIGHT + 56 + position * LEGEND_LINE
        pieces += [RECT.format(40, y - 10, 12, 12, colour(position)), TEXT.format(58, y, "start", name)]
    return SVG.format(WIDTH, PLOT_HEIGHT + 64 + len(series) * LEGEND_LINE, Markup("").join(pieces))
