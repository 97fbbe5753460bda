"""Plotly figure builders: arrays and already-translated labels in, go.Figure out.

Classes are told apart by marker shape first (◦ for t = 1, × for t = 0, as on the slides) and
by colour second, with the Okabe–Ito colour-blind-safe blue and vermillion.
"""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lib import maths

CIRCLE_COLOUR = "#0072B2"  # Okabe–Ito blue
CROSS_COLOUR = "#D55E00"  # Okabe–Ito vermillion
LINE_COLOUR = "#000000"
GRID_SIZE = 80
# σ(f) as a grey shade, as in the author's plot: white where P = 0, mid-grey where P = 1.
GREY_SCALE = [[0.0, "#ffffff"], [1.0, "#8c8c8c"]]


def _grid(x_range, y_range, size=GRID_SIZE):
    return np.linspace(*x_range, size), np.linspace(*y_range, size)


def point_traces(x, t, labels: dict, size: int = 11):
    """◦ (t = 1) and × (t = 0) scatter traces; labels: {"circle", "cross", "x", "y"}."""
    x, t = np.asarray(x), np.asarray(t)
    hover = f"{labels['x']} %{{x:.2f}}<br>{labels['y']} %{{y:.2f}}<extra>%{{fullData.name}}</extra>"
    ones, zeros = x[t == 1], x[t == 0]
    return [
        go.Scatter(x=ones[:, 0], y=ones[:, 1], mode="markers", name=labels["circle"],
                   marker=dict(symbol="circle-open", size=size, color=CIRCLE_COLOUR,
                               line=dict(width=2.5)), hovertemplate=hover),
        go.Scatter(x=zeros[:, 0], y=zeros[:, 1], mode="markers", name=labels["cross"],
                   marker=dict(symbol="x-thin-open", size=size, color=CROSS_COLOUR,
                               line=dict(width=2.5)), hovertemplate=hover),
    ]


def _line_xy(w, x_range, y_range):
    segment = maths.boundary_segment(*w, x_range, y_range)
    if segment is None:
        return [None, None], [None, None]
    (xa, ya), (xb, yb) = segment
    return [xa, xb], [ya, yb]


def _probability_heatmap(w, xs, ys, labels):
    z = maths.probability_grid(*w, xs, ys)
    return go.Heatmap(x=xs, y=ys, z=z, zmin=0, zmax=1, colorscale=GREY_SCALE, showscale=True,
                      colorbar=dict(title=dict(text="P", side="right"), len=0.8, thickness=12),
                      hovertemplate=f"{labels['x']} %{{x:.1f}}<br>{labels['y']} %{{y:.1f}}"
                                    f"<br>P = %{{z:.3f}}<extra></extra>")


def _square_layout(fig, x_range, y_range, labels, height):
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=40, b=10),
                      legend=dict(orientation="h", yanchor="bottom", y=1.01, x=0),
                      plot_bgcolor="white")
    fig.update_xaxes(range=list(x_range), title=labels["x"], constrain="domain",
                     showline=True, linecolor="#444", mirror=True)
    fig.update_yaxes(range=list(y_range), title=labels["y"], scaleanchor="x", scaleratio=1,
                     constrain="domain", showline=True, linecolor="#444", mirror=True)
    return fig


def boundary_figure(x, t, w, x_range, y_range, labels: dict, height: int = 520,
                    marker_size: int = 11):
    """The points, the line f(x, y) = 0 and σ(f) as grey shade, for parameters w = (w0, w1, w2)."""
    xs, ys = _grid(x_range, y_range)
    line_x, line_y = _line_xy(w, x_range, y_range)
    fig = go.Figure([_probability_heatmap(w, xs, ys, labels)])
    fig.add_trace(go.Scatter(x=line_x, y=line_y, mode="lines", name=labels["line"],
                             line=dict(color=LINE_COLOUR, width=3), hoverinfo="skip"))
    for trace in point_traces(x, t, labels, marker_size):
        fig.add_trace(trace)
    return _square_layout(fig, x_range, y_range, labels, height)


