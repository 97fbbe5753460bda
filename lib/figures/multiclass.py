"""Plotly figures of the linear multiclass page: regions in the plane, planes in space.

Every class has its own marker shape (○ × □ ◇ + ●, the same in 2-D and 3-D) and its own
Okabe–Ito colour; regions are also labelled with the shape, so nothing relies on colour alone.
Labels arrive translated: labels["classes"] is the list of class names. Figures are plain dicts
(lib/figures/base.py): every training or slider change redraws them, so they must be cheap; the
region grid travels as float32.
"""
from __future__ import annotations

import numpy as np

from lib.core import multiclass
from lib.figures.base import PLAIN, Look, figure

# (2-D marker, 3-D marker, glyph in text, colour, light tint for the region)
CLASS_STYLES = (
    ("circle-open", "circle-open", "○", "#0072B2", "#cfe3f2"),  # blue
    ("x-thin-open", "x", "×", "#D55E00", "#f7dccb"),  # vermillion
    ("square-open", "square-open", "□", "#009E73", "#cdeee3"),  # bluish green
    ("diamond-open", "diamond-open", "◇", "#CC79A7", "#f3e0eb"),  # reddish purple
    ("cross-thin-open", "cross", "+", "#E69F00", "#fbecc9"),  # orange
    ("circle", "circle", "●", "#56B4E9", "#dbeffb"),  # sky blue
)
BOUNDARY_COLOUR = "#000000"
TIE_COLOUR = "#777777"
GRID_SIZE = 90


def glyph(k: int) -> str:
    return CLASS_STYLES[k][2]


