"""Plotly figures of the regression page: arrays and translated labels in, figures out.

Figures are plain dicts (lib/figures/base.py), validated in the tests rather than on every slider
move. Nothing is told apart by colour alone: training points are filled circles, test points
open diamonds, the trained curve is solid, the least-squares curve dashed, residuals dotted,
the prediction a star.
"""
from __future__ import annotations

import math

import numpy as np

from lib.figures.base import PLAIN, Look, animation_controls, figure

POINT_COLOUR = "#0072B2"  # Okabe–Ito blue
TEST_COLOUR = "#D55E00"  # Okabe–Ito vermillion
FIT_COLOUR = "#000000"
EXACT_COLOUR = "#009E73"  # Okabe–Ito bluish green
RESIDUAL_COLOUR = "#CC79A7"  # Okabe–Ito reddish purple
PREDICTION_COLOUR = "#E69F00"  # Okabe–Ito orange
AXIS = dict(showline=True, linecolor="#444", mirror=True, showgrid=True, gridcolor="#eee",
            zeroline=True, zerolinecolor="#bbb")


def _hover(labels: dict) -> str:
    return (f"{labels['x']} %{{x:.3g}}<br>{labels['y']} %{{y:.4g}}"
            "<extra>%{fullData.name}</extra>")


def _layout(x_range, y_range, labels: dict, height: int, look: Look) -> dict:
    return look.layout(height=height, margin=dict(l=10, r=10, t=40, b=10), plot_bgcolor="white",
                       legend=dict(orientation="h", yanchor="bottom", y=1.01, x=0),
                       hovermode="closest",
                       xaxis=look.axis(labels["x"], range=[float(v) for v in x_range], **AXIS),
                       yaxis=look.axis(labels["y"], range=[float(v) for v in y_range], **AXIS))


def points_trace(x, y, name: str, labels: dict, size: int = 11, test: bool = False) -> dict:
    """Data points: filled circles (training data) or open diamonds (test data)."""
    marker = (dict(symbol="diamond-open", size=size + 1, color=TEST_COLOUR, line=dict(width=2.5))
              if test else dict(symbol="circle", size=size, color=POINT_COLOUR,
                                line=dict(width=1, color="white")))
    return dict(type="scatter", x=np.asarray(x, dtype=float), y=np.asarray(y, dtype=float),
                mode="markers", name=name, marker=marker, hovertemplate=_hover(labels))


def residual_trace(x, y, prediction, name: str) -> dict:
    """One dotted vertical segment per point, from the point to the line: the residuals."""
    x, y, prediction = (np.asarray(a, dtype=float) for a in (x, y, prediction))
    gaps = np.full(len(x), np.nan)
    return dict(type="scatter", x=np.column_stack([x, x, gaps]).ravel(),
                y=np.column_stack([y, prediction, gaps]).ravel(), mode="lines", name=name,
                hoverinfo="skip", connectgaps=False,
                line=dict(color=RESIDUAL_COLOUR, width=2, dash="dot"))


def curve_trace(xs, ys, name: str, exact: bool = False) -> dict:
    style = (dict(color=EXACT_COLOUR, width=3, dash="dash") if exact
             else dict(color=FIT_COLOUR, width=3))
    return dict(type="scatter", x=np.asarray(xs, dtype=float), y=np.asarray(ys, dtype=float),
                mode="lines", name=name, line=style, hoverinfo="skip")


def hand_figure(x, y, slope: float, intercept: float, x_range, y_range, labels: dict,
                exact=None, look: Look = PLAIN):
    """The data, the line y = slope·x + intercept and the residuals.

    exact: (slope, intercept) of the least-squares line to draw too, or None.
    """
    x = np.asarray(x, dtype=float)
    ends = np.array(x_range, dtype=float)
    data = [residual_trace(x, y, slope * x + intercept, labels["residual"])]
    if exact is not None:
        data.append(curve_trace(ends, exact[0] * ends + exact[1], labels["exact"], exact=True))
    data.append(curve_trace(ends, slope * ends + intercept, labels["line"]))
    data.append(points_trace(x, y, labels["data"], labels, look.marker))
    return figure(data, _layout(x_range, y_range, labels, look.height, look))


