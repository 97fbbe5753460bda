"""Regression (slides 5, 6, 9, 10) in numpy: polynomial features, least squares, the curves.

No Streamlit, no TensorFlow (lib/engine/regression.py trains). The data (lib/core/
regression_data.py) are pairs (spend x, sales y) in million yen. The model is the slide's
straight line y = a·x + b, or, beyond the slide, a polynomial of degree 1..9: Keras'
`Dense(1)` on the features u, u², …, u^d with `loss='mse'`, where u is the spend, optionally
scaled to −1..1 (u = (x − centre) / half_width) so that gradient descent can cope with the
powers. The exact least-squares fit is computed alongside in numpy, always in scaled
coordinates (well conditioned); the polynomial it describes does not depend on the coordinates.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from lib.core.datasets import DataError, train_test_split
from lib.core.regression_data import (MAX_POINTS, Sales, default_columns,  # noqa: F401
                                      generated, pick_columns, read_table, template_csv)
from lib.core.requests import TrainSpec

MAX_DEGREE = 9
# Features beyond this size are refused: float32 overflows near 3e38 and the loss (a square)
# long before. Scaling the spend to −1..1 keeps every power below 1.
MAX_FEATURE = 1e15
CURVE_POINTS = 1000  # loss-curve points: enough for a figure, bounded memory for 20000 epochs


# ---------------------------------------------------------------------------------------------
# Polynomial features and least squares.


@dataclass(frozen=True)
class Scaling:
    """u = (x − centre) / half_width; the identity when centre = 0 and half_width = 1."""

    centre: float = 0.0
    half_width: float = 1.0

    @classmethod
    def of(cls, x, on: bool = True) -> "Scaling":
        """Map the range of x to −1..1 (on), or leave x as it is (off)."""
        x = np.asarray(x, dtype=float)
        if not on or len(x) == 0:
            return cls()
        lo, hi = float(x.min()), float(x.max())
        half = (hi - lo) / 2
        return cls((hi + lo) / 2, half if half > 0 else 1.0)

    def apply(self, x):
        return (np.asarray(x, dtype=float) - self.centre) / self.half_width


def features(x, degree: int, scaling: Scaling) -> np.ndarray:
    """(n, degree) float64 columns u, u², …, u^degree: the inputs of Keras' Dense(1)."""
    u = scaling.apply(x)
    return np.column_stack([u ** k for k in range(1, int(degree) + 1)])


def evaluate(coef, x, scaling: Scaling) -> np.ndarray:
    """b + w1·u + … + wd·u^d for coef = (b, w1, …, wd)."""
    coef = np.asarray(coef, dtype=float)
    u = scaling.apply(x)
    return np.polynomial.polynomial.polyval(u, coef)


def evaluate_many(coefs, x, scaling: Scaling) -> np.ndarray:
    """Rows of coefs (E, d + 1) evaluated at x: an (E, n) array in one product."""
    coefs = np.asarray(coefs, dtype=float)
    u = scaling.apply(x)
    powers = np.vstack([u ** k for k in range(coefs.shape[1])])  # (d + 1, n)
    return coefs @ powers


def mse(prediction, y) -> float:
    """Mean squared error: Keras' loss='mse' for one output."""
    y = np.asarray(y, dtype=float)
    if y.size == 0:
        return float("nan")
    return float(np.mean((np.asarray(prediction, dtype=float) - y) ** 2))


def mse_many(predictions, y) -> np.ndarray:
    y = np.asarray(y, dtype=float)
    if y.size == 0:
        return np.full(len(predictions), np.nan)
    return np.mean((np.asarray(predictions) - y[None, :]) ** 2, axis=1)


@dataclass(frozen=True)
class Fit:
    """An exact least-squares polynomial: coef (b, w1, …, wd) in `scaling`'s coordinates."""

    coef: np.ndarray
    scaling: Scaling
    rank: int

    @property
    def degree(self) -> int:
        return len(self.coef) - 1

    @property
    def unique(self) -> bool:
        """False when the points cannot pin the polynomial down (too few distinct x values)."""
        return self.rank == len(self.coef)

    def __call__(self, x):
        return evaluate(self.coef, x, self.scaling)


def least_squares(x, y, degree: int) -> Fit:
    """The polynomial of the given degree minimising the squared error (np.linalg.lstsq).

    Computed in coordinates scaled to −1..1, where the problem is well conditioned. With fewer
    distinct x values than coefficients there are many exact solutions; lstsq returns the one
    with the smallest coefficients, and `unique` is False.
    """
    scaling = Scaling.of(x, on=True)
    design = np.column_stack([np.ones(len(x)), features(x, degree, scaling)])
    coef, _, rank, _ = np.linalg.lstsq(design, np.asarray(y, dtype=float), rcond=None)
    return Fit(coef, scaling, int(rank))


