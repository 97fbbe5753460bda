"""Plotly figures for the MNIST page: arrays and already-translated labels in, go.Figure out.

Images are drawn as on paper, dark ink on white (a pixel value of 255 is black), as in the
author's pictures. Weights and evidence use a diverging scale with zero in the middle (white):
blue for positive, red for negative, and every such figure says so in its hover text, so no
reading depends on colour alone.
"""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

INK = [[0.0, "#ffffff"], [1.0, "#000000"]]
DIVERGING = "RdBu"  # red (negative) – white (0) – blue (positive)
# Okabe–Ito and friends: ten colours told apart by most colour-blind readers, and each point
# also carries its digit as text.
CLASS_COLOURS = ("#000000", "#E69F00", "#56B4E9", "#009E73", "#C8B400", "#0072B2", "#D55E00",
                 "#CC79A7", "#7F7F7F", "#8C564B")
_BRAILLE_BITS = ((0, 0, 0x01), (1, 0, 0x02), (2, 0, 0x04), (0, 1, 0x08), (1, 1, 0x10),
                 (2, 1, 0x20), (3, 0, 0x40), (3, 1, 0x80))


def braille(image: np.ndarray, threshold: int = 80) -> str:
    """A 28×28 image as 7 lines of 14 braille characters (each 2×4 pixels), joined by <br>.

    Plotly's hover boxes show text only; braille dots keep the pixels square and the text short.
    """
    on = np.asarray(image).reshape(28, 28) > threshold
    codes = np.full((7, 14), 0x2800, dtype=np.int32)
    for dy, dx, bit in _BRAILLE_BITS:
        codes += on[dy::4, dx::2] * bit
    return "<br>".join("".join(map(chr, row)) for row in codes)


def _image_axes(fig, row=None, col=None):
    kwargs = {} if row is None else dict(row=row, col=col)
    fig.update_xaxes(showticklabels=False, showgrid=False, zeroline=False, constrain="domain",
                     **kwargs)
    fig.update_yaxes(showticklabels=False, showgrid=False, zeroline=False, autorange="reversed",
                     scaleanchor="x" if row is None else None, constrain="domain", **kwargs)


def digit_figure(image: np.ndarray, labels: dict, numbers: bool = False, height: int = 420,
                 zmax: float = 255.0):
    """One 28×28 image; numbers=True writes each pixel's value into its cell (slide 20)."""
    z = np.asarray(image, dtype=float).reshape(28, 28)
    heatmap = go.Heatmap(
        z=z, zmin=0, zmax=zmax, colorscale=INK, showscale=False, xgap=1 if numbers else 0,
        ygap=1 if numbers else 0,
        hovertemplate=labels["pixel_hover"] + "<extra></extra>",
    )
    if numbers:
        heatmap.update(texttemplate="%{z:.0f}" if zmax > 1 else "%{z:.2f}",
                       textfont=dict(size=8))
    fig = go.Figure(heatmap)
    fig.update_layout(height=height, margin=dict(l=4, r=4, t=30, b=4), plot_bgcolor="#dddddd",
                      title=dict(text=labels.get("title", ""), font=dict(size=14)))
    _image_axes(fig)
    fig.update_yaxes(scaleanchor="x")
    return fig


def projection_figure(coords: np.ndarray, digits: np.ndarray, hover: list[str], labels: dict,
                      height: int = 620, font_size: int = 11):
    """The PCA view: every image is its digit written at its place, coloured by class."""
    fig = go.Figure()
    digits = np.asarray(digits)
    for d in range(10):
        chosen = np.flatnonzero(digits == d)
        fig.add_trace(go.Scatter(
            x=coords[chosen, 0], y=coords[chosen, 1], mode="text", text=[str(d)] * len(chosen),
            textfont=dict(color=CLASS_COLOURS[d], size=font_size, family="monospace"),
            name=str(d), customdata=chosen, hovertext=[hover[i] for i in chosen],
            hovertemplate="%{hovertext}<extra>" + labels["digit"] + " %{fullData.name}</extra>",
        ))
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=30, b=10), plot_bgcolor="white",
                      legend=dict(title=labels["digit"], itemsizing="constant"),
                      hoverlabel=dict(font=dict(family="monospace", size=15), bgcolor="white"),
                      xaxis_title=labels["pc1"], yaxis_title=labels["pc2"])
    fig.update_xaxes(showgrid=True, gridcolor="#eee", zeroline=False)
    fig.update_yaxes(showgrid=True, gridcolor="#eee", zeroline=False)
    return fig