def prediction_traces(budget: float, value: float, labels: dict, x_range, y_range,
                      size: int = 11) -> list:
    """A star at (budget, predicted sales) and dotted guides to both axes."""
    x0, y0 = float(x_range[0]), float(y_range[0])
    guide = dict(type="scatter", x=[x0, budget, budget], y=[value, value, y0], mode="lines",
                 line=dict(color=PREDICTION_COLOUR, width=1.5, dash="dot"), hoverinfo="skip",
                 showlegend=False)
    star = dict(type="scatter", x=[budget], y=[value], mode="markers",
                name=labels["prediction"], hovertemplate=_hover(labels),
                marker=dict(symbol="star", size=size + 9, color=PREDICTION_COLOUR,
                            line=dict(width=1.5, color="black")))
    return [guide, star]


def _fit_data(train, test, grid, fitted, exact, labels, prediction, x_range, y_range,
              marker_size) -> list:
    data = [curve_trace(grid, exact, labels["exact"], exact=True),
            curve_trace(grid, fitted, labels["fitted"]),
            points_trace(train.x, train.y, labels["train"], labels, marker_size)]
    if len(test):
        data.append(points_trace(test.x, test.y, labels["test"], labels, marker_size, test=True))
    if prediction is not None:
        data.extend(prediction_traces(*prediction, labels, x_range, y_range, marker_size))
    return data


def fit_figure(train, test, grid, fitted, exact, x_range, y_range, labels: dict,
               prediction=None, look: Look = PLAIN):
    """Training and test points, the trained curve and the least-squares curve over `grid`.

    prediction: (budget, predicted sales) or None.
    """
    data = _fit_data(train, test, grid, fitted, exact, labels, prediction, x_range, y_range,
                     look.marker)
    return figure(data, _layout(x_range, y_range, labels, look.height, look))


def fit_animation(train, test, grid, curves, epochs, losses, exact, x_range, y_range,
                  labels: dict, look: Look = PLAIN):
    """The trained curve at each snapshot epoch, played in the browser.

    curves: (frames, len(grid)) predictions; losses: the training MSE at those epochs.
    Frames change only the trained curve (trace 1), so playing needs no server round trip.
    """
    data = _fit_data(train, test, grid, curves[-1], exact, labels, None, x_range, y_range,
                     look.marker)

    def title(epoch, loss):
        return labels["frame_title"].format(epoch=int(epoch), mse=float(loss))

    grid = np.asarray(grid, dtype=float)
    frames = [dict(name=str(int(e)), data=[dict(type="scatter", x=grid, y=np.asarray(c))],
                   traces=[1], layout=dict(title=dict(text=title(e, m))))
              for e, c, m in zip(epochs, curves, losses)]
    height = look.height + 90
    top, bottom = 75 + 2 * (look.heading - 15), 120 + 2 * look.axis_growth
    plot = height - top - bottom  # pixels: the buttons and the slider sit so far below it
    layout = _layout(x_range, y_range, labels, height, look)
    layout.update(
        title=look.title(title(epochs[-1], losses[-1]), x=0.01, xanchor="left", y=0.985,
                         yanchor="top", yref="container"),
        # A frame moves the trained curve only: no redraw needed.
        **animation_controls([str(int(e)) for e in epochs], labels, look, plot, redraw=False,
                             buttons_below=41, slider_below=29),
        margin=dict(l=10, r=10, t=top, b=bottom),
    )
    return figure(data, layout, frames)


def _log_ticks(look: Look, *series) -> dict:
    """A log axis's ticks in lecture mode: 1, 2 and 5 per decade (1 alone over many decades),
    every label at full size. Left to plotly, the 2s and 5s between decades are lettered at
    three quarters of the tick size, too small for a projector."""
    values = np.concatenate([np.ravel(np.asarray(v, dtype=float)) for v in series])
    values = values[np.isfinite(values) & (values > 0)]
    if not look.lecture or not values.size:
        return {}
    low, high = float(values.min()), float(values.max())
    first, last = math.floor(math.log10(low)), math.ceil(math.log10(high))
    mantissas = (1, 2, 5) if last - first <= 3 else (1,)
    ticks = [m * 10.0 ** p for p in range(first, last + 1) for m in mantissas]
    ticks = [tick for tick in ticks if low <= tick <= high]
    if len(ticks) < 2:
        return {}  # less than a decade: plotly letters such a range at full size itself
    return dict(tickmode="array", tickvals=ticks, ticktext=[f"{tick:g}" for tick in ticks])


