"""Figures of the "read the picture" exercises: numbered points to click, shuffled templates."""
from __future__ import annotations

import numpy as np

from lib.core import maths
from lib.figures.base import PLAIN, Look, figure
from lib.figures.logistic import CIRCLE_COLOUR, CROSS_COLOUR, LINE_COLOUR


def numbered_points(x, t, w, x_range, y_range, labels: dict, look: Look = PLAIN):
    """The points as ◦ and × with their numbers, and the line f = 0; customdata is the index."""
    x = np.asarray(x, dtype=float)
    t = np.asarray(t)
    marker_size = look.marker
    data = []
    for value, symbol, colour, name in ((1, "circle-open", CIRCLE_COLOUR, labels["circle"]),
                                        (0, "x-thin-open", CROSS_COLOUR, labels["cross"])):
        index = np.flatnonzero(t == value)
        data.append(dict(type="scatter", x=x[index, 0], y=x[index, 1], mode="markers+text",
                         name=name, text=[str(i + 1) for i in index], textposition="top right",
                         customdata=index, textfont=look.font(),
                         hovertemplate=labels["point_hover"] + "<extra></extra>",
                         marker=dict(symbol=symbol, size=marker_size, color=colour,
                                     line=dict(width=2.5))))
    segment = maths.boundary_segment(*w, x_range, y_range)
    if segment is not None:
        (x0, y0), (x1, y1) = segment
        data.append(dict(type="scatter", x=[x0, x1], y=[y0, y1], mode="lines",
                         name=labels["line"], hoverinfo="skip",
                         line=dict(color=LINE_COLOUR, width=2)))
    axis = dict(constrain="domain", showline=True, linecolor="#444", mirror=True)
    layout = look.layout(height=look.height - 60, margin=dict(l=10, r=10, t=40, b=10),
                         plot_bgcolor="white",
                         legend=dict(orientation="h", yanchor="bottom", y=1.01, x=0),
                         xaxis=look.axis("x", range=list(x_range), **axis),
                         yaxis=look.axis("y", range=list(y_range), **look.plane_scale(),
                                         **axis),
                         clickmode="event+select", dragmode=False)
    return figure(data, layout)
