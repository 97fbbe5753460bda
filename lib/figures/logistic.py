"""Figure builders of the logistic page: arrays and already-translated labels in, figures out.

Figures are plain dicts (lib/figures/base.py), validated in the tests rather than on every slider
move. Classes are told apart by marker shape first (◦ for t = 1, × for t = 0, as on the
slides) and by colour second, with the Okabe–Ito colour-blind-safe blue and vermillion.
"""
from __future__ import annotations

import numpy as np

from lib.core import maths
from lib.figures.base import PLAIN, Look, animation_controls, figure

CIRCLE_COLOUR = "#0072B2"  # Okabe–Ito blue
CROSS_COLOUR = "#D55E00"  # Okabe–Ito vermillion
LINE_COLOUR = "#000000"
GRID_SIZE = 80
# The animation's shade: one grid per frame, sent with the figure, so coarser than GRID_SIZE.
FRAME_GRID_SIZE = 50
# σ(f) as a grey shade, as in the author's plot: white where P = 0, mid-grey where P = 1.
GREY_SCALE = [[0.0, "#ffffff"], [1.0, "#8c8c8c"]]


def _grid(x_range, y_range, size=GRID_SIZE):
    return np.linspace(*x_range, size), np.linspace(*y_range, size)


def probability_grids(weights, xs, ys) -> np.ndarray:
    """σ(f) on the grid xs × ys for every row (w0, w1, w2) of weights: (rows, len(ys), len(xs)).

    One array operation for all rows (the animation's frames), in float32 throughout: the shade
    needs no more precision (P to within 1e-6), float32 is several times faster here, and
    float32 grids travel at half the bytes.
    """
    w = np.asarray(weights, dtype=float).reshape(-1, 3)
    xs, ys = np.asarray(xs, dtype=np.float32), np.asarray(ys, dtype=np.float32)
    with np.errstate(all="ignore"):  # inf and nan in, inf and nan out, silently
        # Weights of a diverged training can pass float32's range: scaled down to 1e30 they
        # draw the same step (σ is 0 or 1 but on the line) with the line in the same place.
        scale = np.abs(w).max(axis=1, keepdims=True) / 1e30
        scale[~(scale > 1.0) | np.isinf(scale)] = 1.0
        w = (w / scale).astype(np.float32)
        f = w[:, 0, None, None] + w[:, 1, None, None] * xs[None, None, :] + \
            w[:, 2, None, None] * ys[None, :, None]
        # σ(f) = (1 + tanh(f / 2)) / 2: no overflow for any f, no masks.
        f *= 0.5
        np.tanh(f, out=f)
        f *= 0.5
        f += 0.5
    return f


def point_traces(x, t, labels: dict, size: int = 11):
    """◦ (t = 1) and × (t = 0) scatter traces; labels: {"circle", "cross", "x", "y"}."""
    x, t = np.asarray(x, dtype=float).reshape(-1, 2), np.asarray(t)
    hover = f"{labels['x']} %{{x:.2f}}<br>{labels['y']} %{{y:.2f}}<extra>%{{fullData.name}}</extra>"
    ones, zeros = x[t == 1], x[t == 0]
    return [
        dict(type="scatter", x=ones[:, 0], y=ones[:, 1], mode="markers", name=labels["circle"],
             marker=dict(symbol="circle-open", size=size, color=CIRCLE_COLOUR,
                         line=dict(width=2.5)), hovertemplate=hover),
        dict(type="scatter", x=zeros[:, 0], y=zeros[:, 1], mode="markers", name=labels["cross"],
             marker=dict(symbol="x-thin-open", size=size, color=CROSS_COLOUR,
                         line=dict(width=2.5)), hovertemplate=hover),
    ]


def _line_xy(w, x_range, y_range):
    segment = maths.boundary_segment(*w, x_range, y_range)
    if segment is None:
        return [None, None], [None, None]
    (xa, ya), (xb, yb) = segment
    return [float(xa), float(xb)], [float(ya), float(yb)]


