"""lib/maths against plain numpy formulas, closed forms and finite differences."""
import numpy as np
import pytest

from lib.core import maths
from lib.core.datasets import textbook_points


def test_sigmoid_matches_the_formula_and_stays_finite():
    a = np.linspace(-30, 30, 121)
    assert np.allclose(maths.sigmoid(a), 1 / (1 + np.exp(-a)), rtol=1e-12)
    extreme = maths.sigmoid(np.array([-1e4, 0.0, 1e4]))
    assert extreme.tolist() == [0.0, 0.5, 1.0]


def test_cross_entropy_terms_match_the_slide_formula():
    rng = np.random.RandomState(0)
    f, t = rng.normal(0, 3, 50), rng.randint(0, 2, 50)
    p = 1 / (1 + np.exp(-f))
    naive = -(t * np.log(p) + (1 - t) * np.log(1 - p))
    assert np.allclose(maths.bce_terms(f, t), naive, rtol=1e-10)
    assert maths.cross_entropy(f, t) == pytest.approx(naive.sum())
    assert maths.cross_entropy(f, t, "mean") == pytest.approx(naive.mean())


def test_cross_entropy_is_finite_where_the_probability_rounds_to_one():
    # σ(800) is exactly 1.0 in floating point; the slide's formula would give log(0).
    assert maths.bce_terms(np.array([800.0]), np.array([0])) == pytest.approx([800.0])
    assert maths.bce_terms(np.array([800.0]), np.array([1])) == pytest.approx([0.0])


def test_gradient_matches_finite_differences():
    points = textbook_points()
    w = np.array([-3.0, 0.1, 0.15])

    def mean_loss(v):
        return maths.cross_entropy(maths.linear(*v, points.x[:, 0], points.x[:, 1]),
                                   points.t, "mean")

    numeric = np.array([(mean_loss(w + h) - mean_loss(w - h)) / 2e-6
                        for h in np.eye(3) * 1e-6])
    assert np.allclose(maths.cross_entropy_gradient(w, points.x, points.t), numeric, atol=1e-6)


def test_curves_match_a_loop_over_epochs():
    points = textbook_points()
    weights = np.array([[-6, 0.2, 0.2], [-3.45, 0.072, 0.16], [0, 0, 0]])
    loss, acc = maths.logistic_curves(weights, points.x, points.t)
    for row, (l, a) in zip(weights, zip(loss, acc)):
        f = maths.linear(*row, points.x[:, 0], points.x[:, 1])
        assert l == pytest.approx(maths.cross_entropy(f, points.t, "mean"))
        assert a == pytest.approx(maths.accuracy(f, points.t))


def test_published_parameters_classify_30_of_35_points():
    """The author's result, w = (−3.45, 0.072, 0.160), gets 30 of 35 training points right."""
    points = textbook_points()
    f = maths.linear(-3.45, 0.072, 0.160, points.x[:, 0], points.x[:, 1])
    assert round(maths.accuracy(f, points.t) * 35) == 30


def test_optimum_has_zero_gradient_and_is_far_from_the_published_point():
    points = textbook_points()
    w, converged = maths.logistic_optimum(points.x, points.t)
    assert converged
    assert np.allclose(maths.cross_entropy_gradient(w, points.x, points.t), 0, atol=1e-9)
    assert abs(w[0] - (-3.45)) > 1.0  # 5000 small Adam steps stop far from the minimum


def test_optimum_reports_separable_data():
    x = np.array([[0.0, 0.0], [1.0, 1.0], [5.0, 5.0], [6.0, 6.0]])
    _, converged = maths.logistic_optimum(x, np.array([0, 0, 1, 1]))
    assert not converged


@pytest.mark.parametrize("w, expected", [
    ((-15, 1, 0), ((15, 0), (15, 30))),  # vertical line x = 15
    ((-15, 0, 1), ((0, 15), (30, 15))),  # horizontal line y = 15
    ((-30, 1, 1), ((0, 30), (30, 0))),  # the diagonal through two corners
])
def test_boundary_segment_inside_the_box(w, expected):
    segment = maths.boundary_segment(*w, (0, 30), (0, 30))
    assert sorted(segment) == sorted(expected)


def test_boundary_segment_missing_when_the_line_is_outside_or_undefined():
    assert maths.boundary_segment(-100, 1, 1, (0, 30), (0, 30)) is None
    assert maths.boundary_segment(1, 0, 0, (0, 30), (0, 30)) is None
