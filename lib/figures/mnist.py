"""Plotly figures for the MNIST page: arrays and already-translated labels in, figures out.

Figures are plain dicts (lib/figures/base.py), validated in the tests rather than on every rerun:
the examples picture alone has sixty titles, and plotly's graph objects re-validate every
annotation each time one is added. Pictures travel as uint8 (the data's own bytes), other
pixel grids as float32.

Images are drawn as on paper, dark ink on white (a pixel value of 255 is black), as in the
author's pictures. Weights and evidence use a diverging scale with zero in the middle (white):
blue for positive, red for negative, and every such figure says so in its hover text, so no
reading depends on colour alone.
"""
from __future__ import annotations

import numpy as np

from lib.figures.base import PLAIN, Look, figure

INK = [[0.0, "#ffffff"], [1.0, "#000000"]]


def _scale(colours: tuple) -> list:
    return [[i / (len(colours) - 1), colour] for i, colour in enumerate(colours)]


# Plotly's "Blues" and "RdBu" as plotly.py spells them out (plotly.js's own scales of these
# names differ): red (negative) – white (0) – blue (positive) for weights.
BLUES = _scale(("rgb(247,251,255)", "rgb(222,235,247)", "rgb(198,219,239)", "rgb(158,202,225)",
                "rgb(107,174,214)", "rgb(66,146,198)", "rgb(33,113,181)", "rgb(8,81,156)",
                "rgb(8,48,107)"))
DIVERGING = _scale(("rgb(103,0,31)", "rgb(178,24,43)", "rgb(214,96,77)", "rgb(244,165,130)",
                    "rgb(253,219,199)", "rgb(247,247,247)", "rgb(209,229,240)",
                    "rgb(146,197,222)", "rgb(67,147,195)", "rgb(33,102,172)", "rgb(5,48,97)"))
# Okabe–Ito and friends: ten colours told apart by most colour-blind readers, and each point
# also carries its digit as text.
CLASS_COLOURS = ("#000000", "#E69F00", "#56B4E9", "#009E73", "#C8B400", "#0072B2", "#D55E00",
                 "#CC79A7", "#7F7F7F", "#8C564B")
DIGITS = list(range(10))
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


def _image_axes(y_anchor: str | None = "x") -> tuple[dict, dict]:
    """An x and a y axis for a picture: no ticks or grid, rows downwards, square pixels."""
    x = dict(showticklabels=False, showgrid=False, zeroline=False, constrain="domain")
    y = dict(showticklabels=False, showgrid=False, zeroline=False, autorange="reversed",
             constrain="domain")
    if y_anchor:
        y["scaleanchor"] = y_anchor
    return x, y


def digit_figure(image: np.ndarray, labels: dict, numbers: bool = False, height: int = 420,
                 zmax: float = 255.0, look: Look = PLAIN):
    """One 28×28 image; numbers=True writes each pixel's value into its cell (slides 31–32).

    The numbers fill their cells (about a third of a cell's height each): 784 of them cannot
    be read from the back of a room, only their pattern; hovering reads any one of them.
    """
    z = np.asarray(image)
    z = (z if z.dtype == np.uint8 else z.astype(np.float32)).reshape(28, 28)
    heatmap = dict(type="heatmap", z=z, zmin=0, zmax=zmax, colorscale=INK, showscale=False,
                   xgap=1 if numbers else 0, ygap=1 if numbers else 0,
                   hovertemplate=labels["pixel_hover"] + "<extra></extra>")
    if numbers:
        heatmap.update(texttemplate="%{z:.0f}" if zmax > 1 else "%{z:.2f}",
                       textfont=dict(size=max(8, round(height / 28 * 0.36))))
    xaxis, yaxis = _image_axes()
    return figure([heatmap], look.layout(height=height,
                                         margin=dict(l=4, r=4, t=10 + 2 * look.heading, b=4),
                                         plot_bgcolor="#dddddd",
                                         title=look.title(labels.get("title", "")),
                                         xaxis=xaxis, yaxis=yaxis))


def projection_traces(coords: np.ndarray, digits: np.ndarray, hover: list[str]) -> list[dict]:
    """Per digit, the parts of the projection figure that depend on the data alone.

    Made once per data set (they hold every point's hover picture) and shared: read only.
    The texts are numpy arrays of str, which go out in one tolist() instead of a Python walk
    over every string on every rerun.
    """
    digits = np.asarray(digits)
    parts = []
    for d in range(10):
        chosen = np.flatnonzero(digits == d)
        parts.append(dict(x=coords[chosen, 0], y=coords[chosen, 1],
                          text=np.array([str(d)] * len(chosen), dtype=object), customdata=chosen,
                          hovertext=np.array([hover[i] for i in chosen], dtype=object)))
    return parts


