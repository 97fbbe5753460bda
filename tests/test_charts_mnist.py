"""Every figure builder of the MNIST page gives a figure plotly accepts, laid out as before.

The builders write plain dicts (lib/figures/base.py) and skip plotly's validation at run time;
here every one of them is validated against plotly's schema.
"""
import numpy as np
import plotly.colors
import pytest
from plotly.subplots import make_subplots

from lib.figures import mnist as charts_mnist
from lib.figures import base as figures
from lib.figures.base import Look
from lib.core import mnist

LABELS = {"pixel_hover": "x %{x}, y %{y}: %{z}", "digit": "Digit", "pc1": "PC 1", "pc2": "PC 2",
          "predicted": "Predicted", "true": "True", "cell_hover": "%{y} → %{x}: %{customdata}",
          "weight_hover": "%{z:.3f}", "probability": "Probability",
          "probability_hover": "%{x}: %{y:.1%}"}


@pytest.fixture(scope="module")
def data():
    return mnist.load_offline()


def _valid(fig):
    figures.validate(fig)  # raises ValueError on any misspelt or misplaced property
    return fig.spec


def test_colour_scales_are_plotlys_named_scales():
    def named(colours):
        return [[i / (len(colours) - 1), c] for i, c in enumerate(colours)]

    assert charts_mnist.BLUES == named(plotly.colors.sequential.Blues)
    assert charts_mnist.DIVERGING == named(plotly.colors.diverging.RdBu)


@pytest.mark.parametrize("numbers, zmax, template", [(False, 255.0, None),
                                                     (True, 255.0, "%{z:.0f}"),
                                                     (True, 1.0, "%{z:.2f}")])
def test_digit_figure(data, numbers, zmax, template):
    image = data.image(3) if zmax == 255.0 else data.image(3) / 255.0
    spec = _valid(charts_mnist.digit_figure(image, dict(LABELS, title="A digit"),
                                            numbers=numbers, height=300, zmax=zmax))
    heatmap = spec["data"][0]
    assert heatmap["z"].shape == (28, 28)
    assert heatmap["z"].dtype == (np.uint8 if zmax == 255.0 else np.float32)
    assert np.allclose(heatmap["z"], image)
    assert heatmap.get("texttemplate") == template and heatmap["zmax"] == zmax
    assert heatmap["xgap"] == (1 if numbers else 0)
    assert spec["layout"]["title"]["text"] == "A digit" and spec["layout"]["height"] == 300
    assert spec["layout"]["yaxis"]["scaleanchor"] == "x"
    assert spec["layout"]["yaxis"]["autorange"] == "reversed"


def test_projection_figure_has_one_trace_per_digit_pointing_into_the_projection(data):
    view = mnist.projection(data, per_class=20)
    hover = [charts_mnist.braille(data.image(i)) for i in view.index]
    parts = charts_mnist.projection_traces(view.coords, view.labels, hover)
    spec = _valid(charts_mnist.projection_figure(parts, LABELS, Look.of("en", lecture=True)))
    assert [trace["name"] for trace in spec["data"]] == [str(d) for d in range(10)]
    for d, trace in enumerate(spec["data"]):
        positions = trace["customdata"]
        assert len(positions) == 20 and (view.labels[positions] == d).all()
        assert np.array_equal(trace["x"], view.coords[positions, 0])
        assert list(trace["hovertext"]) == [hover[i] for i in positions]
        assert list(trace["text"]) == [str(d)] * 20
        assert trace["textfont"] == dict(color=charts_mnist.CLASS_COLOURS[d], size=18,
                                         family="monospace")
        assert "Digit %{fullData.name}" in trace["hovertemplate"]
    assert spec["layout"]["legend"]["title"]["text"] == "Digit"
    assert spec["layout"]["xaxis"]["title"]["text"] == "PC 1"


def test_gallery_figure_titles_each_image_and_marks_the_wrong_ones(data):
    images = data.test_x[:8]
    marks = [True] * 4 + [False] * 4
    spec = _valid(charts_mnist.gallery_figure(images, [f"{i} / {i}" for i in range(8)],
                                              columns=6, marks=marks, headers=((0, "right"),)))
    canvas = spec["data"][0]["z"]
    assert canvas.dtype == np.uint8 and canvas.shape == (2 * 46, 6 * 34)  # a byte a pixel
    assert np.array_equal(canvas[12:40, 0:28], data.image(0, test=True))
    assert canvas[0:12].max() == 0 and canvas[:, 28:34].max() == 0  # white paper between
    texts = [a["text"] for a in spec["layout"]["annotations"]]
    assert texts[:4] == ["0 / 0", "1 / 1", "2 / 2", "3 / 3"]
    assert texts[4] == "<b>4 / 4 ✗</b>" and texts[-1] == "<b>right</b>"
    assert spec["layout"]["yaxis"]["range"] == [92, -26]
    assert spec["layout"]["height"] == 60 + 2 * 80
    plain = _valid(charts_mnist.gallery_figure(images[:3] / 255.0, ["a", "", "c"], columns=10))
    assert plain["data"][0]["z"].dtype == np.float32
    assert [a["text"] for a in plain["layout"]["annotations"]] == ["a", "c"]
    assert plain["layout"]["yaxis"]["range"] == [46, -14] and plain["layout"]["margin"]["t"] == 8