def _probability_heatmap(xs, ys, z, labels, look: Look) -> dict:
    return dict(type="heatmap", x=xs, y=ys, z=z, zmin=0, zmax=1, colorscale=GREY_SCALE,
                showscale=True, colorbar=look.colorbar("P", len=0.8, thickness=12),
                hovertemplate=f"{labels['x']} %{{x:.1f}}<br>{labels['y']} %{{y:.1f}}"
                              f"<br>P = %{{z:.3f}}<extra></extra>")


def _square_layout(x_range, y_range, labels, height, look: Look) -> dict:
    axis = dict(constrain="domain", showline=True, linecolor="#444", mirror=True)
    # pad=0: the frame sits on the shade's edge (Streamlit's theme pads it 8 px outwards,
    # leaving a white band inside the frame where points near the edge sit on no shade).
    return look.layout(height=height, margin=dict(l=10, r=10, t=40, b=10, pad=0),
                       legend=dict(orientation="h", yanchor="bottom", y=1.01, x=0),
                       plot_bgcolor="white",
                       xaxis=look.axis(labels["x"], range=[float(v) for v in x_range], **axis),
                       yaxis=look.axis(labels["y"], range=[float(v) for v in y_range],
                                       **look.plane_scale(), **axis))


def _boundary_data(x, t, w, xs, ys, z, x_range, y_range, labels, marker_size, look) -> list:
    """Shade, line, ◦ and ×: traces 0 and 1 are the ones the animation's frames replace."""
    line_x, line_y = _line_xy(w, x_range, y_range)
    return [_probability_heatmap(xs, ys, z, labels, look),
            dict(type="scatter", x=line_x, y=line_y, mode="lines", name=labels["line"],
                 line=dict(color=LINE_COLOUR, width=3), hoverinfo="skip"),
            *point_traces(x, t, labels, marker_size)]


def boundary_figure(x, t, w, x_range, y_range, labels: dict, look: Look = PLAIN):
    """The points, the line f(x, y) = 0 and σ(f) as grey shade, for parameters w = (w0, w1, w2)."""
    xs, ys = _grid(x_range, y_range)
    z = probability_grids(w, xs, ys)[0]
    return figure(_boundary_data(x, t, w, xs, ys, z, x_range, y_range, labels, look.marker,
                                 look),
                  _square_layout(x_range, y_range, labels, look.height, look))