def _mosaic(images: np.ndarray, columns: int, gap: int, top: int):
    """Images (n, 28, 28) on a grid with `gap` pixels between, `top` free pixels above each."""
    rows = max(1, -(-len(images) // columns))
    cell_w, cell_h = 28 + gap, 28 + top + gap
    canvas = np.full((rows * cell_h, columns * cell_w), np.nan)
    origins = []
    for i, image in enumerate(images):
        r, c = divmod(i, columns)
        y0, x0 = r * cell_h + top, c * cell_w
        canvas[y0:y0 + 28, x0:x0 + 28] = image
        origins.append((y0, x0))
    return canvas, origins


def gallery_figure(images: np.ndarray, titles: list[str], columns: int = 6,
                   height: int | None = None, marks: list[bool] | None = None, headers=None):
    """Images with a title above each (e.g. "prediction / label"); marks False adds a ✗.

    headers: optional texts above column groups, e.g. ((0, "correct"), (3, "wrong")).
    """
    images = np.asarray(images, dtype=float).reshape(-1, 28, 28)
    gap, top = 6, 12
    canvas, origins = _mosaic(images, columns, gap, top)
    fig = go.Figure(go.Heatmap(z=canvas, zmin=0, zmax=255, colorscale=INK, showscale=False,
                               hoverinfo="skip"))
    for (y0, x0), title, mark in zip(origins, titles, marks or [True] * len(titles)):
        if not title:
            continue
        fig.add_annotation(x=x0 + 13.5, y=y0 - 1, text=title if mark else f"<b>{title} ✗</b>",
                           showarrow=False, yanchor="bottom",
                           font=dict(size=12, color="#000000" if mark else "#B2182B"))
    for column, text in headers or ():
        fig.add_annotation(x=column * (28 + gap) - gap / 2, y=-top - 10, text=f"<b>{text}</b>",
                           showarrow=False, xanchor="left", yanchor="bottom",
                           font=dict(size=13))
    rows = canvas.shape[0] // (28 + top + gap)
    fig.update_layout(height=height or 60 + rows * 80, margin=dict(l=4, r=4, t=40 if headers else 8,
                                                                 b=4),
                      plot_bgcolor="white")
    _image_axes(fig)
    fig.update_yaxes(range=[canvas.shape[0], -top - (14 if headers else 2)], autorange=False)
    return fig


def examples_figure(images: np.ndarray, labels: np.ndarray, predicted: np.ndarray,
                    chosen: dict, headers, height: int = 1100):
    """The author's picture: a row per predicted digit, three right then three wrong images,
    each titled "prediction / label"; chosen: {digit: (right indices, wrong indices)}."""
    cells, titles, marks = [], [], []
    blank = np.zeros(784, np.uint8)
    for digit in range(10):
        for group, right in zip(chosen[digit], (True, False)):
            for slot in range(3):
                if slot < len(group):
                    i = group[slot]
                    cells.append(images[i])
                    titles.append(f"{predicted[i]} / {labels[i]}")
                else:  # fewer than three: an empty place
                    cells.append(blank)
                    titles.append("")
                marks.append(right)
    return gallery_figure(np.array(cells), titles, columns=6, marks=marks, headers=headers,
                          height=height)


def confusion_figure(counts: np.ndarray, selected: tuple[int, int] | None, labels: dict,
                     height: int = 520):
    """counts[true, predicted] as a table of numbers with a shade; click a cell to choose it.

    The diagonal (right answers) would drown the mistakes in one colour scale, so the shade is
    the count's logarithm; the number in each cell is the count itself.
    """
    counts = np.asarray(counts)
    digits = list(range(10))
    shade = np.log1p(counts)
    fig = go.Figure(go.Heatmap(
        z=shade, x=digits, y=digits, customdata=counts, text=counts, texttemplate="%{text}",
        colorscale="Blues", showscale=False, xgap=1, ygap=1, hoverinfo="skip",
    ))
    # Invisible markers at the cell centres make the cells clickable (Streamlit selections).
    xs, ys = np.meshgrid(digits, digits)
    fig.add_trace(go.Scatter(
        x=xs.ravel(), y=ys.ravel(), mode="markers", customdata=counts.ravel(),
        marker=dict(size=28, color="rgba(0,0,0,0)", symbol="square"), showlegend=False,
        hovertemplate=labels["cell_hover"] + "<extra></extra>",
    ))
    if selected is not None:
        true, pred = selected
        fig.add_shape(type="rect", x0=pred - 0.5, x1=pred + 0.5, y0=true - 0.5, y1=true + 0.5,
                      line=dict(color="#D55E00", width=4))
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=30, b=10), plot_bgcolor="white",
                      xaxis=dict(title=labels["predicted"], tickvals=digits, side="top",
                                 constrain="domain"),
                      yaxis=dict(title=labels["true"], tickvals=digits, autorange="reversed",
                                 scaleanchor="x", constrain="domain"),
                      dragmode=False, clickmode="event+select")
    return fig


