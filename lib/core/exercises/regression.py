"""Exercises of the regression page (slides 15–16): least squares, prediction, over-fitting."""
from __future__ import annotations

import numpy as np

from lib.core.datasets import train_test_split
from lib.core.exercises.base import (NUMBER, PREDICT, REACH, Attempt, Exercise, Verdict,
                                     number_verdict, predicted, right, wrong)

CLOSE = 0.10  # "within 10 % of the least-squares minimum"
OVERFIT = dict(degree=9, test=0.3)  # the page's over-fitting preset


def line_fit(x, y) -> tuple[float, float]:
    """The least-squares line (slope, intercept), from the normal equations."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    dx = x - x.mean()
    slope = float(dx @ (y - y.mean()) / (dx @ dx))
    return slope, float(y.mean() - slope * x.mean())


def mse(prediction, y) -> float:
    return float(np.mean((np.asarray(prediction, float) - np.asarray(y, float)) ** 2))


def check_hand_fit(attempt: Attempt) -> Verdict:
    data = attempt.context.get("data")
    if data is None or len(data) < 2 or np.ptp(data.x) == 0:
        return wrong("no_data")
    a, b = float(attempt.state["slope"]), float(attempt.state["icpt"])
    best = mse(np.polyval(line_fit(data.x, data.y), data.x), data.y)
    error = mse(a * data.x + b, data.y)
    values = dict(mse=error, best=best, limit=(1 + CLOSE) * best)
    if error <= (1 + CLOSE) * best + 1e-12:
        return right(**values)
    # The excess splits exactly into (mean residual)² + (slope gap)²·var(x): say which part
    # is larger, i.e. whether the line is mostly too high/low or mostly tilted.
    shift = float(np.mean(data.y - (a * data.x + b))) ** 2
    if shift >= (error - best) / 2:
        return wrong("shift", **values)
    return wrong("turn", **values)


def hand_solution(attempt: Attempt) -> dict:
    data = attempt.context["data"]
    slope, intercept = line_fit(data.x, data.y)
    return dict(slope=slope, icpt=intercept, best=mse(slope * data.x + intercept, data.y))


def check_budget(attempt: Attempt) -> Verdict:
    data = attempt.context.get("data")
    if data is None or len(data) < 2 or np.ptp(data.x) == 0:
        return wrong("no_data")
    slope, intercept = line_fit(data.x, data.y)
    budget = attempt.variant["budget"]
    exact = slope * budget + intercept
    tolerance = max(0.01 * abs(exact), 0.05)
    return number_verdict(attempt.answer, exact, tolerance,
                          {"no_intercept": slope * budget, "swapped": intercept * budget + slope})


def budget_solution(attempt: Attempt) -> dict:
    slope, intercept = line_fit(attempt.context["data"].x, attempt.context["data"].y)
    budget = attempt.variant["budget"]
    return dict(slope=slope, icpt=intercept, budget=budget, sales=slope * budget + intercept)


def polynomial_errors(data, degree: int, test: float, seed: int) -> tuple[float, float]:
    """Test MSE of the exact least-squares polynomial of `degree` and of the straight line, on
    the page's own split (same indices as the page's training run)."""
    train_idx, test_idx = train_test_split(len(data), test, seed)
    x, y = np.asarray(data.x, float), np.asarray(data.y, float)
    lo, hi = x[train_idx].min(), x[train_idx].max()
    centre, half = (hi + lo) / 2, ((hi - lo) / 2) or 1.0  # scaled to −1..1: well conditioned
    u = (x - centre) / half
    errors = []
    for d in (degree, 1):
        design = np.vander(u, d + 1, increasing=True)
        coef = np.linalg.lstsq(design[train_idx], y[train_idx], rcond=None)[0]
        errors.append(mse(design[test_idx] @ coef, y[test_idx]))
    return errors[0], errors[1]


def overfit_truth(attempt: Attempt) -> tuple[str, dict]:
    data = attempt.context["data"]
    seed = int(attempt.state.get("iseed", 1))
    high, line = polynomial_errors(data, OVERFIT["degree"], OVERFIT["test"], seed)
    choice = "above" if high > line * 1.05 else ("below" if high < line / 1.05 else "same")
    return choice, dict(high=high, line=line, ratio=high / line if line > 0 else float("inf"))


def check_parameters(attempt: Attempt) -> Verdict:
    d = attempt.variant["degree"]
    return number_verdict(attempt.answer, d + 1, 0.0, {"no_bias": d, "squared": d * d})


EXERCISES = (
    Exercise("regression.hand_fit", REACH, "16", check_hand_fit, hand_solution,
             feedback=("no_data", "shift", "turn")),
    Exercise("regression.budget", NUMBER, "16", check_budget, budget_solution,
             feedback=("no_data", "no_intercept", "swapped"), tolerance=0.01,
             variant=lambda rng: dict(budget=float(rng.choice([6.0, 7.0, 8.0, 9.0, 11.0, 12.0])))),
    Exercise("regression.overfit", PREDICT, "16", predicted(overfit_truth),
             choices=("below", "same", "above"), truth=overfit_truth,
             demo={"regression.deg": 9, "regression.scale": True, "regression.test": 0.3,
                   "regression.epochs": 5000}),
    Exercise("regression.parameters", NUMBER, "16", check_parameters,
             lambda attempt: dict(degree=attempt.variant["degree"],
                                  count=attempt.variant["degree"] + 1),
             feedback=("no_bias", "squared"),
             variant=lambda rng: dict(degree=int(rng.randint(2, 10)))),
)
