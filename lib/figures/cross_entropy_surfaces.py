"""Figures of the cross-entropy page's loss surfaces: E (or the squared error M) over two
parameters as a contour map and as a 3-D surface, with the current parameters, the downhill
arrow, the exact minimum and a training run's path.

Plain-dict figures (lib/figures/base.py); the big grids travel as float32. Surfaces use Viridis,
readable for colour-blind viewers and in grey; markers differ by shape as well as colour.
"""
from __future__ import annotations

import math

import numpy as np

from lib.core import cross_entropy as loss_surface
from lib.core.cross_entropy import Surface
from lib.figures import logistic as charts
from lib.figures.base import PLAIN, Look, figure
from lib.figures.cross_entropy import (ARROW_COLOUR, CURRENT_COLOUR, EDGE, MAX_PATH_POINTS,
                                       MINIMUM_COLOUR, PATH_COLOUR, SURFACE_COLOURS)



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
