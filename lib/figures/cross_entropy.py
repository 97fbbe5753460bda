"""Figures of the cross-entropy page: one point's cost, every point's share, the loss surfaces.

Pure functions: arrays and already-translated labels in, plain-dict figures out (lib/figures/base.py:
moving a slider here only redraws figures, so they skip plotly's validation; the tests validate
them). The big grids of the surfaces travel as float32. Classes keep the slides' shapes (◦ for
t = 1, × for t = 0); surfaces use Viridis, which stays readable for colour-blind viewers and in
grey. Markers differ by shape as well as colour.
"""
from __future__ import annotations

import math

import numpy as np
from plotly.colors import sequential

from lib.figures import logistic as charts
from lib.core import cross_entropy as loss_surface
from lib.core import maths
from lib.figures.base import PLAIN, Look, figure
from lib.core.cross_entropy import Surface

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


# ---------------------------------------------------------------------------------------------
# The surfaces.


def _log_ticks(low: float, high: float):
    """Colour-bar ticks 1, 2, 5 × 10^k between low and high (positive), as (log10 value, text)."""
    low, high = max(low, 1e-12), max(high, 1e-12)
    values = []
    for power in range(math.floor(math.log10(low)) - 1, math.ceil(math.log10(high)) + 1):
        for mantissa in (1, 2, 5):
            value = mantissa * 10.0 ** power
            if low <= value <= high:
                values.append(value)
    if len(values) < 2:
        values = [low, high]
    return [math.log10(v) for v in values], [f"{v:.3g}" for v in values]


def _grid_values(surface: Surface, which: str) -> np.ndarray:
    return surface.xent if which == "xent" else surface.mse


def _colour_values(z: np.ndarray, which: str):
    """What colours the surface: log10 E (its valley spans decades), M as it is (0..1)."""
    if which == "xent":
        floor = max(float(z.min()), 1e-12)
        return np.log10(np.maximum(z, floor))
    return z


def _colourbar(z: np.ndarray, which: str, title: str, look: Look) -> dict:
    bar = look.colorbar(title, len=0.75, thickness=12)
    if which == "xent":
        tickvals, ticktext = _log_ticks(float(z.min()), float(z.max()))
        bar.update(tickvals=tickvals, ticktext=ticktext)
    return bar


def _grid32(values: np.ndarray) -> np.ndarray:
    """A grid as sent: float32 (half the bytes; far finer than the colours or a 4-digit hover)."""
    return np.asarray(values, dtype=np.float32)


def _axis_names(surface: Surface) -> tuple[str, str, str]:
    i, j, k = surface.axes
    return loss_surface.PARAMS[i], loss_surface.PARAMS[j], loss_surface.PARAMS[k]


def _thin_path(path):
    path = np.asarray(path, dtype=float)
    return path[charts.thin(len(path), MAX_PATH_POINTS)]


def _marker(symbol: str, size: int, colour: str, rim: float | None = None) -> dict:
    marker = dict(symbol=symbol, size=size, color=colour)
    if rim is not None:
        marker["line"] = dict(width=rim, color=EDGE)
    return marker


