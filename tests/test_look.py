"""The Look: every figure builder letters every piece of its figure from the run's look.

Each builder's figure is walked for everything a reader reads (the layout's text, legend, hover
labels, axis ticks and titles, 2-D and 3-D, colour bars, annotations, a figure's own title,
animation sliders and buttons, text drawn beside markers or in cells). Each must carry an
explicit size (Streamlit's chart theme would otherwise choose its own small one) of at least
18 px in lecture mode, and the plain look keeps the sizes the app has always had.
"""
import numpy as np
import pytest

from lib.core import cross_entropy as loss_surface
from lib.core import datasets, home as kinds, multiclass_data
from lib.figures import cross_entropy as charts_loss
from lib.figures import cross_entropy_surfaces as surfaces
from lib.figures import classroom as charts_class
from lib.figures import exercises as charts_exercises
from lib.figures import home as charts_home
from lib.figures import logistic as charts
from lib.figures import mnist as charts_mnist
from lib.figures import multiclass as charts_multiclass
from lib.figures import regression as charts_regression
from lib.figures import sigmoid as charts_sigmoid
from lib.figures.base import PLAIN, Look, validate

LECTURE = Look.of("en", lecture=True)
LECTURE_MINIMUM = 18
LABELS = {name: name for name in (
    "x", "y", "z", "circle", "cross", "line", "play", "pause", "epoch", "loss", "accuracy",
    "train", "test", "data", "residual", "exact", "fitted", "prediction", "exact_floor",
    "degree", "mse", "current", "floor_line", "circle_curve", "cross_curve", "cost", "term",
    "rank", "rank_axis", "cumulative", "xent_short", "mse_short", "path", "start", "trained",
    "minimum", "descent", "predicted", "boundary", "ties", "pixel_hover", "digit", "pc1", "pc2",
    "true", "cell_hover", "weight_hover", "probability", "probability_hover", "classification",
    "regression", "above", "below", "spend", "sales", "cluster", "centre", "goal", "pit",
    "value", "ai", "ml", "dl", "sigmoid", "derivative", "step", "tanh", "point", "count",
    "class", "best", "optimum")}
LABELS.update(frame_title="epoch {epoch} {w0} {w1} {w2}", region="{glyph} {k}", point_hover="p",
              face="{a}|{b}", classes=["a", "b", "c"])
MNIST_LABELS = dict(LABELS, frame_title="epoch {epoch}")


