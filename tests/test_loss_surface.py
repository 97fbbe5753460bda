"""lib/core/cross_entropy.py against plain numpy references, finite differences and edge cases."""
import math

import numpy as np
import pytest

from lib.core import datasets
from lib.core import cross_entropy as loss_surface
from lib.core import maths
from lib.core.cross_entropy import EPSILON


def naive_xent(w, x, t):
    """The slide's formula written out: P, then −Σ [t log P + (1 − t) log(1 − P)]."""
    f = w[0] + w[1] * x[:, 0] + w[2] * x[:, 1]
    p = 1.0 / (1.0 + np.exp(-f))
    return -np.sum(t * np.log(p) + (1 - t) * np.log(1 - p))


def naive_mse(w, x, t):
    f = w[0] + w[1] * x[:, 0] + w[2] * x[:, 1]
    p = 1.0 / (1.0 + np.exp(-f))
    return np.mean((p - t) ** 2)


def small_data(seed=0, n=40):
    """Points in a small box, so the naive formula stays finite for moderate parameters."""
    rng = np.random.RandomState(seed)
    x = rng.uniform(-2, 2, (n, 2))
    t = (rng.rand(n) < 0.5).astype(int)
    t[:2] = (0, 1)
    return x, t


def numeric_gradient(function, w, h=1e-6):
    w = np.asarray(w, dtype=float)
    gradient = np.zeros(3)
    for k in range(3):
        step = np.zeros(3)
        step[k] = h
        gradient[k] = (function(w + step) - function(w - step)) / (2 * h)
    return gradient


@pytest.mark.parametrize("seed", range(5))
def test_xent_and_mse_match_the_formulas(seed):
    x, t = small_data(seed)
    w = np.random.RandomState(100 + seed).normal(0, 1.5, 3)
    assert loss_surface.xent(w, x, t) == pytest.approx(naive_xent(w, x, t), rel=1e-12)
    assert loss_surface.mse(w, x, t) == pytest.approx(naive_mse(w, x, t), rel=1e-12)
    terms = loss_surface.xent_terms(w, x, t)
    assert terms.shape == (len(t),) and np.all(terms >= 0)
    assert terms.sum() == pytest.approx(naive_xent(w, x, t), rel=1e-12)


@pytest.mark.parametrize("seed", range(5))
def test_gradients_match_formula_and_finite_differences(seed):
    x, t = small_data(seed)
    w = np.random.RandomState(200 + seed).normal(0, 1.0, 3)
    p = 1.0 / (1.0 + np.exp(-(w[0] + x @ w[1:])))
    columns = np.column_stack([np.ones(len(x)), x])
    expected = columns.T @ (p - t)
    assert np.allclose(loss_surface.xent_gradient(w, x, t), expected, rtol=1e-12, atol=1e-12)
    numeric = numeric_gradient(lambda v: naive_xent(v, x, t), w)
    assert np.allclose(loss_surface.xent_gradient(w, x, t), numeric, rtol=1e-6, atol=1e-6)
    numeric_mse = numeric_gradient(lambda v: naive_mse(v, x, t), w)
    assert np.allclose(loss_surface.mse_gradient(w, x, t), numeric_mse, rtol=1e-6, atol=1e-8)
    # The engine's mean gradient is this sum divided by N.
    assert np.allclose(maths.cross_entropy_gradient(w, x, t) * len(x),
                       loss_surface.xent_gradient(w, x, t))


def test_gradient_is_zero_at_the_exact_minimum():
    points = datasets.textbook_points()
    w, converged = maths.logistic_optimum(points.x, points.t)
    assert converged
    assert np.linalg.norm(loss_surface.xent_gradient(w, points.x, points.t)) < 1e-6


@pytest.mark.parametrize("pair", sorted(loss_surface.PAIRS))
def test_grid_matches_a_plain_reference(pair):
    x, t = small_data(3, n=25)
    a_range, b_range, fixed = (-1.5, 2.0), (-2.0, 1.0), 0.7
    s = loss_surface.surface(x, t, pair, fixed, a_range, b_range, size=12)
    i, j, k = loss_surface.axes(pair)
    assert s.xent.shape == (12, 12) and s.mse.shape == (12, 12)
    assert s.a[0] == a_range[0] and s.a[-1] == a_range[1]
    assert s.b[0] == b_range[0] and s.b[-1] == b_range[1]
    for row, b_value in enumerate(s.b):
        for column, a_value in enumerate(s.a):
            w = np.zeros(3)
            w[i], w[j], w[k] = a_value, b_value, fixed
            assert np.allclose(s.params(a_value, b_value), w)
            assert s.xent[row, column] == pytest.approx(naive_xent(w, x, t), rel=1e-11)
            assert s.mse[row, column] == pytest.approx(naive_mse(w, x, t), rel=1e-11, abs=1e-15)


