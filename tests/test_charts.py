"""The logistic page's figure builders (lib/figures/logistic.py) give figures plotly accepts.

The builders write plain dicts (lib/figures/base.py) and skip plotly's validation at run time; here
every one of them is validated against plotly's schema.
"""
import warnings

import numpy as np
import pytest

from lib.figures import logistic as charts
from lib.core import datasets
from lib.figures import base as figures
from lib.core import maths

LABELS = {name: name for name in (
    "x", "y", "circle", "cross", "line", "play", "pause", "epoch", "loss", "accuracy", "train",
    "test")}
LABELS["frame_title"] = "Epoch {epoch}: w0 = {w0:.2f}, w1 = {w1:.3f}, w2 = {w2:.3f}"


@pytest.fixture(scope="module")
def points():
    return datasets.textbook_points()


def _valid(fig):
    figures.validate(fig)  # raises ValueError on any misspelt or misplaced property
    return fig.spec


def test_boundary_figure(points):
    x_range, y_range = points.extent()
    spec = _valid(charts.boundary_figure(points.x, points.t, (-6.0, 0.2, 0.2), x_range, y_range,
                                         LABELS))
    shade, line, circles, crosses = spec["data"]
    assert shade["type"] == "heatmap" and shade["z"].dtype == np.float32
    assert shade["z"].shape == (charts.GRID_SIZE, charts.GRID_SIZE)
    expected = maths.probability_grid(-6.0, 0.2, 0.2, shade["x"], shade["y"])
    assert np.allclose(shade["z"], expected, atol=1e-6)
    assert shade["colorscale"] == charts.GREY_SCALE and (shade["zmin"], shade["zmax"]) == (0, 1)
    # The line f = 0 runs from edge to edge: w0 + w1·x + w2·y = 0 at both ends.
    assert np.allclose(-6.0 + 0.2 * np.array(line["x"]) + 0.2 * np.array(line["y"]), 0)
    assert circles["marker"]["symbol"] == "circle-open" and len(circles["x"]) == (points.t == 1).sum()
    assert crosses["marker"]["symbol"] == "x-thin-open" and len(crosses["x"]) == (points.t == 0).sum()
    assert circles["marker"]["color"] == charts.CIRCLE_COLOUR
    assert spec["layout"]["yaxis"]["scaleanchor"] == "x"
    assert spec["layout"]["xaxis"]["range"] == [float(v) for v in x_range]
    # No line at all when w1 = w2 = 0: the figure still builds.
    lecture = figures.Look.of("ja", lecture=True)
    spec = _valid(charts.boundary_figure(points.x, points.t, (1.0, 0.0, 0.0), x_range, y_range,
                                         LABELS, lecture))
    assert spec["data"][1]["x"] == [None, None]
    assert spec["layout"]["height"] == lecture.height
    assert spec["data"][2]["marker"]["size"] == lecture.marker