def _builders(look: Look) -> dict:
    """Every figure builder of lib/figures, on small inputs, in the given look."""
    rng = np.random.default_rng(0)
    points = datasets.textbook_points()
    x_range, y_range = points.extent()
    w = (-6.0, 0.2, 0.2)
    weights = np.array([[0.0, 0.0, 0.0], [-1.0, 0.1, 0.1], list(w)])
    epochs = [0, 1, 2]
    curves = {"train": (np.array([1.0, 0.5, 0.3]), np.array([0.5, 0.7, 0.9])),
              "test": (np.array([1.1, 0.6, 0.4]), np.array([0.4, 0.6, 0.8]))}
    surface = loss_surface.surface(points.x, points.t, "w1w2", -6.0, (-1, 1), (-1, 1), 12)
    shares = loss_surface.shares(w, points.x, points.t)
    spend, sale_values, beats, target = kinds.supervised_points()
    clusters = kinds.cluster_points()
    centres, assignment = kinds.kmeans_history(clusters, 3, 2)[-1]
    grid = kinds.Grid()
    q, _ = kinds.q_learning(grid, 20)
    three = multiclass_data.generated_points(3, 10, 2.0, 1)
    space = multiclass_data.generated_points(3, 10, 2.0, 1, dim=3)
    kernel, bias = rng.normal(size=(2, 3)), rng.normal(size=3)
    kernel3 = rng.normal(size=(3, 3))
    images = rng.integers(0, 256, size=(12, 28, 28), dtype=np.uint8)
    signed = rng.normal(size=(10, 28, 28))
    xs = np.linspace(*x_range, 20)
    ys = np.linspace(*y_range, 20)
    p = charts.probability_grids(w, xs, ys)[0]
    heights = 1 / (1 + np.exp(-(w[0] + points.x @ np.array(w[1:]))))

    class Part:  # a regression data set as the engine hands it: x and y arrays
        def __init__(self, x, y):
            self.x, self.y = np.asarray(x, float), np.asarray(y, float)

        def __len__(self):
            return len(self.x)

    train, test = Part([1, 2, 3], [2, 4, 5]), Part([4], [8])
    line = np.array([0.0, 10.0])
    return {
        "logistic.boundary": charts.boundary_figure(points.x, points.t, w, x_range, y_range,
                                                    LABELS, look),
        "logistic.animation": charts.training_animation(points.x, points.t, weights, epochs,
                                                        x_range, y_range, LABELS, look),
        "logistic.curves": charts.curves_figure(epochs, curves, LABELS, look),
        "regression.hand": charts_regression.hand_figure([1, 2, 3], [2, 4, 5], 1.5, 0.5,
                                                         (0, 10), (0, 10), LABELS, (1.4, 0.6),
                                                         look),
        "regression.fit": charts_regression.fit_figure(train, test, line, line * 2, line * 2.1,
                                                       (0, 10), (0, 20), LABELS, (5.0, 10.0),
                                                       look),
        "regression.animation": charts_regression.fit_animation(
            train, test, line, np.array([line, line * 2]), [0, 10], [3.0, 1.0], line * 2,
            (0, 10), (0, 20), dict(LABELS, frame_title="epoch {epoch} {mse}"), look),
        "regression.loss": charts_regression.loss_figure([0, 1, 2], {"train": [3, 2, 1]},
                                                         LABELS, 0.5, look),
        "regression.degree": charts_regression.degree_figure([3, 2, 1], [4, 3, 5], 2, LABELS,
                                                             look),
        "sigmoid.curve": charts_sigmoid.sigmoid_figure(
            np.linspace(-10, 10, 50), {name: np.linspace(0, 1, 50) for name in
                                       ("sigmoid", "derivative", "step", "tanh")},
            1.0, {"derivative": True, "step": True, "tanh": True}, LABELS, look),
        "sigmoid.surface": charts_sigmoid.surface_figure(w, xs, ys, p, points.x, points.t,
                                                         heights, x_range, y_range, LABELS,
                                                         look),
        "sigmoid.contour": charts_sigmoid.contour_figure(w, xs, ys, p, points.x, points.t,
                                                         x_range, y_range, LABELS, look),
        "xent.cost": charts_loss.cost_curves_figure(0.9, LABELS, look),
        "xent.shares_map": charts_loss.shares_map_figure(points.x, points.t, w, shares,
                                                         x_range, y_range, LABELS, look),
        "xent.shares_bars": charts_loss.shares_bar_figure(points.x, points.t, w, shares,
                                                          LABELS, look),
        "xent.contour": surfaces.contour_figure(surface, "xent", LABELS, current=w,
                                                   arrow=(0.1, 0.1), path=weights,
                                                   minimum=w, look=look),
        "xent.surface": surfaces.surface_figure(surface, "xent", LABELS, current=w,
                                                   current_z=3.0, minimum=w, minimum_z=2.0,
                                                   look=look),
        "multiclass.regions": charts_multiclass.regions_figure(
            kernel, bias, three.x, three.c, *three.extent(), LABELS, True, look),
        "multiclass.space": charts_multiclass.space_figure(space.x, space.c, kernel3, bias,
                                                           space.extent(), LABELS, look),
        "mnist.digit": charts_mnist.digit_figure(images[0], dict(MNIST_LABELS, title="t"),
                                                 look=look),
        "mnist.projection": charts_mnist.projection_figure(
            charts_mnist.projection_traces(rng.normal(size=(12, 2)), np.arange(12) % 10,
                                           ["·"] * 12), MNIST_LABELS, look),
        "mnist.gallery": charts_mnist.gallery_figure(images, ["1 / 1"] * 12, look=look),
        "mnist.examples": charts_mnist.examples_figure(
            images.reshape(12, 784), np.arange(12) % 10, np.arange(12) % 10,
            {d: ([d], [d + 1] if d < 9 else []) for d in range(10)},
            ((0, "right"), (3, "wrong")), look),
        "mnist.confusion": charts_mnist.confusion_figure(rng.integers(0, 9, (10, 10)), (1, 2),
                                                         MNIST_LABELS, look),
        "mnist.templates": charts_mnist.templates_figure(signed, [str(d) for d in range(10)],
                                                         MNIST_LABELS, colorbar_title="w",
                                                         look=look),
        "mnist.probabilities": charts_mnist.probability_figure(np.full(10, 0.1), MNIST_LABELS,
                                                               look),
        "home.supervised": charts_home.supervised_figure(spend, sale_values, beats, target,
                                                         LABELS, look),
        "home.kmeans": charts_home.kmeans_figure(clusters, centres, assignment,
                                                 dict(LABELS, cluster="{number}"), look),
        "home.grid": charts_home.grid_figure(grid, q, kinds.greedy_path(grid, q), LABELS, look),
        "exercises.numbered": charts_exercises.numbered_points(points.x, points.t, w, x_range,
                                                               y_range, LABELS, look),
        "classroom.answers": charts_class.answers_figure(["a", "b"], [3, 0], [True, False],
                                                         LABELS, look),
        "classroom.logistic": charts_class.logistic_lines(
            points.x, points.t, [w, (-3.0, 0.1, 0.1)], w, (-10.5, 0.2, 0.35), x_range, y_range,
            LABELS, look),
        "classroom.regression": charts_class.regression_lines(
            [1.0, 2.0, 3.0], [2.0, 4.1, 5.9], [(1.0, 1.0), (2.0, 0.0)], (2.0, 0.0), (1.95, 0.1),
            (0.0, 4.0), (0.0, 8.0), LABELS, look),
    }


