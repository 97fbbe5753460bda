"""Figures of the home page: AI ⊃ ML ⊃ DL, and the three kinds of learning."""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lib import kinds
from lib.charts import CIRCLE_COLOUR, CROSS_COLOUR

# Okabe–Ito colours and distinct shapes for up to four clusters: never colour alone.
CLUSTER_STYLES = (("circle-open", "#0072B2"), ("x-thin-open", "#D55E00"),
                  ("triangle-up-open", "#009E73"), ("square-open", "#CC79A7"))


def nested_fields(labels: dict, height: int = 300):
    """AI contains machine learning, which contains deep learning (slide 1)."""
    fig = go.Figure()
    boxes = (("ai", 0, 0, 12, 6, "#F0E442"), ("ml", 0.6, 0.4, 11.6, 4.2, "#56B4E9"),
             ("dl", 5.4, 0.8, 11.2, 2.9, "#009E73"))
    for name, x0, y0, x1, y1, colour in boxes:
        fig.add_shape(type="rect", x0=x0, y0=y0, x1=x1, y1=y1, line=dict(color="#333", width=2),
                      fillcolor=colour, opacity=0.35, layer="below")
    for name, x, y in (("ai", 0.3, 5.8), ("ml", 0.9, 4.0), ("dl", 5.7, 2.7)):
        fig.add_annotation(x=x, y=y, text=labels[name], showarrow=False, xanchor="left",
                           yanchor="top", align="left", font=dict(size=14))
    fig.update_xaxes(visible=False, range=[-0.2, 12.2])
    fig.update_yaxes(visible=False, range=[-0.2, 6.2])
    fig.update_layout(height=height, margin=dict(l=0, r=0, t=0, b=0), plot_bgcolor="white")
    return fig


def supervised_figure(spend, sales, beats, target, labels: dict, height: int = 380):
    """The same points two ways: a class to predict (left) and a number to predict (right)."""
    slope, intercept = kinds.least_squares_line(spend, sales)
    fig = make_subplots(rows=1, cols=2, subplot_titles=(labels["classification"],
                                                        labels["regression"]),
                        horizontal_spacing=0.1)
    for value, symbol, colour, name in ((1, "circle-open", CIRCLE_COLOUR, labels["above"]),
                                        (0, "x-thin-open", CROSS_COLOUR, labels["below"])):
        chosen = beats == value
        fig.add_trace(go.Scatter(x=spend[chosen], y=np.zeros(chosen.sum()), mode="markers",
                                 name=name, marker=dict(symbol=symbol, size=11, color=colour,
                                                        line=dict(width=2))), row=1, col=1)
    border = (target - intercept) / slope  # spend at which predicted sales reach the target
    fig.add_vline(x=border, line=dict(color="#000", width=2, dash="dash"), row=1, col=1)
    fig.add_trace(go.Scatter(x=spend, y=sales, mode="markers", name=labels["sales"],
                             marker=dict(symbol="circle", size=8, color="#555")), row=1, col=2)
    xs = np.array([spend.min(), spend.max()])
    fig.add_trace(go.Scatter(x=xs, y=slope * xs + intercept, mode="lines",
                             name=labels["fitted"], line=dict(color="#000", width=3)),
                  row=1, col=2)
    fig.update_yaxes(visible=False, range=[-1, 1], row=1, col=1)
    fig.update_xaxes(title_text=labels["spend"])
    fig.update_yaxes(title_text=labels["sales"], row=1, col=2)
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=40, b=10), plot_bgcolor="white",
                      legend=dict(orientation="h", yanchor="top", y=-0.2, x=0))
    return fig


def kmeans_figure(points, centres, assignment, labels: dict, height: int = 420):
    """Points drawn by their current cluster (shape and colour), centres as large stars."""
    fig = go.Figure()
    for j, centre in enumerate(centres):
        symbol, colour = CLUSTER_STYLES[j % len(CLUSTER_STYLES)]
        chosen = assignment == j
        name = labels["cluster"].format(number=j + 1)
        fig.add_trace(go.Scatter(x=points[chosen, 0], y=points[chosen, 1], mode="markers",
                                 name=name, marker=dict(symbol=symbol, size=10, color=colour,
                                                        line=dict(width=2))))
        fig.add_trace(go.Scatter(x=[centre[0]], y=[centre[1]], mode="markers",
                                 name=labels["centre"], showlegend=j == 0,
                                 marker=dict(symbol="star", size=22, color=colour,
                                             line=dict(color="#000", width=1.5))))
    fig.update_xaxes(range=[-1, 12], showgrid=False)
    fig.update_yaxes(range=[-1, 12], scaleanchor="x", showgrid=False)
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=10, b=10), plot_bgcolor="white",
                      legend=dict(orientation="h", yanchor="top", y=-0.05, x=0))
    return fig


def grid_figure(grid: kinds.Grid, q, path, labels: dict, height: int = 380):
    """The grid world: each cell's best action as an arrow, its value as shade, the agent's path."""
    value = q.max(axis=2)
    text = [["" for _ in range(grid.cols)] for _ in range(grid.rows)]
    for r in range(grid.rows):
        for c in range(grid.cols):
            cell = (r, c)
            if cell == grid.goal:
                text[r][c] = labels["goal"]
            elif cell in grid.pits:
                text[r][c] = labels["pit"]
            elif cell in grid.walls:
                text[r][c] = "■"
            else:
                arrow = kinds.ARROWS[int(np.argmax(q[r, c]))] if np.any(q[r, c]) else "·"
                text[r][c] = (labels["start"] + " " if cell == grid.start else "") + arrow
    shade = np.where(np.isin(np.arange(grid.rows * grid.cols).reshape(grid.rows, grid.cols),
                             [r * grid.cols + c for r, c in grid.walls]), np.nan, value)
    fig = go.Figure(go.Heatmap(z=shade, text=text, texttemplate="%{text}",
                               textfont=dict(size=20), colorscale="Greys", showscale=False,
                               hovertemplate=labels["value"] + " %{z:.1f}<extra></extra>"))
    rows = [int(r) for r, _ in path]
    cols = [int(c) for _, c in path]
    fig.add_trace(go.Scatter(x=cols, y=rows, mode="lines+markers", name=labels["path"],
                             line=dict(color="#D55E00", width=4),
                             marker=dict(size=9, color="#D55E00")))
    fig.update_yaxes(autorange="reversed", visible=False, scaleanchor="x")
    fig.update_xaxes(visible=False)
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=10, b=10), plot_bgcolor="white",
                      showlegend=True, legend=dict(orientation="h", yanchor="top", y=-0.02, x=0))
    return fig