def contour_figure(surface: Surface, which: str, labels: dict, current=None, arrow=None,
                   path=None, minimum=None, look: Look = PLAIN, height: int = 460):
    """The contour map of E (or M) over the two chosen parameters.

    current: (w0, w1, w2) on the sliders; arrow: the step (da, db) of steepest descent from
    there; path: rows (w0, w1, w2) of a training run; minimum: the exact minimiser. Points off
    this slice (their third parameter differs) are shown by their projection.
    """
    i, j, _ = surface.axes
    name_a, name_b, _ = _axis_names(surface)
    z = _grid_values(surface, which)
    title = labels["xent_short"] if which == "xent" else labels["mse_short"]
    where = f"{name_a} = %{{x:.4g}}<br>{name_b} = %{{y:.4g}}"
    data = [dict(
        type="contour", x=surface.a, y=surface.b, z=_grid32(_colour_values(z, which)),
        customdata=_grid32(z), colorscale=SURFACE_COLOURS, ncontours=28,
        line=dict(width=0.6, color="rgba(255,255,255,0.5)"),
        colorbar=_colourbar(z, which, title, look),
        hovertemplate=f"{where}<br>{title} = %{{customdata:.4g}}<extra></extra>")]
    annotations = []
    if path is not None and len(path):
        shown = _thin_path(path)
        data.append(dict(
            type="scatter", x=shown[:, i], y=shown[:, j], mode="lines", name=labels["path"],
            line=dict(color=PATH_COLOUR, width=3),
            hovertemplate=f"{where}<extra>{labels['path']}</extra>"))
        data.append(dict(
            type="scatter", x=[path[0][i]], y=[path[0][j]], mode="markers", name=labels["start"],
            marker=_marker("square", 11, PATH_COLOUR, 1.5),
            hovertemplate=f"{labels['start']}<br>{where}<extra></extra>"))
        data.append(dict(
            type="scatter", x=[path[-1][i]], y=[path[-1][j]], mode="markers",
            name=labels["trained"], marker=_marker("diamond", 13, PATH_COLOUR, 1.5),
            hovertemplate=f"{labels['trained']}<br>{where}<extra></extra>"))
    if minimum is not None:
        data.append(dict(
            type="scatter", x=[minimum[i]], y=[minimum[j]], mode="markers",
            name=labels["minimum"], marker=_marker("star", 20, MINIMUM_COLOUR, 1.5),
            hovertemplate=f"{labels['minimum']}<br>{where}<extra></extra>"))
    if current is not None:
        if arrow is not None:
            annotations.append(dict(
                x=current[i] + arrow[0], y=current[j] + arrow[1], ax=current[i], ay=current[j],
                xref="x", yref="y", axref="x", ayref="y", showarrow=True, arrowhead=2,
                arrowsize=1.3, arrowwidth=3, arrowcolor=ARROW_COLOUR, text=""))
            # An invisible trace gives the arrow a legend entry and a hover text.
            data.append(dict(
                type="scatter", x=[current[i] + arrow[0]], y=[current[j] + arrow[1]],
                mode="markers", name=labels["descent"],
                marker=_marker("triangle-up", 10, ARROW_COLOUR),
                hovertemplate=f"{labels['descent']}<extra></extra>"))
        data.append(dict(
            type="scatter", x=[current[i]], y=[current[j]], mode="markers",
            name=labels["current"], marker=_marker("circle", 14, CURRENT_COLOUR, 3),
            hovertemplate=f"{labels['current']}<br>{where}<extra></extra>"))
    # No legend: beside a 3-D surface in a half-width column it would squeeze the map; the page
    # prints a key of the markers under both figures instead (see MARKER_KEY).
    frame = dict(showline=True, linecolor="#444", mirror=True)
    layout = look.layout(
        height=height, margin=dict(l=10, r=10, t=10, b=10, pad=0), showlegend=False,
        xaxis=look.axis(name_a, range=[surface.a[0], surface.a[-1]], **frame),
        yaxis=look.axis(name_b, range=[surface.b[0], surface.b[-1]], **frame),
    )
    if annotations:
        layout["annotations"] = annotations
    return figure(data, layout)