def test_examples_figure_three_right_three_wrong_per_predicted_digit(data):
    predicted = np.where(np.arange(data.n_test) % 3 == 0, (data.test_y + 1) % 10, data.test_y)
    predicted[predicted == 7] = 8  # no image is predicted a 7: six empty places
    chosen = mnist.examples(data.test_y, predicted)
    spec = _valid(charts_mnist.examples_figure(data.test_x, data.test_y, predicted, chosen,
                                               ((0, "right"), (3, "wrong"))))
    texts = [a["text"] for a in spec["layout"]["annotations"]]
    assert len(texts) == 9 * 6 + 2
    first = chosen[0][0][0]
    assert texts[0] == f"0 / {data.test_y[first]}"
    assert texts[3].endswith("✗</b>")
    assert spec["data"][0]["z"].shape == (10 * 46, 6 * 34)
    assert spec["layout"]["height"] == 1100


def test_confusion_figure_counts_shade_and_chosen_cell():
    counts = np.arange(100).reshape(10, 10)
    spec = _valid(charts_mnist.confusion_figure(counts, (3, 8), LABELS))
    heatmap, cells = spec["data"]
    assert np.allclose(heatmap["z"], np.log1p(counts))
    assert np.array_equal(heatmap["text"], counts) and heatmap["texttemplate"] == "%{text}"
    assert cells["x"][12] == 2 and cells["y"][12] == 1 and cells["customdata"][12] == 12
    shape = spec["layout"]["shapes"][0]
    assert (shape["x0"], shape["x1"], shape["y0"], shape["y1"]) == (7.5, 8.5, 2.5, 3.5)
    assert spec["layout"]["clickmode"] == "event+select" and spec["layout"]["dragmode"] is False
    none = _valid(charts_mnist.confusion_figure(counts, None, LABELS))
    assert "shapes" not in none["layout"]


@pytest.mark.parametrize("n, columns", [(10, 5), (3, 5), (7, 3)])
def test_templates_figure_is_laid_out_as_make_subplots_does(n, columns):
    images = np.linspace(-2, 1, n * 784).reshape(n, 28, 28)
    titles = [f"digit {d}" for d in range(n)]
    spec = _valid(charts_mnist.templates_figure(images, titles, LABELS, height=340,
                                                columns=columns, colorbar_title="Weight"))
    rows = -(-n // columns)
    reference = make_subplots(rows=rows, cols=columns, subplot_titles=titles,
                              horizontal_spacing=0.02, vertical_spacing=0.08).to_dict()["layout"]
    layout = spec["layout"]
    for name, axis in reference.items():
        if name.startswith(("xaxis", "yaxis")):
            assert layout[name]["domain"] == axis["domain"], name  # exactly: pixels shift
            assert layout[name]["anchor"] == axis["anchor"], name
    for mine, theirs in zip(layout["annotations"], reference["annotations"], strict=True):
        assert mine["text"] == theirs["text"]
        assert (mine["x"], mine["y"]) == (theirs["x"], theirs["y"])
        assert {k: mine[k] for k in ("xref", "yref", "xanchor", "yanchor", "showarrow", "font")} \
            == {k: theirs[k] for k in ("xref", "yref", "xanchor", "yanchor", "showarrow", "font")}
    assert len(spec["data"]) == n
    assert spec["data"][-1]["xaxis"] == (f"x{n}" if n > 1 else "x")
    assert layout[f"yaxis{n}"]["scaleanchor"] == f"x{n}"
    assert layout["coloraxis"]["cmin"] == -2.0 and layout["coloraxis"]["cmax"] == 2.0
    assert layout["coloraxis"]["colorbar"]["title"]["text"] == "Weight"


def test_templates_of_zero_evidence_keep_a_scale():
    spec = _valid(charts_mnist.templates_figure(np.zeros((10, 784), np.float32),
                                                [str(d) for d in range(10)], LABELS))
    assert spec["layout"]["coloraxis"]["cmax"] == 1.0


def test_probability_figure_marks_the_most_likely_digit():
    p = np.full(10, 0.05)
    p[6] = 0.55
    spec = _valid(charts_mnist.probability_figure(p, LABELS))
    bars = spec["data"][0]
    assert bars["text"][6] == "55.0% ★" and bars["text"][0] == "5.0%"
    assert bars["marker"]["color"][6] == "#0072B2" and bars["marker"]["color"][0] == "#9ecae1"
    assert spec["layout"]["yaxis"]["range"] == [0, 1.15]