def _positive(values):
    """Values for a log axis: zeros (an exact fit) shown at a tiny floor instead of vanishing."""
    values = np.asarray(values, dtype=float)
    return np.where(values > 0, values, 1e-12)


def loss_figure(epochs, curves: dict, labels: dict, exact_mse: float | None = None,
                look: Look = PLAIN, height: int = 340):
    """The MSE after each epoch (log scale): training (solid) and test (dashed) data.

    exact_mse: the least-squares training MSE, the floor the training curve can reach.
    """
    epochs = np.asarray(epochs)
    styles = {"train": dict(color=POINT_COLOUR), "test": dict(color=TEST_COLOUR, dash="dash")}
    data = [dict(type="scatter", x=epochs, y=_positive(values), name=labels[name], mode="lines",
                 line=dict(width=2.5, **styles.get(name, {})))
            for name, values in curves.items()]
    if exact_mse is not None and np.isfinite(exact_mse):
        floor = float(_positive([exact_mse])[0])
        data.append(dict(type="scatter", x=[int(epochs[0]), int(epochs[-1])], y=[floor, floor],
                         mode="lines", name=labels["exact_floor"], hoverinfo="skip",
                         line=dict(color=EXACT_COLOUR, width=2, dash="dot")))
    layout = look.layout(height=height, margin=dict(l=10, r=10, t=40, b=10),
                         plot_bgcolor="white",
                         legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0),
                         xaxis=look.axis(labels["epoch"], showgrid=True, gridcolor="#eee"),
                         yaxis=look.axis(labels["loss"], type="log", showgrid=True,
                                         gridcolor="#eee",
                                         **_log_ticks(look, *map(_positive, curves.values()),
                                                      [exact_mse or np.nan])))
    return figure(data, layout)


def degree_figure(train_errors, test_errors, degree: int, labels: dict, look: Look = PLAIN,
                  height: int = 340):
    """Least-squares MSE against the polynomial degree: training falls, test rises (log scale)."""
    degrees = np.arange(1, len(train_errors) + 1)
    data = [dict(type="scatter", x=degrees, y=_positive(train_errors), name=labels["train"],
                 mode="lines+markers", line=dict(color=POINT_COLOUR, width=2.5),
                 marker=dict(symbol="circle", size=9))]
    test_errors = np.asarray(test_errors, dtype=float)
    if np.isfinite(test_errors).any():
        data.append(dict(type="scatter", x=degrees, y=_positive(test_errors),
                         name=labels["test"], mode="lines+markers",
                         line=dict(color=TEST_COLOUR, width=2.5, dash="dash"),
                         marker=dict(symbol="diamond-open", size=10, line=dict(width=2))))
    layout = look.layout(
        height=height, margin=dict(l=10, r=10, t=50 + 2 * (look.text - 13), b=10),
        plot_bgcolor="white", legend=dict(orientation="h", yanchor="bottom", y=1.08, x=0),
        xaxis=look.axis(labels["degree"], dtick=1, showgrid=True, gridcolor="#eee"),
        yaxis=look.axis(labels["mse"], type="log", showgrid=True, gridcolor="#eee",
                        exponentformat="power",
                        **_log_ticks(look, _positive(train_errors), _positive(test_errors))),
        shapes=[dict(type="line", xref="x", yref="paper", x0=degree, x1=degree, y0=0, y1=1,
                     line=dict(color="#444", width=1.5, dash="dot"))],
        annotations=[look.annotation(xref="x", yref="paper", x=degree, y=1,
                                     text=labels["current"], showarrow=False, yanchor="bottom")],
    )
    return figure(data, layout)
