"""Figures of the cross-entropy page: one point's cost, every point's share, the loss surfaces.

Pure functions: arrays and already-translated labels in, plain-dict figures out (lib/figures/base.py:
moving a slider here only redraws figures, so they skip plotly's validation; the tests validate
them). The big grids of the surfaces travel as float32. Classes keep the slides' shapes (◦ for
t = 1, × for t = 0); surfaces use Viridis, which stays readable for colour-blind viewers and in
grey. Markers differ by shape as well as colour.
"""
from __future__ import annotations


import numpy as np
from plotly.colors import sequential

from lib.figures import logistic as charts
from lib.core import cross_entropy as loss_surface
from lib.core import maths
from lib.figures.base import PLAIN, Look, figure

SURFACE_SCALE = "Viridis"
# Viridis as plotly.py spells it out (ten stops), so the colours are exactly those it always had.
SURFACE_COLOURS = [[index / (len(sequential.Viridis) - 1), colour]
                   for index, colour in enumerate(sequential.Viridis)]
CURRENT_COLOUR = "#FFFFFF"  # the current parameters: white with a black rim
PATH_COLOUR = "#E69F00"  # Okabe–Ito orange
MINIMUM_COLOUR = "#F0E442"  # Okabe–Ito yellow, black rim
ARROW_COLOUR = "#D55E00"  # Okabe–Ito vermillion
EDGE = "#000000"
LINE_COLOUR = "#000000"  # the boundary f = 0 on the data plot, as on the logistic page
SHADE_GRID = 80  # cells per side of the grey shade of P, as on the logistic page
MAX_BARS = 200
# The markers of the surface figures as Streamlit markdown, for the key printed under them:
# (symbol, label name).
MARKER_KEY = (("○", "current"), (":red[**➜**]", "descent"), ("⭐", "minimum"),
              (":orange[■]", "start"), (":orange[◆]", "trained"), (":orange[**━━**]", "path"))
MAX_PATH_POINTS = 400


# ---------------------------------------------------------------------------------------------
# One point's view.


def _label_side(cost: float, right: bool) -> str:
    """Where a marker's value goes: beside it, or above it when it sits on the P axis."""
    if cost < 0.4:
        return "top right" if right else "top left"
    return "middle right" if right else "middle left"


def cost_curves_figure(p: float, labels: dict, look: Look = PLAIN, height: int | None = None):
    """−log P (the cost if the point is ◦) and −log(1 − P) (if ×) against P, with P marked.

    The curves are drawn with P clipped to [ε, 1 − ε], so they end at −log ε ≈ 16.1 at the
    edges, as the loss Keras computes does.
    """
    circle_cost, cross_cost = _COST_CURVES
    here_circle, here_cross = (float(c) for c in loss_surface.point_costs(p))
    top = max(6.0, 1.12 * max(here_circle, here_cross))
    data = [
        dict(type="scatter", x=_COST_PS, y=circle_cost, mode="lines", name=labels["circle_curve"],
             line=dict(color=charts.CIRCLE_COLOUR, width=3),
             hovertemplate="P = %{x:.4f}<br>−log P = %{y:.3f}<extra></extra>"),
        dict(type="scatter", x=_COST_PS, y=cross_cost, mode="lines", name=labels["cross_curve"],
             line=dict(color=charts.CROSS_COLOUR, width=3, dash="dash"),
             hovertemplate="P = %{x:.4f}<br>−log(1 − P) = %{y:.3f}<extra></extra>"),
        dict(type="scatter", x=[p], y=[here_circle], mode="markers+text", name=labels["circle"],
             showlegend=False,
             marker=dict(symbol="circle-open", size=16, color=charts.CIRCLE_COLOUR,
                         line=dict(width=3)),
             text=[f"{here_circle:.2f}"], textposition=_label_side(here_circle, p < 0.85),
             textfont=look.font(look.text + 2, color=charts.CIRCLE_COLOUR),
             hovertemplate=f"{labels['circle']}<br>P = %{{x:.4f}}<br>−log P = %{{y:.3f}}"
                           "<extra></extra>"),
        dict(type="scatter", x=[p], y=[here_cross], mode="markers+text", name=labels["cross"],
             showlegend=False,
             marker=dict(symbol="x-thin-open", size=16, color=charts.CROSS_COLOUR,
                         line=dict(width=3)),
             text=[f"{here_cross:.2f}"], textposition=_label_side(here_cross, p <= 0.15),
             textfont=look.font(look.text + 2, color=charts.CROSS_COLOUR),
             hovertemplate=f"{labels['cross']}<br>P = %{{x:.4f}}<br>−log(1 − P) = %{{y:.3f}}"
                           "<extra></extra>"),
    ]
    axis = dict(showgrid=True, gridcolor="#eee", showline=True, linecolor="#444")
    layout = look.layout(
        height=height or look.height - 120, margin=dict(l=10, r=10, t=40, b=10),
        plot_bgcolor="white", legend=dict(orientation="h", yanchor="bottom", y=1.01, x=0),
        shapes=[dict(type="line", x0=p, x1=p, xref="x", y0=0, y1=1, yref="y domain",
                     line=dict(color="#777", width=1, dash="dot"))],
        xaxis=look.axis("P", range=[-0.02, 1.02], **axis),
        yaxis=look.axis(labels["cost"], range=[0, top], **axis),
    )
    return figure(data, layout)


