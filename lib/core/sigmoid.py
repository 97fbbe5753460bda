"""The sigmoid explorer's maths (slides 23–25), in numpy only: this page never loads TensorFlow.

σ(a) = 1 / (1 + e^(−a)) rises smoothly from 0 to 1; its derivative is σ(a)(1 − σ(a)); the
step function and tanh are drawn beside it for comparison. P(x, y) = σ(w0 + w1·x + w2·y) turns
the slide's linear function into a probability over the plane.
"""
from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from lib.core import datasets
from lib.core import maths

A_RANGE = (-10.0, 10.0)
# σ goes from 0.1 to 0.9 while a goes from −ln 9 to ln 9.
TRANSITION = 2 * math.log(9.0)


@lru_cache(maxsize=1)
def textbook_points() -> datasets.Points:
    """The logistic page's default points, drawn once per process (the page only reads them)."""
    return datasets.textbook_points()


def derivative(a):
    """σ'(a) = σ(a)(1 − σ(a)): largest (1/4) at a = 0, where σ is steepest."""
    s = maths.sigmoid(a)
    return s * (1.0 - s)


def step(a):
    """The step function: 0 for a < 0, 1 for a ≥ 0 (what σ becomes when f is scaled up)."""
    return (np.asarray(a, dtype=float) >= 0).astype(float)


def tanh(a):
    """tanh(a) = 2σ(2a) − 1: the same S shape, from −1 to 1."""
    return np.tanh(np.asarray(a, dtype=float))


def curves(points: int = 401):
    """a on A_RANGE and the four functions on it (dict name -> values)."""
    a = np.linspace(*A_RANGE, points)
    return a, {"sigmoid": maths.sigmoid(a), "derivative": derivative(a), "step": step(a),
               "tanh": tanh(a)}


def probability_surface(w, x_range, y_range, size: int = 41):
    """xs, ys and P = σ(w0 + w1·x + w2·y) on the grid, P shaped (len(ys), len(xs))."""
    xs = np.linspace(*x_range, size)
    ys = np.linspace(*y_range, size)
    return xs, ys, maths.probability_grid(*w, xs, ys)


def point_probabilities(w, x):
    """P at each data point (n, 2): the height of the point on the surface."""
    x = np.asarray(x, dtype=float)
    return maths.sigmoid(maths.linear(*w, x[:, 0], x[:, 1]))


def transition_width(w1: float, w2: float) -> float:
    """How far (across the line) P takes to rise from 0.1 to 0.9: 2 ln 9 / √(w1² + w2²).

    Infinite when w1 = w2 = 0: P is then the same everywhere (σ(w0)), no line at all.
    """
    norm = math.hypot(w1, w2)
    return TRANSITION / norm if norm > 0 else math.inf