def line_of(coef, scaling: Scaling) -> tuple[float, float]:
    """(slope, intercept) in spend units of a degree-1 coef (b, w) in scaled coordinates."""
    b, w = float(coef[0]), float(coef[1])
    return w / scaling.half_width, b - w * scaling.centre / scaling.half_width


def errors_by_degree(train, test, max_degree: int = MAX_DEGREE):
    """Training and test MSE of the exact least-squares fit for degrees 1..max_degree."""
    train_errors, test_errors = [], []
    for degree in range(1, max_degree + 1):
        fit = least_squares(train.x, train.y, degree)
        train_errors.append(mse(fit(train.x), train.y))
        test_errors.append(mse(fit(test.x), test.y) if len(test) else float("nan"))
    return np.array(train_errors), np.array(test_errors)


def nice_bound(value: float) -> float:
    """The smallest of 1, 2, 5 × 10^k that is at least value (value > 0)."""
    value = max(float(value), 1e-9)
    exponent = math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        bound = step * 10.0 ** exponent
        if bound >= value * (1 - 1e-12):
            return bound
    return 10.0 ** (exponent + 1)


def hand_ranges(data: Sales) -> tuple[float, float]:
    """Bounds ±S for the slope slider and ±I for the intercept slider, from the data's scale.

    Round numbers, so they stay put while the data change a little.
    """
    if len(data) < 2:
        return 10.0, 100.0
    sx = float(np.std(data.x)) or 1.0
    sy = float(np.std(data.y)) or 1.0
    fit = least_squares(data.x, data.y, 1)
    slope, intercept = line_of(fit.coef, fit.scaling)
    slope_bound = nice_bound(2.5 * max(abs(slope), sy / sx))
    intercept_bound = nice_bound(2.5 * max(abs(intercept), abs(float(np.mean(data.y))), sy))
    return slope_bound, intercept_bound


# ---------------------------------------------------------------------------------------------
# Training requests and what the page reports about a run (the engine trains).


def spread_epochs(n: int, most: int = CURVE_POINTS) -> np.ndarray:
    """At most `most` evenly spread indices of range(n), always with the first and the last."""
    if n <= most:
        return np.arange(n)
    return np.unique(np.r_[np.linspace(0, n - 1, most).round().astype(int), n - 1])


def weights_table(result) -> np.ndarray:
    """(b, w1, …, wd) per epoch from the engine's kernels (E, d, 1) and biases (E, 1)."""
    return np.column_stack([result.biases[:, 0], result.kernels[:, :, 0]]).astype(float)


def split(data: Sales, test_fraction: float, seed: int) -> tuple[Sales, Sales]:
    train_idx, test_idx = train_test_split(len(data), test_fraction, seed)
    return data.take(train_idx), data.take(test_idx)


def check_features(x, degree: int, scaling: Scaling) -> None:
    """DataError "too_large_features" when u^degree does not fit float32's training."""
    if len(x) and np.max(np.abs(scaling.apply(x))) ** degree > MAX_FEATURE:
        raise DataError("features_too_large", degree=degree)


def make_spec(train: Sales, degree: int, scaling: Scaling, optimizer: str, learning_rate: float,
              epochs: int, batch_size: int, seed: int) -> TrainSpec:
    return TrainSpec(features(train.x, degree, scaling), train.y, loss="mse", optimizer=optimizer,
                     learning_rate=learning_rate, epochs=epochs, batch_size=batch_size, seed=seed)


def max_gap(run_, points: int = 200) -> float:
    """The largest vertical gap between the trained and the exact curve over the training spend."""
    x = run_.train.x
    grid = np.linspace(float(x.min()), float(x.max()), points)
    return float(np.max(np.abs(run_.predict(grid) - run_.exact(grid))))


def view_ranges(data: Sales, budget: float | None = None, predicted: float | None = None):
    """Axis ranges for the fit figures: the data's, widened to show the prediction when it is
    not far outside (at most one data span beyond); wild curves are then clipped, not followed.
    """
    (x_lo, x_hi), (y_lo, y_hi) = data.extent()
    x_span, y_span = x_hi - x_lo, y_hi - y_lo
    if budget is not None and x_lo - x_span <= budget <= x_hi + x_span:
        x_lo, x_hi = min(x_lo, budget - 0.04 * x_span), max(x_hi, budget + 0.04 * x_span)
        if predicted is not None and y_lo - y_span <= predicted <= y_hi + y_span:
            y_lo = min(y_lo, predicted - 0.06 * y_span)
            y_hi = max(y_hi, predicted + 0.06 * y_span)
    return (x_lo, x_hi), (y_lo, y_hi)


def slider_format(step: float) -> str:
    """A printf format that shows a slider's steps: "%.1f" for 0.1, "%.0f" for 5."""
    decimals = max(0, -math.floor(math.log10(step) + 1e-9))
    return f"%.{decimals}f"
