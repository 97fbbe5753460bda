"""Figures of the home page: AI ⊃ ML ⊃ DL, and the three kinds of learning.

Figures are plain dicts (lib/figures/base.py): the app opens on this page, so every student pays for
drawing them, and plotly's validation would cost more than the rest of the page.
"""
from __future__ import annotations

import html

import numpy as np

from lib.core import home as kinds
from lib.figures.logistic import CIRCLE_COLOUR, CROSS_COLOUR
from lib.figures.base import PLAIN, Look, figure

# Okabe–Ito colours and distinct shapes for up to four clusters: never colour alone.
CLUSTER_STYLES = (("circle-open", "#0072B2"), ("x-thin-open", "#D55E00"),
                  ("triangle-up-open", "#009E73"), ("square-open", "#CC79A7"))
# Plotly's (Python) "Greys", white to black, spelt out: plotly.js has a "Greys" of its own that
# runs from black to white.
GREYS = [[0.0, "rgb(255,255,255)"], [0.125, "rgb(240,240,240)"], [0.25, "rgb(217,217,217)"],
         [0.375, "rgb(189,189,189)"], [0.5, "rgb(150,150,150)"], [0.625, "rgb(115,115,115)"],
         [0.75, "rgb(82,82,82)"], [0.875, "rgb(37,37,37)"], [1.0, "rgb(0,0,0)"]]
# The grid's shade: white to mid-grey only, so the black arrows stay readable on every cell
# (on plotly's darkest greys they vanished).
GRID_SHADE = [[2 * stop, colour] for stop, colour in GREYS[:5]]
PATH_OFFSET = 0.28


def _field_box(name: str, colour: str, inner: str = "") -> str:
    return (f'<div class="field-{name}" style="border: 2px solid #333; border-radius: 4px; '
            f'background: {colour}; padding: 0.35em 0.6em 0.6em; margin-top: 0.35em; '
            f'overflow-wrap: anywhere;"><div style="color: #333; line-height: 1.35;">'
            f"{{{name}}}</div>{inner}</div>")


# AI contains machine learning, which contains deep learning (slide 5), as nested boxes: HTML
# rather than a plotly figure, since plotly's text never wraps (in a phone's width
# "非構造化データが得意" ran out of its box). The slide's colours (Okabe–Ito yellow, sky blue,
# bluish green), lightened. Fixed markup: the texts go in through field_texts, escaped.
FIELDS_HTML = ('<div class="nested-fields">' + _field_box(
    "ai", "#F9F3B3", _field_box("ml", "#BFDDF0", '<div style="margin-left: 18%;">'
                                + _field_box("dl", "#A5D8C6") + "</div>")) + "</div>")


def field_texts(labels: dict) -> dict:
    """The catalogs' texts for FIELDS_HTML, escaped; their "<br>" stay line breaks."""
    return {name: "<br>".join(html.escape(part) for part in labels[name].split("<br>"))
            for name in ("ai", "ml", "dl")}


def _subplot_title(text: str, x: float, look: Look) -> dict:
    """A column title as plotly's make_subplots writes it."""
    return look.annotation(text=text, x=x, xref="paper", xanchor="center", y=1.0, yref="paper",
                           yanchor="bottom", showarrow=False)


def supervised_figure(spend, sales, beats, target, labels: dict, look: Look = PLAIN,
                      height: int = 380):
    """The same points two ways: a class to predict (left) and a number to predict (right)."""
    slope, intercept = kinds.least_squares_line(spend, sales)
    data = []
    for value, symbol, colour, name in ((1, "circle-open", CIRCLE_COLOUR, labels["above"]),
                                        (0, "x-thin-open", CROSS_COLOUR, labels["below"])):
        chosen = beats == value
        data.append(dict(type="scatter", x=spend[chosen], y=np.zeros(chosen.sum()),
                         mode="markers", name=name, xaxis="x", yaxis="y",
                         marker=dict(symbol=symbol, size=look.marker, color=colour,
                                     line=dict(width=2))))
    border = (target - intercept) / slope  # spend at which predicted sales reach the target
    data.append(dict(type="scatter", x=spend, y=sales, mode="markers", name=labels["sales"],
                     xaxis="x2", yaxis="y2", marker=dict(symbol="circle", size=8, color="#555")))
    xs = np.array([spend.min(), spend.max()])
    data.append(dict(type="scatter", x=xs, y=slope * xs + intercept, mode="lines",
                     name=labels["fitted"], xaxis="x2", yaxis="y2",
                     line=dict(color="#000", width=3)))
    # Two columns with horizontal_spacing=0.1, as make_subplots(rows=1, cols=2) lays them out.
    layout = look.layout(
        xaxis=look.axis(labels["spend"], anchor="y", domain=[0.0, 0.45]),
        yaxis=dict(anchor="x", domain=[0.0, 1.0], visible=False, range=[-1, 1]),
        xaxis2=look.axis(labels["spend"], anchor="y2", domain=[0.55, 1.0]),
        yaxis2=look.axis(labels["sales"], anchor="x2", domain=[0.0, 1.0]),
        annotations=[_subplot_title(labels["classification"], 0.225, look),
                     _subplot_title(labels["regression"], 0.775, look)],
        shapes=[dict(type="line", x0=border, x1=border, xref="x", y0=0, y1=1, yref="y domain",
                     line=dict(color="#000", width=2, dash="dash"))],
        height=height, margin=dict(l=10, r=10, t=40, b=10), plot_bgcolor="white",
        legend=dict(orientation="h", yanchor="top", y=-0.2, x=0))
    return figure(data, layout)


