"""Reference maths in plain numpy: the sigmoid, the cross-entropy and friends.

Everything here is vectorised and numerically safe: the cross-entropy is computed from
the linear value f (the "logit"), never from a probability that may have rounded to 0 or 1.
"""
from __future__ import annotations

import numpy as np


def sigmoid(a):
    """σ(a) = 1 / (1 + e^(−a)), without overflow warnings for large |a|."""
    a = np.asarray(a, dtype=float)
    out = np.empty_like(a)
    pos = a >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-a[pos]))
    ea = np.exp(a[~pos])
    out[~pos] = ea / (1.0 + ea)
    return out


def linear(w0, w1, w2, x, y):
    """The slide's linear function f(x, y) = w0 + w1·x + w2·y."""
    return w0 + w1 * np.asarray(x, dtype=float) + w2 * np.asarray(y, dtype=float)


def bce_terms(f, t):
    """Each point's cross-entropy term −[t log σ(f) + (1 − t) log(1 − σ(f))], from f.

    Uses log σ(f) = −log(1 + e^(−f)) = −logaddexp(0, −f), exact for any finite f.
    """
    f = np.asarray(f, dtype=float)
    t = np.asarray(t, dtype=float)
    return t * np.logaddexp(0.0, -f) + (1.0 - t) * np.logaddexp(0.0, f)


def cross_entropy(f, t, reduction: str = "sum"):
    """The binary cross-entropy E of the slide (sum over points) or its mean (Keras' loss)."""
    terms = bce_terms(f, t)
    return float(terms.sum() if reduction == "sum" else terms.mean()) if terms.size else 0.0


def accuracy(f, t) -> float:
    """Share of points on the right side of the line: predict ◦ (t = 1) where f > 0."""
    f = np.asarray(f, dtype=float)
    t = np.asarray(t)
    return float(np.mean((f > 0) == (t > 0.5))) if f.size else float("nan")


def cross_entropy_gradient(w, x, t):
    """Gradient of the mean cross-entropy with respect to (w0, w1, w2): mean((σ(f) − t)·[1, x, y])."""
    w = np.asarray(w, dtype=float)
    xa = np.column_stack([np.ones(len(x)), np.asarray(x, dtype=float)])
    residual = sigmoid(xa @ w) - np.asarray(t, dtype=float)
    return xa.T @ residual / len(xa)


def logistic_curves(weights, x, t):
    """Mean cross-entropy and accuracy for every row of `weights` (epochs × [w0, w1, w2]).

    One matrix product for all epochs: weights (E, 3) and points (n, 2) give f (E, n).
    """
    weights = np.asarray(weights, dtype=float)
    if len(x) == 0:
        nan = np.full(len(weights), np.nan)
        return nan, nan
    f = weights[:, :1] + weights[:, 1:] @ np.asarray(x, dtype=float).T
    loss = bce_terms(f, np.asarray(t, dtype=float)[None, :]).mean(axis=1)
    acc = ((f > 0) == (np.asarray(t)[None, :] > 0.5)).mean(axis=1)
    return loss, acc


def probability_grid(w0, w1, w2, xs, ys):
    """σ(f) on the grid xs × ys, as a (len(ys), len(xs)) array for a heatmap."""
    gx, gy = np.meshgrid(np.asarray(xs, dtype=float), np.asarray(ys, dtype=float))
    return sigmoid(linear(w0, w1, w2, gx, gy))


def boundary_segment(w0, w1, w2, x_range, y_range):
    """The part of the line w0 + w1·x + w2·y = 0 inside the box, as two (x, y) end points.

    Returns None when the line misses the box or w1 = w2 = 0 (no line at all).
    """
    (x_lo, x_hi), (y_lo, y_hi) = x_range, y_range
    points = []
    if abs(w2) > 1e-12:
        for x in (x_lo, x_hi):
            y = -(w0 + w1 * x) / w2
            if y_lo - 1e-9 <= y <= y_hi + 1e-9:
                points.append((x, y))
    if abs(w1) > 1e-12:
        for y in (y_lo, y_hi):
            x = -(w0 + w2 * y) / w1
            if x_lo - 1e-9 <= x <= x_hi + 1e-9:
                points.append((x, y))
    unique = []
    for p in points:
        if all(abs(p[0] - q[0]) > 1e-9 or abs(p[1] - q[1]) > 1e-9 for q in unique):
            unique.append(p)
    if len(unique) < 2:
        return None
    # Through a corner the line can touch three sides: keep the two farthest points.
    pairs = [(a, b) for i, a in enumerate(unique) for b in unique[i + 1:]]
    return max(pairs, key=lambda ab: (ab[0][0] - ab[1][0]) ** 2 + (ab[0][1] - ab[1][1]) ** 2)


def logistic_optimum(x, t, iterations: int = 100):
    """The exact minimiser (w0, w1, w2) of the cross-entropy, by Newton's method.

    Returns (w, converged). When a line separates the classes perfectly no minimum exists
    (E keeps falling as |w| grows): converged is then False.
    """
    xa = np.column_stack([np.ones(len(x)), np.asarray(x, dtype=float)])
    t = np.asarray(t, dtype=float)
    w = np.zeros(3)
    for _ in range(iterations):
        p = sigmoid(xa @ w)
        gradient = xa.T @ (p - t)
        hessian = (xa * (p * (1 - p))[:, None]).T @ xa + 1e-10 * np.eye(3)
        try:
            step = np.linalg.solve(hessian, gradient)
        except np.linalg.LinAlgError:
            return w, False
        w = w - step
        if not np.all(np.isfinite(w)):
            return np.zeros(3), False
        if np.max(np.abs(step)) < 1e-10 * (1 + np.max(np.abs(w))):
            return w, bool(np.max(np.abs(w)) < 1e6)
    return w, False