def snapshot_epochs(epochs_done: int, count: int = 80) -> np.ndarray:
    """Epochs to show in the animation: dense early (where the line moves most), then even."""
    if epochs_done <= count:
        return np.arange(epochs_done + 1)
    early = np.geomspace(1, epochs_done, count // 2).round().astype(int)
    even = np.linspace(0, epochs_done, count // 2).round().astype(int)
    return np.unique(np.r_[0, early, even, epochs_done])


def training_animation(x, t, weights, epochs, x_range, y_range, labels: dict,
                       height: int = 560, marker_size: int = 11):
    """The boundary at each snapshot epoch, played in the browser (play button and slider).

    weights: rows (w0, w1, w2) for the chosen `epochs`. Every frame carries its own shade and
    line, so playing needs no server round trip.
    """
    xs, ys = _grid(x_range, y_range, 50)
    frames = []
    for epoch, w in zip(epochs, weights):
        line_x, line_y = _line_xy(w, x_range, y_range)
        frames.append(go.Frame(
            name=str(int(epoch)),
            data=[go.Heatmap(z=maths.probability_grid(*w, xs, ys)),
                  go.Scatter(x=line_x, y=line_y)],
            traces=[0, 1],
            layout=dict(title=dict(text=labels["frame_title"].format(
                epoch=int(epoch), w0=w[0], w1=w[1], w2=w[2]))),
        ))
    fig = boundary_figure(x, t, weights[-1], x_range, y_range, labels, height, marker_size)
    last = weights[-1]
    fig.update_layout(title=dict(text=labels["frame_title"].format(
        epoch=int(epochs[-1]), w0=last[0], w1=last[1], w2=last[2]), font=dict(size=14)))
    fig.frames = frames
    play = dict(label="▶ " + labels["play"], method="animate",
                args=[None, dict(frame=dict(duration=80, redraw=True), fromcurrent=True,
                                 transition=dict(duration=0), mode="immediate")])
    pause = dict(label="⏸ " + labels["pause"], method="animate",
                 args=[[None], dict(frame=dict(duration=0, redraw=False), mode="immediate")])
    steps = [dict(method="animate", label=str(int(e)),
                  args=[[str(int(e))], dict(frame=dict(duration=0, redraw=True), mode="immediate",
                                            transition=dict(duration=0))]) for e in epochs]
    fig.update_layout(
        updatemenus=[dict(type="buttons", direction="left", buttons=[play, pause], x=0, y=-0.08,
                          xanchor="left", yanchor="top", showactive=False)],
        sliders=[dict(active=len(steps) - 1, steps=steps, x=0.22, len=0.78, y=-0.05,
                      currentvalue=dict(prefix=labels["epoch"] + " "), pad=dict(t=30))],
        margin=dict(l=10, r=10, t=60, b=110), height=height + 80,
    )
    return fig


def curves_figure(epochs, curves: dict, labels: dict, height: int = 360):
    """Loss (left) and accuracy (right) against epochs; curves maps name -> (loss, acc) arrays."""
    fig = make_subplots(rows=1, cols=2, subplot_titles=(labels["loss"], labels["accuracy"]),
                        horizontal_spacing=0.12)
    styles = {"train": dict(color=CIRCLE_COLOUR, dash="solid"),
              "test": dict(color=CROSS_COLOUR, dash="dash")}
    for name, (loss, acc) in curves.items():
        style = styles.get(name, {})
        fig.add_trace(go.Scatter(x=epochs, y=loss, name=labels[name], mode="lines",
                                 line=style, legendgroup=name), row=1, col=1)
        fig.add_trace(go.Scatter(x=epochs, y=acc, name=labels[name], mode="lines",
                                 line=style, legendgroup=name, showlegend=False), row=1, col=2)
    fig.update_xaxes(title_text=labels["epoch"])
    fig.update_yaxes(rangemode="tozero", row=1, col=1)
    fig.update_yaxes(range=[0, 1.02], tickformat=".0%", row=1, col=2)
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=40, b=10), plot_bgcolor="white",
                      legend=dict(orientation="h", yanchor="bottom", y=1.08, x=0))
    fig.update_xaxes(showgrid=True, gridcolor="#eee")
    fig.update_yaxes(showgrid=True, gridcolor="#eee")
    return fig


def thin(n: int, most: int = 1000) -> np.ndarray:
    """At most `most` evenly spread indices of range(n), always including the last."""
    if n <= most:
        return np.arange(n)
    return np.unique(np.r_[np.linspace(0, n - 1, most).round().astype(int), n - 1])