def mix(a: str, b: str) -> str:
    """The colour halfway between two "#rrggbb" colours: a face between two classes."""
    channels = [(int(a[i:i + 2], 16) + int(b[i:i + 2], 16)) // 2 for i in (1, 3, 5)]
    return "#" + "".join(f"{c:02x}" for c in channels)


def _square_layout(x_range, y_range, labels, height, look: Look) -> dict:
    return look.layout(
        height=height, margin=dict(l=10, r=10, t=40, b=10, pad=0), plot_bgcolor="white",
        legend=dict(orientation="h", yanchor="bottom", y=1.01, x=0),
        xaxis=look.axis(labels["x"], range=list(x_range), constrain="domain", showline=True,
                        linecolor="#444", mirror=True),
        yaxis=look.axis(labels["y"], range=list(y_range), **look.plane_scale(),
                        constrain="domain", showline=True, linecolor="#444", mirror=True),
    )


def point_traces(x, c, labels: dict, size: int = 11) -> list[dict]:
    """One scatter trace per class, each with its own marker shape and colour."""
    x, c = np.asarray(x), np.asarray(c)
    hover = f"{labels['x']} %{{x:.2f}}<br>{labels['y']} %{{y:.2f}}<extra>%{{fullData.name}}</extra>"
    traces = []
    for k, name in enumerate(labels["classes"]):
        symbol, _, _, colour, _ = CLASS_STYLES[k]
        chosen = x[c == k]
        traces.append(dict(
            type="scatter", x=chosen[:, 0], y=chosen[:, 1], mode="markers", name=name,
            legendgroup=f"class{k}",
            marker=dict(symbol=symbol, size=size, color=colour, line=dict(width=2.5)),
            hovertemplate=hover))
    return traces


def _region_heatmap(kernel, bias, xs, ys, labels):
    k = len(labels["classes"])
    predicted, probabilities = multiclass.region_grid(kernel, bias, xs, ys)
    scale = []
    for cls in range(k):
        tint = CLASS_STYLES[cls][4]
        scale += [[cls / k, tint], [(cls + 1) / k, tint]]
    lines = [f"{labels['x']} %{{x:.1f}}, {labels['y']} %{{y:.1f}}",
             f"{labels['predicted']}: %{{text}}"]
    lines += [f"P({name}) = %{{customdata[{cls}]:.3f}}"
              for cls, name in enumerate(labels["classes"])]
    names = np.asarray(labels["classes"], dtype=object)[predicted]
    # The class numbers and the rounded probabilities as float32 grids: exact for the class,
    # more than the three decimals shown for a probability, and half the bytes.
    return dict(type="heatmap", x=xs, y=ys, z=predicted.astype(np.float32), zmin=-0.5,
                zmax=k - 0.5, colorscale=scale, showscale=False, text=names.tolist(),
                customdata=np.round(probabilities, 3).astype(np.float32),
                hovertemplate="<br>".join(lines) + "<extra></extra>"), predicted


def _padded(axis_range, share: float = 0.04):
    """Grid points a little beyond the axis range, so the tint reaches every edge of the frame
    (an equal-scale frame may show a little more than the range asked for)."""
    lo, hi = axis_range
    pad = share * (hi - lo)
    return np.linspace(lo - pad, hi + pad, GRID_SIZE)


def _segments_xy(segments):
    """One line trace's coordinates for many segments (None separates them)."""
    xs, ys = [], []
    for _, _, ((xa, ya), (xb, yb)) in segments:
        xs += [float(xa), float(xb), None]
        ys += [float(ya), float(yb), None]
    return xs, ys


def regions_figure(kernel, bias, x, c, x_range, y_range, labels: dict, show_ties: bool = False,
                   look: Look = PLAIN):
    """Each class's region as a light tint, the boundaries (black), the points, the labels.

    Hovering anywhere shows the predicted class and the softmax probability of every class.
    show_ties adds the whole lines f_i = f_j (dashed), beyond the parts that are boundaries.
    """
    xs, ys = _padded(x_range), _padded(y_range)
    box_x, box_y = (xs[0], xs[-1]), (ys[0], ys[-1])
    heatmap, predicted = _region_heatmap(kernel, bias, xs, ys, labels)
    data = [heatmap]
    if show_ties:
        tx, ty = _segments_xy(multiclass.tie_lines(kernel, bias, box_x, box_y))
        data.append(dict(type="scatter", x=tx, y=ty, mode="lines", name=labels["ties"],
                         line=dict(color=TIE_COLOUR, width=1.5, dash="dash"),
                         hoverinfo="skip"))
    bx, by = _segments_xy(multiclass.boundary_segments(kernel, bias, box_x, box_y))
    data.append(dict(type="scatter", x=bx, y=by, mode="lines", name=labels["boundary"],
                     line=dict(color=BOUNDARY_COLOUR, width=3), hoverinfo="skip"))
    data += point_traces(x, c, labels, look.marker)
    k = len(labels["classes"])
    annotations = [
        look.annotation(x=centre[0], y=centre[1],
                        text=labels["region"].format(glyph=glyph(cls), k=cls), showarrow=False,
                        font=dict(color=CLASS_STYLES[cls][3]), bgcolor="rgba(255,255,255,0.75)",
                        borderpad=3)
        for cls, centre in enumerate(multiclass.region_centres(predicted, xs, ys, k))
        if centre is not None]
    layout = _square_layout(x_range, y_range, labels, look.height, look)
    if annotations:
        layout["annotations"] = annotations
    return figure(data, layout)


def space_figure(x, c, kernel, bias, box, labels: dict, look: Look = PLAIN):
    """Points in 3-D space, one marker shape per class, and the planes between the regions.

    Drag to turn it; the boundary between classes i and j is the piece of the plane f_i = f_j
    where no other class's f is larger.
    """
    x, c = np.asarray(x), np.asarray(c)
    marker_size = look.marker // 2
    data = []
    hover3 = (f"{labels['x']} %{{x:.1f}}<br>{labels['y']} %{{y:.1f}}<br>{labels['z']} %{{z:.1f}}"
              "<extra>%{fullData.name}</extra>")
    for i, j, polygon in multiclass.boundary_faces(kernel, bias, box):
        m = len(polygon)
        name = labels["face"].format(a=labels["classes"][i], b=labels["classes"][j])
        data.append(dict(
            type="mesh3d", x=polygon[:, 0], y=polygon[:, 1], z=polygon[:, 2], i=[0] * (m - 2),
            j=list(range(1, m - 1)), k=list(range(2, m)), opacity=0.3,
            color=mix(CLASS_STYLES[i][3], CLASS_STYLES[j][3]),
            name=name, showlegend=False, hovertemplate=name + "<extra></extra>", flatshading=True))
        closed = np.vstack([polygon, polygon[:1]])
        data.append(dict(type="scatter3d", x=closed[:, 0], y=closed[:, 1], z=closed[:, 2],
                         mode="lines", line=dict(color=BOUNDARY_COLOUR, width=3),
                         hoverinfo="skip", showlegend=False))
    for k, name in enumerate(labels["classes"]):
        _, symbol, _, colour, _ = CLASS_STYLES[k]
        chosen = x[c == k]
        data.append(dict(
            type="scatter3d", x=chosen[:, 0], y=chosen[:, 1], z=chosen[:, 2], mode="markers",
            name=name,
            # Plotly draws its 3-D "x" and "cross" larger than the other shapes.
            marker=dict(symbol=symbol, color=colour,
                        size=marker_size * (0.7 if symbol in ("x", "cross") else 1),
                        line=dict(color=colour, width=2)),
            hovertemplate=hover3))
    axis = dict(showbackground=True, backgroundcolor="#f6f6f6", gridcolor="#ddd")
    layout = look.layout(
        height=look.height + 100, margin=dict(l=0, r=0, t=30, b=0),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0),
        scene=dict(xaxis=look.axis(labels["x"], range=list(box[0]), **axis),
                   yaxis=look.axis(labels["y"], range=list(box[1]), **axis),
                   zaxis=look.axis(labels["z"], range=list(box[2]), **axis),
                   aspectmode="cube", camera=dict(eye=dict(x=1.45, y=-1.4, z=0.8))))
    return figure(data, layout)
