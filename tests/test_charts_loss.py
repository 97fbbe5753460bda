"""Every figure builder of the cross-entropy page gives a figure plotly accepts.

The builders write plain dicts (lib/figures/base.py) and skip plotly's validation at run time; here
each is validated against plotly's schema, and what it draws is checked against numpy.
"""
import numpy as np
import pytest

from lib.figures import cross_entropy as charts_loss
from lib.figures import cross_entropy_surfaces as surfaces
from lib.core import datasets
from lib.figures import base as figures
from lib.core import cross_entropy as loss_surface
from lib.core import maths

LABELS = {name: name for name in (
    "circle", "cross", "x", "y", "line", "term", "rank", "rank_axis", "cumulative", "xent_short",
    "mse_short", "path", "start", "trained", "minimum", "current", "descent", "circle_curve",
    "cross_curve", "cost")}


def _valid(fig):
    figures.validate(fig)  # raises ValueError on any misspelt or misplaced property
    return fig.spec


def _trace(spec: dict, name: str) -> dict:
    found = [d for d in spec["data"] if d.get("name") == name]
    assert found, name
    return found[0]


@pytest.fixture(scope="module")
def points():
    return datasets.textbook_points()


@pytest.mark.parametrize("p", [0.0, 0.1, 0.5, 0.9, 1.0])
def test_cost_curves(p):
    spec = _valid(charts_loss.cost_curves_figure(p, LABELS, height=400))
    circle, cross = (float(c) for c in loss_surface.point_costs(p))
    assert [d["name"] for d in spec["data"]] == ["circle_curve", "cross_curve", "circle", "cross"]
    assert spec["data"][2]["y"] == [circle] and spec["data"][3]["y"] == [cross]
    assert spec["data"][2]["marker"]["symbol"] == "circle-open"
    assert spec["data"][3]["marker"]["symbol"] == "x-thin-open"
    assert np.all(np.isfinite(spec["data"][0]["y"])) and np.all(np.isfinite(spec["data"][1]["y"]))
    assert spec["layout"]["yaxis"]["range"][1] >= max(circle, cross)
    assert spec["layout"]["shapes"][0]["x0"] == p
    assert spec["layout"]["height"] == 400


@pytest.mark.parametrize("w", [(-6.0, 0.2, 0.2), (30.0, 0.0, 0.0)])
def test_shares_map_and_bars(points, w):
    shares = loss_surface.shares(w, points.x, points.t)
    x_range, y_range = points.extent()
    spec = _valid(charts_loss.shares_map_figure(points.x, points.t, w, shares, x_range, y_range,
                                                LABELS))
    shade, line, circles, crosses = spec["data"]
    assert shade["type"] == "heatmap" and shade["z"].dtype == np.float32
    xs, ys = np.linspace(*x_range, 80), np.linspace(*y_range, 80)
    assert np.allclose(shade["z"], maths.probability_grid(*w, xs, ys), atol=1e-6)
    assert line["name"] == "line"
    if w[1] == w[2] == 0.0:
        assert line["x"] == [None, None]  # no line at all: the figure still builds
    assert circles["marker"]["symbol"] == "circle-open"
    assert crosses["marker"]["symbol"] == "x-thin-open"
    terms = loss_surface.xent_terms(w, points.x, points.t)
    assert np.allclose(circles["customdata"][:, 2], terms[points.t == 1])
    assert len(spec["layout"]["annotations"]) == 3
    spec = _valid(charts_loss.shares_bar_figure(points.x, points.t, w, shares, LABELS))
    heights = np.concatenate([d["y"] for d in spec["data"] if d["type"] == "bar"])
    assert np.allclose(np.sort(heights)[::-1], np.sort(terms)[::-1])
    assert spec["data"][1]["marker"]["pattern"]["shape"] == "x"
    assert spec["data"][-1]["y"][-1] == pytest.approx(1.0)
    assert spec["layout"]["yaxis2"]["overlaying"] == "y"