def test_grid_of_the_textbook_data_over_the_full_slider_ranges():
    points = datasets.textbook_points()
    s = loss_surface.surface(points.x, points.t, "w0w1", 2.0, (-30, 30), (-2, 2), size=21)
    for row in range(0, 21, 5):
        for column in range(0, 21, 5):
            w = s.params(s.a[column], s.b[row])
            f = maths.linear(*w, points.x[:, 0], points.x[:, 1])
            assert s.xent[row, column] == pytest.approx(maths.cross_entropy(f, points.t), rel=1e-11)
            assert s.mse[row, column] == pytest.approx(loss_surface.mse(w, points.x, points.t),
                                                       rel=1e-11, abs=1e-15)


def test_the_two_grid_methods_agree_and_huge_data_stays_finite():
    x, t = small_data(4, n=30)
    s = 1.0 - 2.0 * t
    columns = loss_surface.design(x)
    u, p, q = s * columns[:, 0] * 0.5, s * columns[:, 1], s * columns[:, 2]
    a, b = np.linspace(-3, 3, 9), np.linspace(-1, 2, 7)
    bound = 0.5 + 3 * np.abs(p).max() + 2 * np.abs(q).max()
    products = loss_surface._surface_products(u, p, q, a, b, bound)
    direct = loss_surface._surface_direct(u, p, q, a, b)
    assert np.allclose(products[0], direct[0], rtol=1e-12)
    assert np.allclose(products[1], direct[1], rtol=1e-12, atol=1e-15)
    # Coordinates of a million: f reaches millions, far past exp's range.
    big = x * 1e6
    surface = loss_surface.surface(big, t, "w1w2", 30.0, (-2, 2), (-2, 2), size=8)
    assert np.all(np.isfinite(surface.xent)) and np.all(np.isfinite(surface.mse))
    w = surface.params(surface.a[1], surface.b[6])
    assert surface.xent[6, 1] == pytest.approx(loss_surface.xent(w, big, t), rel=1e-12)


def test_parameters_at_the_edges_give_finite_values():
    points = datasets.textbook_points()
    for w in ([30.0, 2.0, 2.0], [-30.0, -2.0, -2.0], [30.0, -2.0, 2.0], [-30.0, 2.0, -2.0]):
        f = maths.linear(*w, points.x[:, 0], points.x[:, 1])
        p = maths.sigmoid(f)
        assert np.any(p == 1.0) or np.any(1.0 - p == 1.0)  # P or 1 − P rounds to exactly 1
        assert math.isfinite(loss_surface.xent(w, points.x, points.t))
        assert math.isfinite(loss_surface.mse(w, points.x, points.t))
        assert np.all(np.isfinite(loss_surface.xent_gradient(w, points.x, points.t)))
        assert np.all(np.isfinite(loss_surface.mse_gradient(w, points.x, points.t)))
    s = loss_surface.surface(points.x, points.t, "w1w2", 30.0, (-2, 2), (-2, 2), size=5)
    assert np.all(np.isfinite(s.xent)) and np.all(np.isfinite(s.mse))
    # Uploaded coordinates up to a million: P is exactly 0 or 1 for every point.
    big = points.x * 1e5
    w = np.array([0.0, 2.0, -2.0])
    p = maths.sigmoid(maths.linear(*w, big[:, 0], big[:, 1]))
    assert np.all((p == 0.0) | (p == 1.0))
    value = loss_surface.xent(w, big, points.t)
    assert math.isfinite(value) and value > 1e5
    assert np.all(np.isfinite(loss_surface.xent_gradient(w, big, points.t)))
    # Where every point is wrong and saturated, E grows linearly: no clipping at 16.1 per point.
    w = np.array([-30.0, -2.0, -2.0])
    f = maths.linear(*w, points.x[:, 0], points.x[:, 1])
    ones = points.t == 1
    assert loss_surface.xent_terms(w, points.x, points.t)[ones] == pytest.approx(-f[ones], rel=1e-9)


def test_one_point_costs_are_clipped_like_keras():
    circle, cross = loss_surface.point_costs(np.array([0.0, 1.0, 0.5, 0.9]))
    top = -math.log(EPSILON)
    assert circle[0] == pytest.approx(top)
    assert cross[1] == pytest.approx(-math.log1p(-(1 - EPSILON)))
    assert cross[0] == pytest.approx(-math.log1p(-EPSILON)) and circle[1] < 1e-6
    assert circle[2] == pytest.approx(math.log(2)) and cross[2] == pytest.approx(math.log(2))
    assert circle[3] == pytest.approx(-math.log(0.9)) and cross[3] == pytest.approx(-math.log(0.1))
    assert np.all(np.isfinite(circle)) and np.all(np.isfinite(cross))
    assert loss_surface.is_clipped(0.0) and loss_surface.is_clipped(1.0)
    assert not loss_surface.is_clipped(0.5) and not loss_surface.is_clipped(EPSILON)
    assert loss_surface.equivalent_answers(-math.log(0.9)) == pytest.approx(1.0)