def snapshot_epochs(epochs_done: int, count: int = 80) -> np.ndarray:
    """Epochs to show in the animation: dense early (where the line moves most), then even."""
    if epochs_done <= count:
        return np.arange(epochs_done + 1)
    early = np.geomspace(1, epochs_done, count // 2).round().astype(int)
    even = np.linspace(0, epochs_done, count // 2).round().astype(int)
    return np.unique(np.r_[0, early, even, epochs_done])


def _animation_parts(x, t, weights, epochs, x_range, y_range, labels, look: Look):
    weights = np.asarray(weights, dtype=float).reshape(-1, 3)
    epochs = [int(e) for e in epochs]
    # The figure's own shade uses the frames' grid: a frame replaces z only, so x and y must
    # already match its columns and rows.
    xs, ys = _grid(x_range, y_range, FRAME_GRID_SIZE)
    grids = probability_grids(weights, xs, ys)  # all frames at once: (frames, ny, nx)

    def title(epoch, w):
        return labels["frame_title"].format(epoch=epoch, w0=w[0], w1=w[1], w2=w[2])

    frames = []
    for epoch, w, z in zip(epochs, weights.tolist(), grids):
        line_x, line_y = _line_xy(w, x_range, y_range)
        frames.append(dict(name=str(epoch),
                           data=[dict(type="heatmap", z=z),
                                 dict(type="scatter", x=line_x, y=line_y)],
                           traces=[0, 1], layout=dict(title=dict(text=title(epoch, w)))))
    data = _boundary_data(x, t, weights[-1], xs, ys, grids[-1], x_range, y_range, labels,
                          look.marker, look)
    height = look.height + 80
    top, bottom = 100 + 2 * (look.heading - 15), 110 + 2 * look.axis_growth
    plot = height - top - bottom  # pixels: the buttons and the slider sit so far below it
    layout = _square_layout(x_range, y_range, labels, height, look)
    layout.update(
        # The title at the very top and the legend just above the plot: room for both at
        # lecture-mode sizes.
        title=look.title(title(epochs[-1], weights[-1].tolist()), y=0.99, yanchor="top",
                         x=0.01, xanchor="left"),
        # A frame brings a new shade: the heatmap must be redrawn.
        **animation_controls([str(e) for e in epochs], labels, look, plot, redraw=True,
                             buttons_below=31, slider_below=20),
        margin=dict(l=10, r=10, t=top, b=bottom, pad=0),
    )
    return data, layout, frames


def training_animation(x, t, weights, epochs, x_range, y_range, labels: dict,
                       look: Look = PLAIN):
    """The boundary at each snapshot epoch, played in the browser (play button and slider).

    weights: rows (w0, w1, w2) for the chosen `epochs`. Every frame carries its own shade and
    line, so playing needs no server round trip.
    """
    return figure(*_animation_parts(x, t, weights, epochs, x_range, y_range, labels, look))


def curves_figure(epochs, curves: dict, labels: dict, look: Look = PLAIN,
                  height: int | None = None):
    """Loss (left) and accuracy (right) against epochs; curves maps name -> (loss, acc) arrays."""
    styles = {"train": dict(color=CIRCLE_COLOUR, dash="solid"),
              "test": dict(color=CROSS_COLOUR, dash="dash"),
              "clipped": dict(color=CROSS_COLOUR, dash="dot")}  # the saturation demo's run
    data = []
    for name, (loss, acc) in curves.items():
        style = styles.get(name, {})
        data.append(dict(type="scatter", x=epochs, y=loss, name=labels[name], mode="lines",
                         line=dict(style), legendgroup=name, xaxis="x", yaxis="y"))
        data.append(dict(type="scatter", x=epochs, y=acc, name=labels[name], mode="lines",
                         line=dict(style), legendgroup=name, showlegend=False, xaxis="x2",
                         yaxis="y2"))
    def grid():
        return dict(showgrid=True, gridcolor="#eee")

    def x_axis():
        return look.axis(labels["epoch"], **grid())

    # As make_subplots(rows=1, cols=2, horizontal_spacing=0.12) lays them out.
    titles = [look.annotation(text=text, x=x, y=1.0, xref="paper", yref="paper",
                              xanchor="center", yanchor="bottom", showarrow=False)
              for text, x in ((labels["loss"], 0.22), (labels["accuracy"], 0.78))]
    layout = look.layout(
        xaxis=dict(anchor="y", domain=[0.0, 0.44], **x_axis()),
        yaxis=look.axis(anchor="x", domain=[0.0, 1.0], rangemode="tozero", **grid()),
        xaxis2=dict(anchor="y2", domain=[0.56, 1.0], **x_axis()),
        yaxis2=look.axis(anchor="x2", domain=[0.0, 1.0], range=[0, 1.02], tickformat=".0%",
                         **grid()),
        # The legend sits above the subplot titles, clear of them at lecture-mode sizes too.
        annotations=titles, height=height or (360 if not look.lecture else 440),
        margin=dict(l=10, r=10, t=90 + 2 * (look.heading - 15), b=10),
        plot_bgcolor="white", legend=dict(orientation="h", yanchor="bottom", y=1.14, x=0))
    return figure(data, layout)


def thin(n: int, most: int = 1000) -> np.ndarray:
    """At most `most` evenly spread indices of range(n), always including the last."""
    if n <= most:
        return np.arange(n)
    return np.unique(np.r_[np.linspace(0, n - 1, most).round().astype(int), n - 1])