def projection_figure(parts: list[dict], labels: dict, look: Look = PLAIN):
    """The PCA view: every image is its digit written at its place, coloured by class.

    parts: projection_traces(coords, digits, hover), made once per data set.
    """
    hovertemplate = "%{hovertext}<extra>" + labels["digit"] + " %{fullData.name}</extra>"
    data = [dict(type="scatter", mode="text", name=str(d), hovertemplate=hovertemplate,
                 textfont=dict(color=CLASS_COLOURS[d], size=look.tick if look.lecture else 11,
                               family="monospace"),
                 **part)
            for d, part in enumerate(parts)]
    grid = dict(showgrid=True, gridcolor="#eee", zeroline=False)
    return figure(data, look.layout(
        height=look.height + 100, margin=dict(l=10, r=10, t=30, b=10), plot_bgcolor="white",
        legend=dict(title=dict(text=labels["digit"]), itemsizing="constant"),
        hoverlabel=dict(font=dict(family="monospace", size=max(15, look.text)), bgcolor="white"),
        xaxis=look.axis(labels["pc1"], **grid),
        yaxis=look.axis(labels["pc2"], **grid)))


def _mosaic(images: np.ndarray, columns: int, gap: int, top: int):
    """Images (n, 28, 28) on a grid with `gap` pixels between, `top` free pixels above each.

    The free pixels are 0, white as the paper around them: uint8 pictures stay uint8 (a byte a
    pixel on the wire), others become float32.
    """
    rows = max(1, -(-len(images) // columns))
    cell_w, cell_h = 28 + gap, 28 + top + gap
    dtype = np.uint8 if images.dtype == np.uint8 else np.float32
    canvas = np.zeros((rows * cell_h, columns * cell_w), dtype=dtype)
    origins = []
    for i, image in enumerate(images):
        r, c = divmod(i, columns)
        y0, x0 = r * cell_h + top, c * cell_w
        canvas[y0:y0 + 28, x0:x0 + 28] = image
        origins.append((y0, x0))
    return canvas, origins


def gallery_figure(images: np.ndarray, titles: list[str], columns: int = 6,
                   height: int | None = None, marks: list[bool] | None = None, headers=None,
                   look: Look = PLAIN):
    """Images with a title above each (e.g. "prediction / label"); marks False adds a ✗.

    headers: optional texts above column groups, e.g. ((0, "correct"), (3, "wrong")).
    Titles are lettered at look.label; the room above each image grows with them.
    """
    images = np.asarray(images).reshape(-1, 28, 28)
    gap, top = 6, (12 if not look.lecture else 16)
    canvas, origins = _mosaic(images, columns, gap, top)
    annotations = []
    for (y0, x0), title, mark in zip(origins, titles, marks or [True] * len(titles)):
        if not title:
            continue
        annotations.append(look.annotation(
            look.label, x=x0 + 13.5, y=y0 - 1, text=title if mark else f"<b>{title} ✗</b>",
            showarrow=False, yanchor="bottom", font=dict(color="#000000" if mark else "#B2182B")))
    for column, text in headers or ():
        annotations.append(look.annotation(
            look.label + 1, x=column * (28 + gap) - gap / 2, y=-top - 10, text=f"<b>{text}</b>",
            showarrow=False, xanchor="left", yanchor="bottom"))
    rows = canvas.shape[0] // (28 + top + gap)
    xaxis, yaxis = _image_axes()
    yaxis.update(range=[canvas.shape[0], -top - (14 if headers else 2)], autorange=False)
    layout = look.layout(height=height or 60 + rows * (80 if not look.lecture else 110),
                         margin=dict(l=4, r=4, t=(40 if headers else 8) + look.label - 12, b=4),
                         plot_bgcolor="white", xaxis=xaxis, yaxis=yaxis)
    if annotations:
        layout["annotations"] = annotations
    return figure([dict(type="heatmap", z=canvas, zmin=0, zmax=255, colorscale=INK,
                        showscale=False, hoverinfo="skip")], layout)


def examples_figure(images: np.ndarray, labels: np.ndarray, predicted: np.ndarray,
                    chosen: dict, headers, look: Look = PLAIN):
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
                          height=1100 if not look.lecture else 1400, look=look)


def confusion_figure(counts: np.ndarray, selected: tuple[int, int] | None, labels: dict,
                     look: Look = PLAIN):
    """counts[true, predicted] as a table of numbers with a shade; click a cell to choose it.

    The diagonal (right answers) would drown the mistakes in one colour scale, so the shade is
    the count's logarithm; the number in each cell is the count itself.
    """
    counts = np.asarray(counts)
    # Invisible markers at the cell centres make the cells clickable (Streamlit selections).
    xs, ys = np.meshgrid(DIGITS, DIGITS)
    data = [dict(type="heatmap", z=np.log1p(counts), x=DIGITS, y=DIGITS, customdata=counts,
                 text=counts, texttemplate="%{text}", textfont=look.font(), colorscale=BLUES,
                 showscale=False, xgap=1,
                 ygap=1, hoverinfo="skip"),
            dict(type="scatter", x=xs.ravel(), y=ys.ravel(), mode="markers",
                 customdata=counts.ravel(),
                 marker=dict(size=28, color="rgba(0,0,0,0)", symbol="square"), showlegend=False,
                 hovertemplate=labels["cell_hover"] + "<extra></extra>")]
    layout = look.layout(height=look.height, margin=dict(l=10, r=10, t=30, b=10),
                         plot_bgcolor="white",
                         xaxis=look.axis(labels["predicted"], tickvals=DIGITS, side="top",
                                         constrain="domain"),
                         yaxis=look.axis(labels["true"], tickvals=DIGITS, autorange="reversed",
                                         scaleanchor="x", constrain="domain"),
                         dragmode=False, clickmode="event+select")
    if selected is not None:
        true, pred = selected
        layout["shapes"] = [dict(type="rect", x0=pred - 0.5, x1=pred + 0.5, y0=true - 0.5,
                                 y1=true + 0.5, line=dict(color="#D55E00", width=4))]
    return figure(data, layout)


def _domains(n: int, spacing: float) -> list[list[float]]:
    """n equal parts of [0, 1] with `spacing` between them, computed as make_subplots does (to
    the last bit: a domain that differs by 1e-16 can move a subplot by a pixel)."""
    size = (1.0 - spacing * (n - 1)) / n
    return [[sum([size] * i) + i * spacing, sum([size] * i) + i * spacing + size]
            for i in range(n)]


def _clamped(domain: list[float]) -> list[float]:
    return [max(0.0, domain[0]), min(1.0, domain[1])]


def templates_figure(images: np.ndarray, titles: list[str], labels: dict, height: int = 360,
                     columns: int = 5, colorbar_title: str = "", look: Look = PLAIN):
    """Images (n, 28, 28) of signed values on one diverging scale centred on zero.

    Laid out as make_subplots(rows, columns, subplot_titles=titles) would: subplot i (from 1,
    row by row from the top) uses axes x{i}/y{i}, each title sits above its subplot.
    """
    images = np.asarray(images, dtype=np.float32).reshape(-1, 28, 28)
    rows = -(-len(images) // columns)
    limit = float(np.abs(images).max()) or 1.0
    x_domains = _domains(columns, 0.02)
    y_domains = _domains(rows, 0.08)[::-1]  # the first row on top
    hovertemplate = labels["weight_hover"] + "<extra></extra>"
    data, annotations = [], []
    layout = look.layout(height=height, margin=dict(l=4, r=4, t=14 + look.heading, b=4),
                         plot_bgcolor="white",
                         coloraxis=dict(colorscale=DIVERGING, cmin=-limit, cmax=limit, cmid=0,
                                        colorbar=look.colorbar(colorbar_title, thickness=12,
                                                               len=0.9)))
    for i in range(rows * columns):
        r, c = divmod(i, columns)
        n = "" if i == 0 else str(i + 1)
        xaxis, yaxis = _image_axes(f"x{n}")
        layout[f"xaxis{n}"] = dict(xaxis, anchor=f"y{n}", domain=_clamped(x_domains[c]))
        layout[f"yaxis{n}"] = dict(yaxis, anchor=f"x{n}", domain=_clamped(y_domains[r]))
        if i < len(images):
            data.append(dict(type="heatmap", z=images[i], coloraxis="coloraxis",
                             hovertemplate=hovertemplate, xaxis=f"x{n}", yaxis=f"y{n}"))
        if i < len(titles):
            annotations.append(look.annotation(
                look.heading + 1, text=titles[i], x=sum(x_domains[c]) / 2,
                y=_clamped(y_domains[r])[1], xref="paper", yref="paper", xanchor="center",
                yanchor="bottom", showarrow=False))
    layout["annotations"] = annotations
    return figure(data, layout)


def probability_figure(probabilities: np.ndarray, labels: dict, look: Look = PLAIN,
                       height: int = 320):
    """The ten probabilities as bars, each labelled with its percentage; the top one marked."""
    p = np.asarray(probabilities, dtype=float)
    best = int(np.argmax(p))
    colours = ["#0072B2" if d == best else "#9ecae1" for d in DIGITS]
    text = [f"{v:.1%}" + (" ★" if d == best else "") for d, v in enumerate(p)]
    return figure(
        [dict(type="bar", x=DIGITS, y=p, marker=dict(color=colours), text=text,
              textposition="outside", cliponaxis=False, textfont=look.font(),
              hovertemplate=labels["probability_hover"] + "<extra></extra>")],
        look.layout(height=height, margin=dict(l=10, r=10, t=30, b=10), plot_bgcolor="white",
                    xaxis=look.axis(labels["digit"], tickvals=DIGITS),
                    yaxis=look.axis(labels["probability"], range=[0, 1.15], tickformat=".0%",
                                    showgrid=True, gridcolor="#eee")))