def lettering(spec: dict) -> list[tuple[str, object]]:
    """(where, size) of every piece of lettering a reader reads; size None where none is set."""
    layout = spec["layout"]
    found = [("font", layout.get("font", {}).get("size")),
             ("hoverlabel", layout.get("hoverlabel", {}).get("font", {}).get("size"))]

    def size(where, holder):
        found.append((where, (holder or {}).get("size")))

    def axis(where, settings):
        if settings.get("visible") is False or settings.get("showticklabels") is False:
            return
        size(f"{where}.tickfont", settings.get("tickfont"))
        if settings.get("title", {}).get("text"):
            size(f"{where}.title", settings["title"].get("font"))

    def colorbar(where, bar):
        size(f"{where}.tickfont", bar.get("tickfont"))
        if bar.get("title", {}).get("text"):
            size(f"{where}.title", bar["title"].get("font"))

    for name, value in layout.items():
        if name.startswith(("xaxis", "yaxis")):
            axis(name, value)
        elif name.startswith("scene"):
            for axis_name in ("xaxis", "yaxis", "zaxis"):
                axis(f"{name}.{axis_name}", value.get(axis_name, {}))
    entries = [trace for trace in spec["data"] if trace.get("showlegend", trace.get("type") in (
        "scatter", "scatter3d", "bar"))]
    if layout.get("showlegend", len(entries) > 1):
        size("legend", layout.get("legend", {}).get("font"))
    for index, note in enumerate(layout.get("annotations", [])):
        if note.get("text"):
            size(f"annotations[{index}]", note.get("font"))
    if layout.get("title", {}).get("text"):
        size("title", layout["title"].get("font"))
    for index, slider in enumerate(layout.get("sliders", [])):
        size(f"sliders[{index}]", slider.get("font"))
        size(f"sliders[{index}].currentvalue", slider.get("currentvalue", {}).get("font"))
    for index, menu in enumerate(layout.get("updatemenus", [])):
        size(f"updatemenus[{index}]", menu.get("font"))
    if "colorbar" in layout.get("coloraxis", {}):
        colorbar("coloraxis.colorbar", layout["coloraxis"]["colorbar"])
    for index, trace in enumerate(spec["data"]):
        if trace.get("showscale") and "colorbar" in trace or (
                trace.get("type") in ("surface", "contour") and trace.get("showscale", True)):
            colorbar(f"data[{index}].colorbar", trace.get("colorbar", {}))
        if "text" in trace.get("mode", "") or trace.get("texttemplate") or (
                trace.get("type") == "bar" and trace.get("text") is not None):
            size(f"data[{index}].textfont", trace.get("textfont"))
        if trace.get("contours", {}).get("showlabels"):
            size(f"data[{index}].labelfont", trace["contours"].get("labelfont"))
    return found


