"""Every figure builder of the regression and sigmoid pages gives a figure plotly accepts.

The builders write plain dicts (lib/figures/base.py) and skip plotly's validation at run time;
here every one of them is validated against plotly's schema.
"""
import numpy as np
import pytest

from lib.figures import logistic as charts
from lib.figures import regression as charts_regression
from lib.figures import sigmoid as charts_sigmoid
from lib.core import datasets
from lib.figures import base as figures
from lib.core import regression
from lib.core import sigmoid

LABELS = {name: name for name in (
    "x", "y", "data", "line", "residual", "exact", "fitted", "train", "test", "prediction",
    "play", "pause", "epoch", "loss", "exact_floor", "degree", "mse", "current", "circle",
    "cross", "floor_line", "sigmoid", "derivative", "step", "tanh", "point")}
LABELS["frame_title"] = "Epoch {epoch}: {mse:.3g}"


class _FakeRun:
    """What the figure builders need of a run, without training."""

    def __init__(self):
        data = regression.generated(20, 3.0, 10.0, 3.0, 1)
        self.train, self.test = regression.split(data, 0.3, 1)
        self.exact = regression.least_squares(self.train.x, self.train.y, 3)
        self.weights = np.linspace(0, 1, 51)[:, None] * self.exact.coef[None, :]


@pytest.fixture(scope="module")
def fake():
    return _FakeRun()


def _valid(fig):
    figures.validate(fig)  # raises ValueError on any misspelt or misplaced property
    return fig.spec


def test_hand_figure_draws_one_residual_per_point():
    data = regression.generated(7, 3.0, 10.0, 3.0, 1)
    spec = _valid(charts_regression.hand_figure(data.x, data.y, 2.0, 5.0, (0, 11), (0, 40),
                                                LABELS, exact=(3.0, 10.0)))
    residuals = spec["data"][0]
    assert np.isnan(residuals["x"]).sum() == 7  # a gap after each segment
    ends = residuals["y"].reshape(7, 3)[:, :2]
    assert np.allclose(ends[:, 0], data.y) and np.allclose(ends[:, 1], 2.0 * data.x + 5.0)
    assert [t["name"] for t in spec["data"]] == ["residual", "exact", "line", "data"]


def test_fit_figure_animation_and_loss(fake):
    grid = np.linspace(0, 11, 150)
    spec = _valid(charts_regression.fit_figure(fake.train, fake.test, grid, fake.exact(grid),
                                               fake.exact(grid), (0, 11), (0, 40), LABELS,
                                               prediction=(12.0, 40.0)))
    assert [t.get("name") for t in spec["data"]][:4] == ["exact", "fitted", "train", "test"]
    assert spec["data"][-1]["marker"]["symbol"] == "star"
    epochs = charts.snapshot_epochs(50)
    curves = regression.evaluate_many(fake.weights[epochs], grid, fake.exact.scaling)
    spec = _valid(charts_regression.fit_animation(fake.train, fake.test, grid, curves, epochs,
                                                  np.ones(len(epochs)), fake.exact(grid),
                                                  (0, 11), (0, 40), LABELS))
    assert len(spec["frames"]) == len(epochs) and spec["frames"][0]["traces"] == [1]
    assert spec["layout"]["updatemenus"][0]["buttons"][0]["method"] == "animate"
    spec = _valid(charts_regression.loss_figure(np.arange(51), {"train": np.linspace(9, 0, 51),
                                                                "test": np.ones(51)},
                                                LABELS, exact_mse=0.0))
    assert spec["data"][0]["y"].min() > 0  # a zero on a log axis is drawn at a tiny floor
    spec = _valid(charts_regression.degree_figure(np.arange(9, 0, -1), np.arange(1, 10), 4,
                                                  LABELS))
    assert spec["layout"]["shapes"][0]["x0"] == 4


def test_sigmoid_figures():
    a, functions = sigmoid.curves()
    for shown in ({}, {"derivative": True, "step": True, "tanh": True}):
        spec = _valid(charts_sigmoid.sigmoid_figure(a, functions, 1.5, shown, LABELS))
        assert len(spec["data"]) == 3 + len(shown)
    points = datasets.textbook_points()
    w = (-6.0, 0.2, 0.2)
    x_range, y_range = points.extent()
    xs, ys, p = sigmoid.probability_surface(w, x_range, y_range)
    heights = sigmoid.point_probabilities(w, points.x)
    spec = _valid(charts_sigmoid.surface_figure(w, xs, ys, p, points.x, points.t, heights,
                                                x_range, y_range, LABELS))
    circles = spec["data"][2]
    assert circles["marker"]["symbol"] == "circle-open" and len(circles["z"]) == 15
    assert np.allclose(circles["z"], heights[points.t == 1])
    floor = spec["data"][1]
    assert floor["z"] == [0, 0]
    spec = _valid(charts_sigmoid.contour_figure(w, xs, ys, p, points.x, points.t, x_range,
                                                y_range, LABELS))
    assert spec["data"][0]["type"] == "contour"
    # No line at all when w1 = w2 = 0: the figures still build.
    _valid(charts_sigmoid.surface_figure((1.0, 0.0, 0.0), xs, ys, p, points.x, points.t,
                                         heights, x_range, y_range, LABELS))


def test_plain_figure_sends_arrays_as_typed_arrays_and_leaves_its_spec_alone():
    fig = figures.figure([dict(type="scatter", x=np.arange(3.0), y=[1, 2, 3])], {"height": 300})
    sent = fig.to_dict()
    assert sent["data"][0]["x"]["dtype"] == "f8" and "bdata" in sent["data"][0]["x"]
    assert isinstance(fig.spec["data"][0]["x"], np.ndarray)
    assert "frames" not in sent


def test_typed_arrays_decode_to_the_same_numbers():
    import base64

    z = np.arange(6.0).reshape(2, 3)
    fig = figures.figure([dict(type="heatmap", z=z, x=np.arange(3), text=np.array(["a", "b"]),
                               zmax=np.float64(5.0))], {})
    trace = fig.to_dict()["data"][0]
    assert trace["z"]["shape"] == "2, 3"
    assert np.array_equal(np.frombuffer(base64.b64decode(trace["z"]["bdata"])).reshape(2, 3), z)
    assert np.array_equal(np.frombuffer(base64.b64decode(trace["x"]["bdata"])), [0, 1, 2])
    assert trace["text"] == ["a", "b"] and trace["zmax"] == 5.0 and type(trace["zmax"]) is float


def test_float32_grids_travel_as_float32():
    import base64

    z = np.linspace(0, 1, 6, dtype=np.float32).reshape(2, 3)
    sent = figures.figure([dict(type="heatmap", z=z)], {}).to_dict()["data"][0]["z"]
    assert sent["dtype"] == "f4"
    decoded = np.frombuffer(base64.b64decode(sent["bdata"]), dtype="<f4").reshape(2, 3)
    assert np.array_equal(decoded, z)
    assert figures.validate(figures.figure([dict(type="heatmap", z=z)], {}))


def test_uint8_pictures_travel_as_uint8():
    import base64

    z = np.arange(6, dtype=np.uint8).reshape(2, 3) * 50
    sent = figures.figure([dict(type="heatmap", z=z)], {}).to_dict()["data"][0]["z"]
    assert sent["dtype"] == "u1" and sent["shape"] == "2, 3"
    assert np.array_equal(np.frombuffer(base64.b64decode(sent["bdata"]), np.uint8).reshape(2, 3), z)
    assert figures.validate(figures.figure([dict(type="heatmap", z=z)], {}))