def templates_figure(images: np.ndarray, titles: list[str], labels: dict, height: int = 360,
                     columns: int = 5, colorbar_title: str = ""):
    """Images (n, 28, 28) of signed values on one diverging scale centred on zero."""
    images = np.asarray(images, dtype=float).reshape(-1, 28, 28)
    rows = -(-len(images) // columns)
    limit = float(np.abs(images).max()) or 1.0
    fig = make_subplots(rows=rows, cols=columns, subplot_titles=titles,
                        horizontal_spacing=0.02, vertical_spacing=0.08)
    for i, image in enumerate(images):
        r, c = divmod(i, columns)
        fig.add_trace(go.Heatmap(
            z=image, coloraxis="coloraxis", hovertemplate=labels["weight_hover"] + "<extra></extra>",
        ), row=r + 1, col=c + 1)
        _image_axes(fig, r + 1, c + 1)
        axis = "" if i == 0 else str(i + 1)
        fig.update_yaxes(scaleanchor=f"x{axis}", row=r + 1, col=c + 1)
    fig.update_layout(
        height=height, margin=dict(l=4, r=4, t=30, b=4), plot_bgcolor="white",
        coloraxis=dict(colorscale=DIVERGING, cmin=-limit, cmax=limit, cmid=0,
                       colorbar=dict(title=dict(text=colorbar_title, side="right"),
                                     thickness=12, len=0.9)),
    )
    return fig


def probability_figure(probabilities: np.ndarray, labels: dict, height: int = 320):
    """The ten probabilities as bars, each labelled with its percentage; the top one marked."""
    p = np.asarray(probabilities, dtype=float)
    best = int(np.argmax(p))
    colours = ["#0072B2" if d == best else "#9ecae1" for d in range(10)]
    text = [f"{v:.1%}" + (" ★" if d == best else "") for d, v in enumerate(p)]
    fig = go.Figure(go.Bar(x=list(range(10)), y=p, marker_color=colours, text=text,
                           textposition="outside", cliponaxis=False,
                           hovertemplate=labels["probability_hover"] + "<extra></extra>"))
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=30, b=10), plot_bgcolor="white",
                      xaxis=dict(title=labels["digit"], tickvals=list(range(10))),
                      yaxis=dict(title=labels["probability"], range=[0, 1.15], tickformat=".0%"))
    fig.update_yaxes(showgrid=True, gridcolor="#eee")
    return fig