def test_every_builder_is_covered():
    """A builder added to lib/figures without a place here fails this test."""
    import inspect

    modules = (charts, charts_regression, charts_sigmoid, charts_loss, surfaces,
               charts_multiclass, charts_mnist, charts_home, charts_exercises, charts_class)
    builders = {f"{module.__name__}.{name}" for module in modules
                for name, function in inspect.getmembers(module, inspect.isfunction)
                if function.__module__ == module.__name__ and not name.startswith("_")
                and "look" in
                inspect.signature(function).parameters}
    assert len(builders) == len(_builders(PLAIN)), sorted(builders)


@pytest.fixture(scope="module")
def lecture_figures():
    return {name: fig.spec for name, fig in _builders(LECTURE).items()}


@pytest.fixture(scope="module")
def plain_figures():
    return {name: fig.spec for name, fig in _builders(PLAIN).items()}


def test_the_figures_are_valid_plotly_in_both_looks():
    for look in (PLAIN, LECTURE):
        for name, fig in _builders(look).items():
            validate(fig)  # raises on a misspelt or misplaced property


def test_lecture_mode_letters_everything_at_18_px_or_more(lecture_figures):
    small = {}
    for name, spec in lecture_figures.items():
        for where, size in lettering(spec):
            if name == "mnist.digit" and where == "data[0].textfont":
                continue  # 784 numbers in a picture (see digit_figure): read by hovering
            if size is None or size < LECTURE_MINIMUM:
                small.setdefault(name, []).append((where, size))
    assert not small, small


def test_every_piece_of_lettering_is_sized_explicitly_in_the_plain_look(plain_figures):
    """Streamlit's chart theme picks its own sizes for anything a figure leaves unset."""
    unset = {name: [where for where, size in lettering(spec) if size is None]
             for name, spec in plain_figures.items()}
    assert not {name: places for name, places in unset.items() if places}, unset


def test_the_plain_look_keeps_the_sizes_the_app_had(plain_figures):
    layout = plain_figures["logistic.animation"]["layout"]
    assert layout["font"]["size"] == 13 and layout["legend"]["font"]["size"] == 13
    assert layout["xaxis"]["tickfont"]["size"] == 12
    assert layout["xaxis"]["title"]["font"]["size"] == 13
    assert layout["height"] == PLAIN.height + 80
    curves = plain_figures["logistic.curves"]["layout"]
    assert [note["font"]["size"] for note in curves["annotations"]] == [15, 15]
    gallery = plain_figures["mnist.gallery"]["layout"]
    assert {note["font"]["size"] for note in gallery["annotations"]} == {12}
    boundary = plain_figures["logistic.boundary"]
    assert boundary["layout"]["height"] == 520 and boundary["data"][2]["marker"]["size"] == 11


def test_lecture_mode_grows_the_main_charts_and_their_markers(lecture_figures, plain_figures):
    for name in ("logistic.boundary", "regression.hand", "multiclass.regions"):
        lecture, plain = lecture_figures[name], plain_figures[name]
        assert lecture["layout"]["height"] > plain["layout"]["height"]
        marker = next(t["marker"]["size"] for t in lecture["data"] if "marker" in t)
        assert marker == LECTURE.marker > PLAIN.marker


def test_a_look_is_settled_once_and_cannot_change():
    look = Look.of("ja", lecture=True)
    assert look == Look.of("ja", lecture=True) and look.language == "ja"
    with pytest.raises(AttributeError):
        look.lecture = False  # frozen: a builder cannot change the run's look
    assert Look.of("en") == Look(language="en") and not Look.of("en").lecture


def test_log_axes_in_lecture_mode_letter_every_label_at_full_size(lecture_figures, plain_figures):
    """Plotly letters the 2s and 5s between a log axis's decades at three quarters of the tick
    size; lecture mode names its ticks itself: 1, 2 and 5 per decade within the data."""
    axis = lecture_figures["regression.loss"]["layout"]["yaxis"]
    assert axis["type"] == "log" and axis["tickvals"] == [0.5, 1.0, 2.0]
    assert axis["ticktext"] == ["0.5", "1", "2"]
    assert "tickvals" not in plain_figures["regression.loss"]["layout"]["yaxis"]