# The curves do not depend on P: computed once (the arrays are only read).
_COST_PS = np.r_[0.0, np.geomspace(1e-7, 0.02, 60), np.linspace(0.02, 0.98, 200),
                 1 - np.geomspace(0.02, 1e-7, 60), 1.0]
_COST_CURVES = loss_surface.point_costs(_COST_PS)


# ---------------------------------------------------------------------------------------------
# Every point's share of E.


def _share_sizes(terms: np.ndarray, base: int) -> np.ndarray:
    """Marker sizes whose area grows with the term: the largest term gets about 3.5× base."""
    largest = float(terms.max()) if terms.size else 0.0
    if largest <= 0:
        return np.full(terms.shape, float(base))
    return 0.6 * base + 3.0 * base * np.sqrt(terms / largest)


def _boundary_traces(w, x_range, y_range, labels: dict, look: Look) -> list[dict]:
    """The grey shade of P and the line f = 0, drawn as on the logistic page's data plot."""
    xs, ys = np.linspace(*x_range, SHADE_GRID), np.linspace(*y_range, SHADE_GRID)
    shade = maths.probability_grid(*w, xs, ys).astype(np.float32)
    segment = maths.boundary_segment(*w, x_range, y_range)
    if segment is None:
        line_x, line_y = [None, None], [None, None]
    else:
        (xa, ya), (xb, yb) = segment
        line_x, line_y = [xa, xb], [ya, yb]
    return [
        dict(type="heatmap", x=xs, y=ys, z=shade, zmin=0, zmax=1, colorscale=charts.GREY_SCALE,
             showscale=True, colorbar=look.colorbar("P", len=0.8, thickness=12),
             hovertemplate=f"{labels['x']} %{{x:.1f}}<br>{labels['y']} %{{y:.1f}}"
                           f"<br>P = %{{z:.3f}}<extra></extra>"),
        dict(type="scatter", x=line_x, y=line_y, mode="lines", name=labels["line"],
             line=dict(color=LINE_COLOUR, width=3), hoverinfo="skip"),
    ]


