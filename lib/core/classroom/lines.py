"""The class's hand-set lines, scored on the lecturer's data: what the projector ranks.

logistic: w = (w0, w1, w2), scored by the cross-entropy E (a sum, as on the page); the exact
minimum of E by Newton's method. regression: (slope, intercept), scored by the mean squared
error; the exact minimum is the least-squares line. Nothing a browser claims is scored: the
numbers come from the store, the data from the lecturer's page.
"""
from __future__ import annotations

import numpy as np

from lib.core import maths, regression


def score(page: str, data, numbers) -> float:
    """E (logistic) or the mean squared error (regression) of one line on the data."""
    if page == "logistic":
        return float(maths.cross_entropy(maths.linear(*numbers, data.x[:, 0], data.x[:, 1]),
                                         data.t))
    slope, intercept = numbers
    return float(regression.mse(slope * np.asarray(data.x, float) + intercept, data.y))


def optimum(page: str, data):
    """The exact minimiser, or None where none exists (separable points, too few points)."""
    if page == "logistic":
        w, converged = maths.logistic_optimum(data.x, data.t)
        return tuple(float(v) for v in w) if converged else None
    if len(data) < 2 or np.ptp(data.x) == 0:
        return None
    fit = regression.least_squares(data.x, data.y, 1)
    return regression.line_of(fit.coef, fit.scaling)


def ranking(page: str, data, lines, best: int = 5) -> list[tuple[str, float]]:
    """(nickname, score) of the `best` lowest scores, lowest first; lines: (nickname, numbers)."""
    scored = [(nick, score(page, data, numbers)) for nick, numbers in lines]
    scored = [row for row in scored if np.isfinite(row[1])]
    return sorted(scored, key=lambda row: row[1])[:best]
