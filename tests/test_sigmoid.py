"""The sigmoid explorer's maths against closed forms."""
import math

import numpy as np
import pytest

from lib.core import maths
from lib.core import sigmoid


def test_sigmoid_curves():
    a, functions = sigmoid.curves()
    assert a[0] == -10 and a[-1] == 10 and len(a) == 401
    s = 1 / (1 + np.exp(-a))
    assert np.allclose(functions["sigmoid"], s)
    assert np.allclose(functions["derivative"], np.gradient(s, a), atol=2e-3)
    assert functions["derivative"].max() == pytest.approx(0.25)
    assert np.array_equal(functions["step"], (a >= 0).astype(float))
    assert np.allclose(functions["tanh"], 2 * maths.sigmoid(2 * a) - 1)


def test_transition_width_is_where_p_goes_from_a_tenth_to_nine_tenths():
    w0, w1, w2 = -6.0, 0.2, 0.2
    width = sigmoid.transition_width(w1, w2)
    assert width == pytest.approx(2 * math.log(9) / math.hypot(w1, w2))
    # Walk across the line along its normal: P = 0.1 and 0.9 are `width` apart.
    normal = np.array([w1, w2]) / math.hypot(w1, w2)
    on_line = np.array([15.0, 15.0])  # −6 + 0.2·15 + 0.2·15 = 0
    ends = np.array([on_line - normal * width / 2, on_line + normal * width / 2])
    assert sigmoid.point_probabilities((w0, w1, w2), ends) == pytest.approx([0.1, 0.9])
    assert sigmoid.transition_width(0.0, 0.0) == math.inf


def test_probability_surface_is_sigmoid_of_the_linear_function():
    w = (-6.0, 0.3, 0.1)
    xs, ys, p = sigmoid.probability_surface(w, (0, 30), (0, 20), size=11)
    assert p.shape == (11, 11)
    assert p[4, 7] == pytest.approx(1 / (1 + math.exp(-(w[0] + w[1] * xs[7] + w[2] * ys[4]))))