def shares_map_figure(x, t, w, shares, x_range, y_range, labels: dict, look: Look = PLAIN,
                      ranked: int = 3):
    """The data plot at parameters w with each point's size showing its term of E.

    The boundary and the grey shade of P are those of the logistic page; the `ranked` largest
    terms carry their rank, as in the bar chart beside it.
    """
    x, t = np.asarray(x, dtype=float), np.asarray(t)
    data = _boundary_traces(w, x_range, y_range, labels, look)
    terms = shares.terms
    total = shares.total if shares.total > 0 else 1.0
    p = maths.sigmoid(loss_surface.logits(w, x))
    sizes = _share_sizes(terms, look.marker)
    rank = np.empty(len(terms), dtype=int)
    rank[shares.order] = np.arange(1, len(terms) + 1)
    hover = (f"#%{{customdata[0]}} %{{fullData.name}}<br>{labels['x']} %{{x:.2f}}, "
             f"{labels['y']} %{{y:.2f}}<br>P = %{{customdata[1]:.4f}}<br>"
             f"{labels['term']} = %{{customdata[2]:.4f}} (%{{customdata[3]:.1%}})<br>"
             f"{labels['rank']} %{{customdata[4]}}<extra></extra>")
    for cls, name, symbol, colour in ((1, labels["circle"], "circle-open", charts.CIRCLE_COLOUR),
                                      (0, labels["cross"], "x-thin-open", charts.CROSS_COLOUR)):
        chosen = np.flatnonzero(t == cls)
        custom = np.column_stack([chosen + 1, p[chosen], terms[chosen], terms[chosen] / total,
                                  rank[chosen]])
        data.append(dict(
            type="scatter", x=x[chosen, 0], y=x[chosen, 1], mode="markers", name=name,
            marker=dict(symbol=symbol, size=sizes[chosen], color=colour, line=dict(width=2.5),
                        sizemode="diameter"),
            customdata=custom, hovertemplate=hover))
    annotations = [
        look.annotation(look.text + 1, x=float(x[index, 0]), y=float(x[index, 1]),
                        text=f"<b>{position + 1}</b>", showarrow=True, arrowhead=0, ax=18,
                        ay=-18, bgcolor="rgba(255,255,255,0.85)", bordercolor="#444",
                        borderwidth=1)
        for position, index in enumerate(shares.order[:ranked])]
    frame = dict(constrain="domain", showline=True, linecolor="#444", mirror=True)
    # pad=0: the frame on the shade's edge, as on the logistic page
    layout = look.layout(
        height=look.height, margin=dict(l=10, r=10, t=40, b=10, pad=0),
        legend=dict(orientation="h", yanchor="bottom", y=1.01, x=0), plot_bgcolor="white",
        xaxis=look.axis(labels["x"], range=list(x_range), **frame),
        yaxis=look.axis(labels["y"], range=list(y_range), scaleanchor="x", scaleratio=1,
                        **frame),
        annotations=annotations,
    )
    return figure(data, layout)


def shares_bar_figure(x, t, w, shares, labels: dict, look: Look = PLAIN, limit: int = MAX_BARS):
    """Each point's term of E as a bar, largest first, with the running share of E as a line.

    ◦ bars are plain blue, × bars vermillion with a hatch, so the class reads without colour.
    """
    x, t = np.asarray(x, dtype=float), np.asarray(t)
    order = shares.order[:limit]
    terms = shares.terms[order]
    total = shares.total if shares.total > 0 else 1.0
    p = maths.sigmoid(loss_surface.logits(w, x))[order]
    rank = np.arange(1, len(order) + 1)
    cumulative = np.cumsum(terms) / total
    circle = t[order] == 1
    data = []
    for mask, name, colour, pattern in ((circle, labels["circle"], charts.CIRCLE_COLOUR, ""),
                                        (~circle, labels["cross"], charts.CROSS_COLOUR, "x")):
        custom = np.column_stack([order[mask] + 1, x[order[mask], 0], x[order[mask], 1],
                                  p[mask], terms[mask] / total])
        data.append(dict(
            type="bar", x=rank[mask], y=terms[mask], name=name, customdata=custom,
            marker=dict(color=colour, pattern=dict(shape=pattern, fgcolor="white", size=6,
                                                    fillmode="overlay"),
                        line=dict(width=0)),
            hovertemplate=(f"{labels['rank']} %{{x}}: #%{{customdata[0]}} %{{fullData.name}}"
                           f"<br>({labels['x']} %{{customdata[1]:.2f}}, {labels['y']} "
                           f"%{{customdata[2]:.2f}})<br>P = %{{customdata[3]:.4f}}<br>"
                           f"{labels['term']} = %{{y:.4f}} (%{{customdata[4]:.1%}})"
                           "<extra></extra>")))
    data.append(dict(
        type="scatter", x=rank, y=cumulative, name=labels["cumulative"], yaxis="y2",
        mode="lines", line=dict(color="#444", width=2),
        hovertemplate=f"{labels['cumulative']}: %{{y:.1%}}<extra>{labels['rank']} %{{x}}</extra>"))
    layout = look.layout(
        height=look.height, margin=dict(l=10, r=10, t=40, b=10), plot_bgcolor="white",
        bargap=0.1, barmode="overlay",
        legend=dict(orientation="h", yanchor="bottom", y=1.01, x=0),
        xaxis=look.axis(labels["rank_axis"], showline=True, linecolor="#444"),
        yaxis=look.axis(labels["term"], rangemode="tozero", showgrid=True, gridcolor="#eee",
                        showline=True, linecolor="#444"),
        yaxis2=look.axis(labels["cumulative"], overlaying="y", side="right", range=[0, 1.02],
                         tickformat=".0%", dtick=0.25, showgrid=False),
    )
    return figure(data, layout)