def surface_figure(surface: Surface, which: str, labels: dict, current=None, current_z=None,
                   arrow_line=None, path=None, path_z=None, minimum=None, minimum_z=None,
                   minimum_slice_z=None, look: Look = PLAIN, height: int = 460):
    """The 3-D surface of E (or M) over the two chosen parameters.

    arrow_line: (a values, b values, heights) of the descent arrow, lying on the surface.
    The path and the minimum stand at their true loss values; minimum_slice_z, the slice's
    height above the minimum's (a, b), draws a dashed pin from the slice down to it, so a
    minimum that lies below this slice is still found.
    The legend is left to the contour map beside it, which shows the same markers.
    """
    i, j, _ = surface.axes
    name_a, name_b, _ = _axis_names(surface)
    z = _grid_values(surface, which)
    title = labels["xent_short"] if which == "xent" else labels["mse_short"]
    bar = _colourbar(z, which, title, look)
    bar.update(len=0.7, thickness=10, x=0.92)
    where = f"{name_a} = %{{x:.4g}}<br>{name_b} = %{{y:.4g}}"
    data = [dict(
        type="surface", x=surface.a, y=surface.b, z=_grid32(z), colorscale=SURFACE_COLOURS,
        colorbar=bar, opacity=0.9, contours=dict(z=dict(show=False)), name=title,
        hovertemplate=f"{where}<br>{title} = %{{z:.4g}}<extra></extra>")]
    if which == "xent":  # coloured by log10 E; M colours by its own height, plotly's default
        data[0]["surfacecolor"] = _grid32(_colour_values(z, which))
    if path is not None and len(path):
        keep = charts.thin(len(path), MAX_PATH_POINTS)
        shown, heights = np.asarray(path)[keep], np.asarray(path_z)[keep]
        data.append(dict(
            type="scatter3d", x=shown[:, i], y=shown[:, j], z=heights, mode="lines",
            name=labels["path"], line=dict(color=PATH_COLOUR, width=7),
            hovertemplate=f"{where}<br>{title} = %{{z:.4g}}<extra>{labels['path']}</extra>"))
        data.append(dict(
            type="scatter3d", x=[shown[-1, i]], y=[shown[-1, j]], z=[heights[-1]],
            mode="markers", name=labels["trained"], marker=_marker("diamond", 6, PATH_COLOUR, 1),
            hovertemplate=f"{labels['trained']}<br>{title} = %{{z:.4g}}<extra></extra>"))
    if minimum is not None:
        if minimum_slice_z is not None and abs(minimum_slice_z - minimum_z) > 1e-9:
            data.append(dict(
                type="scatter3d", x=[minimum[i]] * 2, y=[minimum[j]] * 2,
                z=[minimum_slice_z, minimum_z], mode="lines", name=labels["minimum"],
                showlegend=False, hoverinfo="skip", line=dict(color=EDGE, width=4, dash="dash")))
        data.append(dict(
            type="scatter3d", x=[minimum[i]], y=[minimum[j]], z=[minimum_z], mode="markers",
            name=labels["minimum"], marker=_marker("diamond", 7, MINIMUM_COLOUR, 2),
            hovertemplate=f"{labels['minimum']}<br>{title} = %{{z:.4g}}<extra></extra>"))
    if arrow_line is not None:
        a_line, b_line, z_line = arrow_line
        data.append(dict(
            type="scatter3d", x=a_line, y=b_line, z=z_line, mode="lines", name=labels["descent"],
            line=dict(color=ARROW_COLOUR, width=10), hoverinfo="skip"))
    if current is not None:
        data.append(dict(
            type="scatter3d", x=[current[i]], y=[current[j]], z=[current_z], mode="markers",
            name=labels["current"], marker=_marker("circle", 7, CURRENT_COLOUR, 3),
            hovertemplate=f"{labels['current']}<br>{where}<br>{title} = %{{z:.4g}}"
                          "<extra></extra>"))
    # plotly fits a 3-D scene to its height: a scene about as tall as wide keeps the axes'
    # labels inside the figure (the page's box keeps it so: lib/ui/fit.py).
    layout = look.layout(
        height=height, margin=dict(l=0, r=0, t=10, b=0), showlegend=False,
        scene=dict(xaxis=look.axis(name_a, range=[surface.a[0], surface.a[-1]]),
                   yaxis=look.axis(name_b, range=[surface.b[0], surface.b[-1]]),
                   zaxis=look.axis(""), aspectmode="manual",
                   aspectratio=dict(x=0.9, y=0.9, z=0.65), domain=dict(x=[0.0, 0.88], y=[0, 1]),
                   camera=dict(eye=dict(x=1.55, y=-1.55, z=1.0), center=dict(x=0, y=0, z=-0.1))),
        uirevision=surface.pair,  # keep the user's rotation while the sliders move
    )
    return figure(data, layout)