def kmeans_figure(points, centres, assignment, labels: dict, look: Look = PLAIN,
                  height: int = 420):
    """Points drawn by their current cluster (shape and colour), centres as large stars."""
    data = []
    for j, centre in enumerate(centres):
        symbol, colour = CLUSTER_STYLES[j % len(CLUSTER_STYLES)]
        chosen = assignment == j
        data.append(dict(type="scatter", x=points[chosen, 0], y=points[chosen, 1],
                         mode="markers", name=labels["cluster"].format(number=j + 1),
                         marker=dict(symbol=symbol, size=10, color=colour, line=dict(width=2))))
        data.append(dict(type="scatter", x=[float(centre[0])], y=[float(centre[1])],
                         mode="markers", name=labels["centre"], showlegend=j == 0,
                         marker=dict(symbol="star", size=22, color=colour,
                                     line=dict(color="#000", width=1.5))))
    layout = look.layout(xaxis=look.axis(range=[-1, 12], showgrid=False),
                         yaxis=look.axis(range=[-1, 12], scaleanchor="x", showgrid=False),
                         height=height, margin=dict(l=10, r=10, t=10, b=10), plot_bgcolor="white",
                         # Above the plot: below it, the legend covered the x axis' numbers.
                         legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0))
    return figure(data, layout)


def grid_figure(grid: kinds.Grid, q, path, labels: dict, look: Look = PLAIN,
                height: int = 380):
    """The grid world: each cell's best action as an arrow, its value as shade, the agent's path."""
    value = q.max(axis=2)
    text = [["" for _ in range(grid.cols)] for _ in range(grid.rows)]
    for r in range(grid.rows):
        for c in range(grid.cols):
            cell = (r, c)
            if cell == grid.goal:
                text[r][c] = labels["goal"]
            elif cell in grid.pits:
                text[r][c] = labels["pit"]
            elif cell in grid.walls:
                text[r][c] = "■"
            else:
                arrow = kinds.ARROWS[int(np.argmax(q[r, c]))] if np.any(q[r, c]) else "·"
                text[r][c] = (labels["start"] + " " if cell == grid.start else "") + arrow
    shade = value.astype(float)
    for r, c in grid.walls:
        shade[r, c] = np.nan
    # The path runs PATH_OFFSET of a cell right of and below the cells' centres: through them
    # it hid S, G and the arrows it passes.
    data = [dict(type="heatmap", z=shade, text=text, texttemplate="%{text}",
                 textfont=dict(size=max(20, look.text), color="#000"), colorscale=GRID_SHADE,
                 showscale=True, colorbar=look.colorbar(labels["value"], thickness=12, len=0.9),
                 hovertemplate=labels["value"] + " %{z:.1f}<extra></extra>"),
            dict(type="scatter", x=[int(c) + PATH_OFFSET for _, c in path],
                 y=[int(r) + PATH_OFFSET for r, _ in path],
                 mode="lines+markers", name=labels["path"], line=dict(color="#D55E00", width=4),
                 marker=dict(size=9, color="#D55E00"))]
    layout = look.layout(yaxis=dict(autorange="reversed", visible=False, scaleanchor="x"),
                         xaxis=dict(visible=False),
                         height=height, margin=dict(l=10, r=10, t=10, b=10), plot_bgcolor="white",
                         showlegend=True, legend=dict(orientation="h", yanchor="top", y=-0.02, x=0))
    return figure(data, layout)
