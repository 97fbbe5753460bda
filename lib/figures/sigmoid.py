"""Plotly figures of the sigmoid explorer: the curve σ(a), and P(x, y) as a surface and contours.

Nothing here imports TensorFlow. Figures are plain dicts (lib/figures/base.py): moving a slider on
this page only redraws them, so they must be cheap. Curves differ by dash pattern as well as
colour; the two classes of points are ◦ and ×, as on the slides.
"""
from __future__ import annotations

import numpy as np

from lib.figures import logistic as charts
from lib.core import maths
from lib.figures.base import PLAIN, Look, figure

SIGMOID_COLOUR = "#0072B2"  # Okabe–Ito blue
DERIVATIVE_COLOUR = "#D55E00"  # vermillion
STEP_COLOUR = "#555555"
TANH_COLOUR = "#009E73"  # bluish green
POINT_COLOUR = "#E69F00"  # orange
# P as a grey shade, as on the logistic page: white where P = 0, mid-grey where P = 1.
SURFACE_SCALE = charts.GREY_SCALE
GRID = dict(showgrid=True, gridcolor="#eee", zeroline=True, zerolinecolor="#999")


def _legend() -> dict:
    return dict(orientation="h", yanchor="bottom", y=1.01, x=0)


def sigmoid_figure(a_values, functions: dict, a_point: float, shown: dict, labels: dict,
                   look: Look = PLAIN, height: int | None = None):
    """σ(a) with a marked point; `shown` says which of derivative/step/tanh to draw too."""
    styles = {"step": dict(color=STEP_COLOUR, width=2, dash="dot", shape="hv"),
              "tanh": dict(color=TANH_COLOUR, width=2, dash="dashdot"),
              "derivative": dict(color=DERIVATIVE_COLOUR, width=2.5, dash="dash")}
    data = []
    for name in ("step", "tanh", "derivative"):
        if shown.get(name):
            data.append(dict(type="scatter", x=a_values, y=functions[name], mode="lines",
                             name=labels[name], line=styles[name],
                             hovertemplate="a = %{x:.2f}<br>%{y:.4f}<extra></extra>"))
    data.append(dict(type="scatter", x=a_values, y=functions["sigmoid"], mode="lines",
                     name=labels["sigmoid"], line=dict(color=SIGMOID_COLOUR, width=3.5),
                     hovertemplate="a = %{x:.2f}<br>σ(a) = %{y:.4f}<extra></extra>"))
    value = float(maths.sigmoid(np.array([a_point]))[0])
    low = -1.1 if shown.get("tanh") else -0.05
    data.append(dict(type="scatter", x=[float(a_values[0]), a_point, a_point],
                     y=[value, value, low], mode="lines", hoverinfo="skip", showlegend=False,
                     line=dict(color=POINT_COLOUR, width=1.5, dash="dot")))
    data.append(dict(type="scatter", x=[a_point], y=[value], mode="markers+text",
                     name=labels["point"], text=[f"σ({a_point:.2f}) = {value:.3f}"],
                     textposition="top left" if a_point > 0 else "bottom right",
                     textfont=look.font(),
                     marker=dict(symbol="diamond", size=look.marker + 5, color=POINT_COLOUR,
                                 line=dict(width=1.5, color="black")),
                     hovertemplate="a = %{x:.2f}<br>σ(a) = %{y:.4f}<extra></extra>"))
    layout = look.layout(
        height=height or look.height - 80, margin=dict(l=10, r=10, t=40, b=10),
        plot_bgcolor="white", legend=_legend(),
        xaxis=look.axis("a", range=[float(a_values[0]), float(a_values[-1])], dtick=2, **GRID),
        yaxis=look.axis(range=[low, 1.05], dtick=0.5 if shown.get("tanh") else 0.25, **GRID),
    )
    return figure(data, layout)


def _floor_line(w, x_range, y_range):
    segment = maths.boundary_segment(*w, x_range, y_range)
    if segment is None:
        return [], []
    (xa, ya), (xb, yb) = segment
    return [xa, xb], [ya, yb]