def test_shares_bars_are_limited(points):
    x = np.tile(points.x, (20, 1))
    t = np.tile(points.t, 20)
    shares = loss_surface.shares((-6.0, 0.2, 0.2), x, t)
    spec = _valid(charts_loss.shares_bar_figure(x, t, (-6.0, 0.2, 0.2), shares, LABELS))
    assert sum(len(d["x"]) for d in spec["data"] if d["type"] == "bar") == charts_loss.MAX_BARS


@pytest.mark.parametrize("pair", sorted(loss_surface.PAIRS))
def test_surface_and_contour_with_every_marker(points, pair):
    w = np.array([-6.0, 0.2, 0.2])
    i, j, k = loss_surface.axes(pair)
    a_range = (-20.0, 5.0) if i == 0 else (-0.5, 1.5)
    surface = loss_surface.surface(points.x, points.t, pair, float(w[k]), a_range, (-0.5, 1.5))
    optimum, _ = maths.logistic_optimum(points.x, points.t)
    path = np.linspace(w, optimum, 600)  # thinned to MAX_PATH_POINTS
    path_z = loss_surface.path_values(path, points.x, points.t)
    gradient = loss_surface.xent_gradient(w, points.x, points.t)
    step = loss_surface.descent_arrow(gradient[[i, j]], a_range, (-0.5, 1.5))
    spec = _valid(surfaces.contour_figure(surface, "xent", LABELS, current=w, arrow=step,
                                             path=path, minimum=optimum, height=500))
    grid = spec["data"][0]
    assert grid["type"] == "contour" and grid["customdata"].dtype == np.float32
    assert np.allclose(grid["customdata"], surface.xent, rtol=1e-6)
    assert np.allclose(grid["z"], np.log10(surface.xent), rtol=1e-6)
    assert [d["name"] for d in spec["data"][1:]] == ["path", "start", "trained", "minimum",
                                                     "descent", "current"]
    assert len(_trace(spec, "path")["x"]) <= charts_loss.MAX_PATH_POINTS + 1
    assert _trace(spec, "current")["x"] == [w[i]]
    assert spec["layout"]["annotations"][0]["ax"] == w[i]
    assert spec["layout"]["xaxis"]["title"]["text"] == loss_surface.PARAMS[i]
    spec = _valid(surfaces.surface_figure(
        surface, "xent", LABELS, current=w, current_z=10.0,
        arrow_line=(np.linspace(0, 1, 16), np.linspace(0, 1, 16), np.linspace(5, 6, 16)),
        path=path, path_z=path_z, minimum=optimum, minimum_z=5.0, minimum_slice_z=8.0))
    grid = spec["data"][0]
    assert grid["type"] == "surface" and grid["z"].dtype == np.float32
    assert np.allclose(grid["z"], surface.xent, rtol=1e-6)
    assert grid["colorbar"]["ticktext"]  # log ticks of E
    assert [d["name"] for d in spec["data"][1:]] == ["path", "trained", "minimum", "minimum",
                                                     "descent", "current"]
    assert spec["data"][3]["z"] == [8.0, 5.0]  # the pin from the slice down to the minimum
    assert spec["layout"]["uirevision"] == pair


def test_bare_figures_of_the_squared_error(points):
    surface = loss_surface.surface(points.x, points.t, "w1w2", -6.0, (-2, 2), (-2, 2), 30)
    spec = _valid(surfaces.contour_figure(surface, "mse", LABELS))
    assert len(spec["data"]) == 1 and "annotations" not in spec["layout"]
    assert "ticktext" not in spec["data"][0]["colorbar"]
    assert np.allclose(spec["data"][0]["z"], surface.mse, rtol=1e-6)
    spec = _valid(surfaces.surface_figure(surface, "mse", LABELS, current=(-6.0, 0.2, 0.2),
                                             current_z=0.3))
    assert [d["type"] for d in spec["data"]] == ["surface", "scatter3d"]
    assert "surfacecolor" not in spec["data"][0]  # coloured by z itself: no second grid sent
    assert np.allclose(spec["data"][0]["z"], surface.mse, rtol=1e-6)
    assert spec["data"][1]["z"] == [0.3]
