"""Figures of a live class: the distribution of the class's answers, and every student's
hand-set line at once with the best of them and the exact optimum."""
from __future__ import annotations

import unicodedata

import numpy as np

from lib.core import maths
from lib.figures import logistic as logistic_charts
from lib.figures import regression as regression_charts
from lib.figures.base import PLAIN, Look, figure

WAITING_COLOUR = "#0072B2"  # Okabe–Ito blue: an answer before the reveal
RIGHT_COLOUR = "#009E73"  # Okabe–Ito bluish green
OTHER_COLOUR = "#B0B0B0"
CLASS_LINE = dict(color="rgba(90, 90, 90, 0.35)", width=1.5)
BEST_LINE = dict(color="#E69F00", width=4)  # Okabe–Ito orange
OPTIMUM_LINE = dict(color="#CC79A7", width=5, dash="dash")  # Okabe–Ito reddish purple


def _width(text: str) -> int:
    """Display columns: a Japanese character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _wrapped(text: str, width: int = 28) -> str:
    """A long answer on several lines of about `width` columns (plotly breaks at <br> only):
    at spaces, or anywhere in text written without them (Japanese)."""
    lines = [""]
    for word in str(text).split(" "):
        if lines[-1] and _width(lines[-1]) + 1 + _width(word) > width >= _width(word):
            lines.append("")  # a word that fits a line starts one; a longer one is cut
        for char in (" " if lines[-1] else "") + word:
            if _width(lines[-1] + char) > width:
                lines.append("")
            lines[-1] += char
    return "<br>".join(line.strip() for line in lines)


def answers_figure(names: list[str], counts: list[int], correct: list[bool] | None,
                   labels: dict, look: Look = PLAIN):
    """One horizontal bar per answer (the first at the top), its count written on it. correct:
    None before the reveal, else which answers were right (green, and a ✓ on its name, so colour
    is not the only sign)."""
    if correct is None:
        colours, shown = [WAITING_COLOUR] * len(names), list(names)
    else:
        colours = [RIGHT_COLOUR if right else OTHER_COLOUR for right in correct]
        shown = [f"✓ {name}" if right else name for name, right in zip(names, correct)]
    counts = [int(c) for c in counts]
    bars = dict(type="bar", orientation="h", y=[_wrapped(name) for name in shown], x=counts,
                marker=dict(color=colours), text=[str(c) for c in counts], textposition="auto",
                textfont=look.font(), hovertemplate="%{y}: %{x}<extra></extra>")
    top = max(counts + [1])
    rows = sum(_wrapped(name).count("<br>") + 1 for name in shown)
    layout = look.layout(height=max(220, 60 + rows * look.text * 2), showlegend=False,
                         margin=dict(l=10, r=10, t=10, b=10), plot_bgcolor="white",
                         yaxis=look.axis(None, type="category", autorange="reversed"),
                         xaxis=look.axis(labels["count"], range=[0, top * 1.15], dtick=max(
                             1, int(np.ceil(top / 5))), gridcolor="#eee"))
    return figure([bars], layout)


def _segments(ends: list) -> tuple[list, list]:
    """Many segments as one trace: their end points with a gap between segments."""
    xs, ys = [], []
    for (x0, y0), (x1, y1) in ends:
        xs += [float(x0), float(x1), None]
        ys += [float(y0), float(y1), None]
    return xs, ys


def _named_line(ends, name: str, style: dict) -> dict:
    xs, ys = _segments(ends)
    return dict(type="scatter", x=xs, y=ys, mode="lines", name=name, line=style,
                hoverinfo="skip")


def logistic_lines(x, t, lines, best, optimum, x_range, y_range, labels: dict,
                   look: Look = PLAIN):
    """The points, every student's line f = 0 (thin), the best one and, once revealed, the
    exact minimum of E. lines: (w0, w1, w2) each; best, optimum: one w or None."""
    def segment(w):
        return maths.boundary_segment(*w, x_range, y_range)

    everyone = [s for s in (segment(w) for w in lines) if s is not None]
    data = [_named_line(everyone, labels["class"], CLASS_LINE)]
    for w, name, style in ((best, labels["best"], BEST_LINE),
                           (optimum, labels["optimum"], OPTIMUM_LINE)):
        if w is not None and segment(w) is not None:
            data.append(_named_line([segment(w)], name, style))
    data += logistic_charts.point_traces(x, t, labels, look.marker)
    axis = dict(constrain="domain", showline=True, linecolor="#444", mirror=True)
    # Lecture lettering puts the legend on two rows above the plot.
    layout = look.layout(height=look.height, margin=dict(l=10, r=10, t=90 if look.lecture else 40,
                                                         b=10),
                         plot_bgcolor="white",
                         legend=dict(orientation="h", yanchor="bottom", y=1.01, x=0),
                         xaxis=look.axis(labels["x"], range=[float(v) for v in x_range], **axis),
                         yaxis=look.axis(labels["y"], range=[float(v) for v in y_range],
                                         **look.plane_scale(), **axis))
    return figure(data, layout)


def regression_lines(x, y, lines, best, optimum, x_range, y_range, labels: dict,
                     look: Look = PLAIN):
    """The data, every student's line y = a·x + b (thin), the best one and, once revealed, the
    least-squares line. lines: (slope, intercept) each; best, optimum: one or None."""
    ends = np.array(x_range, dtype=float)

    def segment(line):
        a, b = line
        return (ends[0], a * ends[0] + b), (ends[1], a * ends[1] + b)

    data = [_named_line([segment(line) for line in lines], labels["class"], CLASS_LINE)]
    for line, name, style in ((best, labels["best"], BEST_LINE),
                              (optimum, labels["optimum"], OPTIMUM_LINE)):
        if line is not None:
            data.append(_named_line([segment(line)], name, style))
    data.append(regression_charts.points_trace(x, y, labels["data"], labels, look.marker))
    axis = dict(showline=True, linecolor="#444", mirror=True, showgrid=True, gridcolor="#eee")
    # Lecture lettering puts the legend on two rows above the plot.
    layout = look.layout(height=look.height, margin=dict(l=10, r=10, t=90 if look.lecture else 40,
                                                         b=10),
                         plot_bgcolor="white", hovermode="closest",
                         legend=dict(orientation="h", yanchor="bottom", y=1.01, x=0),
                         xaxis=look.axis(labels["x"], range=[float(v) for v in x_range], **axis),
                         yaxis=look.axis(labels["y"], range=[float(v) for v in y_range], **axis))
    return figure(data, layout)