def surface_figure(w, xs, ys, p, x, t, heights, x_range, y_range, labels: dict,
                   look: Look = PLAIN):
    """P(x, y) as a surface over the plane, the line P = 0.5 on the floor, the points at their P."""
    hover = (f"{labels['x']} %{{x:.1f}}<br>{labels['y']} %{{y:.1f}}<br>P = %{{z:.3f}}"
             "<extra></extra>")
    data = [dict(type="surface", x=xs, y=ys, z=p, cmin=0, cmax=1, colorscale=SURFACE_SCALE,
                 opacity=0.75, showscale=False, hovertemplate=hover, name="P",
                 lighting=dict(ambient=0.75, diffuse=0.5, specular=0.05),
                 contours=dict(z=dict(show=True, start=0.5, end=0.5, size=0.5, color="black",
                                      width=4)))]
    line_x, line_y = _floor_line(w, x_range, y_range)
    if line_x:
        data.append(dict(type="scatter3d", x=line_x, y=line_y, z=[0, 0], mode="lines",
                         name=labels["floor_line"], line=dict(color="black", width=7),
                         hoverinfo="skip"))
    x, t, heights = np.asarray(x), np.asarray(t), np.asarray(heights)
    marker_size = max(5, look.marker - 5)
    for cls, symbol, colour, name in ((1, "circle-open", charts.CIRCLE_COLOUR, labels["circle"]),
                                      (0, "x", charts.CROSS_COLOUR, labels["cross"])):
        chosen = t == cls
        data.append(dict(type="scatter3d", x=x[chosen, 0], y=x[chosen, 1], z=heights[chosen],
                         mode="markers", name=name,
                         marker=dict(symbol=symbol, size=marker_size if cls else marker_size - 2,
                                     color=colour, line=dict(width=2, color=colour)),
                         hovertemplate=hover.replace("<extra></extra>",
                                                     f"<extra>{name}</extra>")))
    layout = look.layout(
        height=look.height, margin=dict(l=0, r=0, t=30, b=0), legend=_legend(),
        scene=dict(xaxis=look.axis(labels["x"], range=list(x_range)),
                   yaxis=look.axis(labels["y"], range=list(y_range)),
                   zaxis=look.axis("P", range=[0, 1], dtick=0.25),
                   aspectmode="manual", aspectratio=dict(x=1, y=1, z=0.7),
                   camera=dict(eye=dict(x=1.55, y=-1.75, z=0.75))),
        uirevision="sigmoid-surface",  # keep the reader's rotation while sliders move
    )
    return figure(data, layout)


def contour_figure(w, xs, ys, p, x, t, x_range, y_range, labels: dict, look: Look = PLAIN):
    """The same P seen from above: contour lines every 0.1, the line P = 0.5 thick, the points."""
    data = [dict(type="contour", x=xs, y=ys, z=p, zmin=0, zmax=1, colorscale=SURFACE_SCALE,
                 showscale=False, line=dict(width=1, color="#666"),
                 contours=dict(start=0.1, end=0.9, size=0.1, showlabels=True,
                               labelfont=look.font(look.tick, color="#222")),
                 hovertemplate=f"{labels['x']} %{{x:.1f}}<br>{labels['y']} %{{y:.1f}}"
                               "<br>P = %{z:.3f}<extra></extra>")]
    line_x, line_y = _floor_line(w, x_range, y_range)
    if line_x:
        data.append(dict(type="scatter", x=line_x, y=line_y, mode="lines",
                         name=labels["floor_line"], line=dict(color="black", width=4),
                         hoverinfo="skip"))
    hover = f"{labels['x']} %{{x:.2f}}<br>{labels['y']} %{{y:.2f}}<extra>%{{fullData.name}}</extra>"
    x, t = np.asarray(x), np.asarray(t)
    for cls, symbol, colour, name in ((1, "circle-open", charts.CIRCLE_COLOUR, labels["circle"]),
                                      (0, "x-thin-open", charts.CROSS_COLOUR, labels["cross"])):
        chosen = t == cls
        data.append(dict(type="scatter", x=x[chosen, 0], y=x[chosen, 1], mode="markers",
                         name=name, hovertemplate=hover,
                         marker=dict(symbol=symbol, size=look.marker, color=colour,
                                     line=dict(width=2.5, color=colour))))
    layout = look.layout(
        height=look.height, margin=dict(l=10, r=10, t=30, b=10, pad=0), plot_bgcolor="white",
        legend=_legend(),
        xaxis=look.axis(labels["x"], range=list(x_range), constrain="domain"),
        yaxis=look.axis(labels["y"], range=list(y_range), scaleanchor="x", scaleratio=1,
                        constrain="domain"),
    )
    return figure(data, layout)