def test_training_animation(points):
    x_range, y_range = points.extent()
    epochs = charts.snapshot_epochs(500)
    weights = np.linspace(0, 1, 501)[:, None] * np.array([-3.5, 0.07, 0.16])[None, :]
    spec = _valid(charts.training_animation(points.x, points.t, weights[epochs], epochs,
                                            x_range, y_range, LABELS))
    frames = spec["frames"]
    assert len(frames) == len(epochs) and [f["name"] for f in frames] == [str(e) for e in epochs]
    assert all(f["traces"] == [0, 1] for f in frames)
    size = charts.FRAME_GRID_SIZE
    for frame, epoch, w in zip(frames, epochs, weights[epochs]):
        z = frame["data"][0]["z"]
        assert z.dtype == np.float32 and z.shape == (size, size)
        assert frame["layout"]["title"]["text"] == LABELS["frame_title"].format(
            epoch=epoch, w0=w[0], w1=w[1], w2=w[2])
    # Each frame's shade is σ(f) of its own epoch, on the figure's own grid (a frame replaces
    # z only: the grid must fit it).
    shade = spec["data"][0]
    assert len(shade["x"]) == len(shade["y"]) == size
    for i in (0, len(epochs) // 2, -1):
        expected = maths.probability_grid(*weights[epochs[i]], shade["x"], shade["y"])
        assert np.allclose(frames[i]["data"][0]["z"], expected, atol=1e-6)
    assert np.array_equal(shade["z"], frames[-1]["data"][0]["z"])
    layout = spec["layout"]
    assert layout["title"]["text"] == frames[-1]["layout"]["title"]["text"]
    assert [b["method"] for b in layout["updatemenus"][0]["buttons"]] == ["animate", "animate"]
    assert layout["sliders"][0]["active"] == len(epochs) - 1
    assert [s["label"] for s in layout["sliders"][0]["steps"]] == [str(e) for e in epochs]
    assert layout["height"] == figures.PLAIN.height + 80


def test_probability_grids_match_the_reference_and_survive_divergence():
    xs, ys = np.linspace(-2, 30, 7), np.linspace(0, 30, 5)
    weights = np.array([[-6.0, 0.2, 0.2], [800.0, -50.0, 3.0], [0.0, 0.0, 0.0],
                        [1e300, 1e300, -1e300], [np.nan, 0.0, 0.0], [np.inf, 1.0, 1.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        grids = charts.probability_grids(weights, xs, ys)
    assert grids.shape == (6, 5, 7) and grids.dtype == np.float32
    for w, grid in zip(weights[:3], grids):
        assert np.allclose(grid, maths.probability_grid(*w, xs, ys), atol=1e-6)
    assert np.isnan(grids[4]).all() and (grids[5] == 1).all()
    # A huge row keeps its line: σ is 1 on one side of x − y = −1 and 0 on the other.
    gx, gy = np.meshgrid(xs, ys)
    assert np.array_equal(grids[3][gx - gy > -1 + 1e-6], np.ones((gx - gy > -1 + 1e-6).sum()))
    assert not grids[3][gx - gy < -1 - 1e-6].any()
    assert charts.probability_grids((-6.0, 0.2, 0.2), xs, ys).shape == (1, 5, 7)


def test_curves_figure():
    shown = charts.thin(5001)
    curves = {"train": (np.linspace(1, 0.2, len(shown)), np.linspace(0.5, 0.9, len(shown))),
              "test": (np.linspace(1, 0.3, len(shown)), np.linspace(0.5, 0.8, len(shown)))}
    spec = _valid(charts.curves_figure(shown, curves, LABELS))
    assert [(t["name"], t["xaxis"], t.get("showlegend", True)) for t in spec["data"]] == [
        ("train", "x", True), ("train", "x2", False), ("test", "x", True), ("test", "x2", False)]
    assert spec["data"][2]["line"] == {"color": charts.CROSS_COLOUR, "dash": "dash"}
    layout = spec["layout"]
    assert layout["yaxis2"]["tickformat"] == ".0%" and layout["yaxis"]["rangemode"] == "tozero"
    assert [a["text"] for a in layout["annotations"]] == ["loss", "accuracy"]
    # Names other than train/test (MNIST's curves) get plotly's default colours.
    spec = _valid(charts.curves_figure([1, 2, 3], {"val": ([3, 2, 1], [0.1, 0.5, 0.9])},
                                       {**LABELS, "val": "validation"}, height=300))
    assert spec["data"][0]["name"] == "validation" and spec["layout"]["height"] == 300


def test_snapshot_epochs_and_thin():
    assert list(charts.snapshot_epochs(3)) == [0, 1, 2, 3]
    epochs = charts.snapshot_epochs(5000)
    assert epochs[0] == 0 and epochs[-1] == 5000 and len(epochs) <= 82
    assert np.all(np.diff(epochs) > 0)
    assert list(charts.thin(4)) == [0, 1, 2, 3]
    shown = charts.thin(5001)
    assert len(shown) <= 1001 and shown[-1] == 5000