def test_shares_are_sorted_and_add_up():
    points = datasets.textbook_points()
    w = np.array([-6.0, 0.2, 0.2])
    shares = loss_surface.shares(w, points.x, points.t)
    ordered = shares.terms[shares.order]
    assert np.all(np.diff(ordered) <= 0)
    assert shares.total == pytest.approx(loss_surface.xent(w, points.x, points.t))
    assert shares.top_share(len(points)) == pytest.approx(1.0)
    assert shares.top_share(1) == pytest.approx(ordered[0] / shares.total)
    half = shares.points_for(0.5)
    assert ordered[:half].sum() >= 0.5 * shares.total > ordered[:half - 1].sum()


def test_path_values_and_values_along():
    x, t = small_data(5)
    path = np.random.RandomState(7).normal(0, 1, (6, 3))
    assert np.allclose(loss_surface.path_values(path, x, t), [naive_xent(w, x, t) for w in path])
    w, direction = np.array([0.1, -0.3, 0.5]), np.array([0.0, 1.0, -2.0])
    steps = np.linspace(0, 1, 5)
    assert np.allclose(loss_surface.values_along(x, t, w, direction, steps),
                       [naive_xent(w + s * direction, x, t) for s in steps])


def test_view_ranges_are_cleaned():
    assert loss_surface.clean_range(1.0, -1.0, (-2, 2), 0.1) == (-1.0, 1.0)
    assert loss_surface.clean_range(-5.0, 9.0, (-2, 2), 0.1) == (-2.0, 2.0)
    lo, hi = loss_surface.clean_range(0.5, 0.5, (-2, 2), 0.2)
    assert hi - lo == pytest.approx(0.2) and lo < 0.5 < hi
    lo, hi = loss_surface.clean_range(2.0, 2.0, (-2, 2), 0.2)
    assert (lo, hi) == pytest.approx((1.8, 2.0))
    lo, hi = loss_surface.fit_range([0.1, 0.4, -0.2], (-2, 2), 0.1, step=0.05)
    assert lo <= -0.2 and hi >= 0.4 and -2 <= lo and hi <= 2
    assert loss_surface.fit_range([float("nan")], (-2, 2), 0.1) == (-2.0, 2.0)


def test_descent_arrow_points_downhill():
    step = loss_surface.descent_arrow([2.0, -1.0], (-1, 1), (-1, 1), length=0.2)
    assert step[0] < 0 and step[1] > 0
    assert step[1] / step[0] == pytest.approx(-0.5)
    assert max(abs(step[0]) / 2, abs(step[1]) / 2) == pytest.approx(0.2)
    assert loss_surface.descent_arrow([0.0, 0.0], (-1, 1), (-1, 1)) is None
    # A small step along the arrow lowers E.
    x, t = small_data(6)
    w = np.array([0.3, 1.0, -0.5])
    g = loss_surface.xent_gradient(w, x, t)
    step = loss_surface.descent_arrow(g[[1, 2]], (-2, 2), (-2, 2))
    moved = w + 1e-3 * np.r_[0.0, step]
    assert loss_surface.xent(moved, x, t) < loss_surface.xent(w, x, t)


def test_path_progress():
    assert loss_surface.path_progress([0, 0, 0], [0, 0, 0], [2, 0, 0]) == 0.0
    assert loss_surface.path_progress([0, 0, 0], [1, 0, 0], [2, 0, 0]) == pytest.approx(0.5)
    assert loss_surface.path_progress([0, 0, 0], [2, 0, 0], [2, 0, 0]) == pytest.approx(1.0)
    assert loss_surface.path_progress([1, 1, 1], [0, 0, 0], [1, 1, 1]) == 1.0


def test_empty_data_gives_a_flat_zero_grid():
    s = loss_surface.surface(np.zeros((0, 2)), np.zeros(0), "w1w2", 0.0, (-1, 1), (-1, 1), size=4)
    assert np.all(s.xent == 0) and np.all(s.mse == 0)


def test_grid_size_keeps_large_uploads_bounded():
    assert loss_surface.grid_size(35) == 100 and loss_surface.grid_size(2000) == 100
    assert loss_surface.grid_size(5000) == 63  # the largest upload: about 2e7 terms
    assert loss_surface.grid_size(5000) ** 2 * 5000 <= 2e7
    assert loss_surface.grid_size(0) == 100 and loss_surface.grid_size(10**9) == 20
