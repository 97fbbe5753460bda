"""The cross-entropy as a landscape over the parameters (slide 26), in plain numpy.

E(w) = −Σ_n [t_n log P_n + (1 − t_n) log(1 − P_n)] with P_n = σ(w0 + w1·x_n + w2·y_n).
Everything is computed from the linear value f (never from a rounded probability), so
parameters at the very edges of their ranges give finite, exact values.

For comparison the mean squared error of the probabilities, M(w) = (1/N) Σ_n (P_n − t_n)²,
whose surface is flat wherever the sigmoid has saturated.

Both on a grid of two parameters (the third held at a fixed value) are what the surface page
draws: `surface` computes 100 × 100 grid cells for 1,000 points in a few tens of milliseconds.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from lib.core import maths

PARAMS = ("w0", "w1", "w2")
# Which two parameters span the surface; the third keeps its slider value.
PAIRS = {"w1w2": (1, 2), "w0w1": (0, 1), "w0w2": (0, 2)}
# Keras clips probabilities to [ε, 1 − ε] before taking a log (keras.config.epsilon()).
EPSILON = 1e-7
# exp(±LOG_LIMIT) and products up to that size stay well inside float64 (max about e^709).
LOG_LIMIT = 690.0


def design(x) -> np.ndarray:
    """The columns (1, x, y) that the parameters (w0, w1, w2) multiply."""
    x = np.asarray(x, dtype=float).reshape(-1, 2)
    return np.column_stack([np.ones(len(x)), x])


def logits(w, x) -> np.ndarray:
    """f_n = w0 + w1·x_n + w2·y_n for every point."""
    return design(x) @ np.asarray(w, dtype=float)


# ---------------------------------------------------------------------------------------------
# The losses and their gradients at one parameter vector w = (w0, w1, w2).


def xent_terms(w, x, t) -> np.ndarray:
    """Each point's term of E: −log(the probability the model gives the right answer)."""
    return maths.bce_terms(logits(w, x), t)


def xent(w, x, t) -> float:
    """The slide's E: the sum of the terms."""
    return float(xent_terms(w, x, t).sum())


def xent_gradient(w, x, t) -> np.ndarray:
    """∂E/∂(w0, w1, w2) = Σ_n (P_n − t_n)·(1, x_n, y_n)."""
    p = maths.sigmoid(logits(w, x))
    return design(x).T @ (p - np.asarray(t, dtype=float))


def mse_terms(w, x, t) -> np.ndarray:
    """Each point's squared error of the probability, (P_n − t_n)²."""
    return (maths.sigmoid(logits(w, x)) - np.asarray(t, dtype=float)) ** 2


def mse(w, x, t) -> float:
    """M = the mean of (P_n − t_n)²."""
    terms = mse_terms(w, x, t)
    return float(terms.mean()) if terms.size else 0.0


def mse_gradient(w, x, t) -> np.ndarray:
    """∂M/∂(w0, w1, w2) = (2/N) Σ_n (P_n − t_n)·P_n(1 − P_n)·(1, x_n, y_n).

    The factor P(1 − P) is the sigmoid's slope: it vanishes where P is near 0 or 1, which is
    why M goes flat far from the boundary while E keeps its slope.
    """
    p = maths.sigmoid(logits(w, x))
    residual = 2.0 * (p - np.asarray(t, dtype=float)) * p * (1.0 - p)
    return design(x).T @ residual / max(len(p), 1)


# ---------------------------------------------------------------------------------------------
# One point's view: the cost of a single answer P.


def clip_probability(p):
    """P clipped to [ε, 1 − ε] as Keras does, so that log P and log(1 − P) stay finite."""
    return np.clip(np.asarray(p, dtype=float), EPSILON, 1.0 - EPSILON)


def point_costs(p):
    """(−log P, −log(1 − P)): the cost if the point is ◦ (t = 1) and if it is × (t = 0).

    P exactly 0 or 1 (or anything within ε of them) is clipped first: the costs are then the
    largest the loss can give, −log ε ≈ 16.1, instead of infinity.
    """
    q = clip_probability(p)
    return -np.log(q), -np.log1p(-q)


def is_clipped(p) -> bool:
    p = float(p)
    return not (EPSILON <= p <= 1.0 - EPSILON)


def equivalent_answers(cost: float, p_good: float = 0.9) -> float:
    """How many points answered right with probability p_good cost as much as `cost`."""
    return float(cost) / -math.log(p_good)


# ---------------------------------------------------------------------------------------------
# Every point's share of E.


@dataclass(frozen=True, eq=False)
class Shares:
    """The points' terms of E at one w, largest first."""

    terms: np.ndarray  # (n,) in the data's order
    order: np.ndarray  # indices, largest term first
    total: float

    def top_share(self, k: int) -> float:
        """The part of E that the k largest terms make up (0..1)."""
        if self.total <= 0:
            return 0.0
        return float(self.terms[self.order[:k]].sum() / self.total)

    def points_for(self, share: float) -> int:
        """How few of the largest terms make up at least `share` of E."""
        if self.total <= 0 or len(self.terms) == 0:
            return 0
        cumulative = np.cumsum(self.terms[self.order]) / self.total
        return int(min(np.searchsorted(cumulative, share - 1e-12) + 1, len(self.terms)))


def shares(w, x, t) -> Shares:
    terms = xent_terms(w, x, t)
    order = np.argsort(-terms, kind="stable")
    return Shares(terms, order, float(terms.sum()))


# ---------------------------------------------------------------------------------------------
# The surfaces on a grid of two parameters.


@dataclass(frozen=True, eq=False)
class Surface:
    """E and M on a grid: rows follow the second parameter (b), columns the first (a).

    pair names the axes ("w1w2": a = w1, b = w2); the third parameter is held at `fixed`.
    """

    pair: str
    a: np.ndarray
    b: np.ndarray
    fixed: float
    xent: np.ndarray  # (len(b), len(a)): E, the sum
    mse: np.ndarray  # (len(b), len(a)): M, the mean

    @property
    def axes(self) -> tuple[int, int, int]:
        return axes(self.pair)

    def params(self, a, b) -> np.ndarray:
        """The full (w0, w1, w2) of the grid position (a, b)."""
        i, j, k = self.axes
        w = np.empty(3)
        w[i], w[j], w[k] = a, b, self.fixed
        return w


def grid_size(n_points: int, most: int = 100, budget: float = 2e7) -> int:
    """Grid cells per side: `most`, fewer for very large uploads, so a grid stays near `budget`
    terms (cells × points) and a slider move stays quick for any data the app accepts."""
    if n_points <= 0:
        return most
    return int(max(20, min(most, math.sqrt(budget / n_points))))


def axes(pair: str) -> tuple[int, int, int]:
    """(index of the horizontal parameter, of the vertical one, of the fixed one)."""
    i, j = PAIRS[pair]
    return i, j, 3 - i - j


def surface(x, t, pair: str, fixed: float, a_range, b_range, size: int = 100) -> Surface:
    """E and M over a size × size grid of (a, b) in the given ranges, the third parameter fixed.

    The work is size² × N terms (10 million for 100 × 100 and 1,000 points). Written directly,
    each needs an exp and a log; here exp(z) = exp(c)·exp(a·p)·exp(b·q) splits into three small
    tables, and log(1 + e^z1) + log(1 + e^z2) + … = log((1 + e^z1)(1 + e^z2)…) takes one log
    per group of terms, grouped so the products stay inside float64. When the data are so large
    that even one factor could overflow, the direct (slower, always safe) formula takes over.
    """
    i, j, k = axes(pair)
    a = np.linspace(float(a_range[0]), float(a_range[1]), size)
    b = np.linspace(float(b_range[0]), float(b_range[1]), size)
    columns = design(x)
    t = np.asarray(t, dtype=float)
    n = len(t)
    if n == 0:
        zeros = np.zeros((size, size))
        return Surface(pair, a, b, float(fixed), zeros, zeros.copy())
    # z_n = s_n·f_n with s = +1 for × (t = 0), −1 for ◦ (t = 1): each term of E is
    # log(1 + e^z), and (P − t)² = σ(z)².
    s = 1.0 - 2.0 * t
    u, p, q = s * columns[:, k] * float(fixed), s * columns[:, i], s * columns[:, j]
    z_bound = (np.abs(u).max() + np.abs(a).max() * np.abs(p).max()
               + np.abs(b).max() * np.abs(q).max())
    if z_bound > LOG_LIMIT:
        xent_grid, mse_grid = _surface_direct(u, p, q, a, b)
    else:
        xent_grid, mse_grid = _surface_products(u, p, q, a, b, z_bound)
    return Surface(pair, a, b, float(fixed), xent_grid, mse_grid)


def _surface_products(u, p, q, a, b, z_bound, rows: int = 2):
    n = len(u)
    group = int(min(n, max(1, LOG_LIMIT // max(z_bound, 1e-300))))
    width = -(-n // group)
    pad = group * width - n  # padding terms are e^z = 0: they add log 1 = 0 and σ = 0
    left = np.exp(u[None, :] + a[:, None] * p[None, :])  # (len(a), n)
    right = np.exp(b[:, None] * q[None, :])  # (len(b), n)
    left = np.pad(left, ((0, 0), (0, pad))).reshape(len(a), group, width)
    right = np.pad(right, ((0, 0), (0, pad))).reshape(len(b), group, width)
    xent_grid = np.empty((len(b), len(a)))
    mse_grid = np.empty((len(b), len(a)))
    buffer = np.empty((rows, len(a), group, width))
    ratio = np.empty_like(buffer)
    for start in range(0, len(b), rows):
        stop = min(start + rows, len(b))
        one_plus = np.multiply(left[None], right[start:stop, None], out=buffer[:stop - start])
        one_plus += 1.0
        xent_grid[start:stop] = np.log(one_plus.prod(axis=2)).sum(axis=-1)
        # σ(z) = e^z / (1 + e^z) = 1 − 1 / (1 + e^z)
        sig = np.divide(1.0, one_plus, out=ratio[:stop - start])
        np.subtract(1.0, sig, out=sig)
        sig *= sig
        mse_grid[start:stop] = sig.sum(axis=(2, 3))  # the padding adds σ = 1 − 1/1 = 0
    return xent_grid, mse_grid / n


def _surface_direct(u, p, q, a, b, rows: int = 2):
    """The same grid from the stable formulas, for data too large for the products.

    log(1 + e^z) = max(z, 0) + log(1 + e^(−|z|)) and σ(z) = (1 or e^z) / (1 + e^(−|z|)).
    """
    n = len(u)
    xent_grid = np.empty((len(b), len(a)))
    mse_grid = np.empty((len(b), len(a)))
    base = u[None, :] + a[:, None] * p[None, :]  # (len(a), n)
    for start in range(0, len(b), rows):
        stop = min(start + rows, len(b))
        z = base[None] + b[start:stop, None, None] * q[None, None, :]
        small = np.exp(-np.abs(z))
        one_plus = small + 1.0
        xent_grid[start:stop] = (np.maximum(z, 0.0) + np.log(one_plus)).sum(axis=-1)
        sig = np.where(z >= 0, 1.0, small) / one_plus
        mse_grid[start:stop] = np.einsum("rak,rak->ra", sig, sig)
    return xent_grid, mse_grid / n


def values_along(x, t, w, direction, steps) -> np.ndarray:
    """E at w + s·direction for each s in steps (to draw a line lying on the surface)."""
    ws = np.asarray(w, dtype=float)[None, :] + np.outer(steps, direction)
    return maths.bce_terms(ws @ design(x).T, np.asarray(t, dtype=float)[None, :]).sum(axis=1)


def path_values(weights, x, t) -> np.ndarray:
    """E at every row (w0, w1, w2) of a training path."""
    weights = np.asarray(weights, dtype=float).reshape(-1, 3)
    if len(t) == 0:
        return np.zeros(len(weights))
    return maths.bce_terms(weights @ design(x).T, np.asarray(t, dtype=float)[None, :]).sum(axis=1)


# ---------------------------------------------------------------------------------------------
# The view: which part of the parameter plane to draw.


def clean_range(lo: float, hi: float, bounds, min_width: float):
    """(lo, hi) inside bounds, in order and at least min_width wide (URL values are untrusted)."""
    b_lo, b_hi = float(bounds[0]), float(bounds[1])
    lo, hi = sorted((float(lo), float(hi)))
    lo, hi = max(lo, b_lo), min(hi, b_hi)
    if hi - lo < min_width:
        middle = min(max((lo + hi) / 2, b_lo + min_width / 2), b_hi - min_width / 2)
        lo, hi = middle - min_width / 2, middle + min_width / 2
    return lo, hi


def fit_range(values, bounds, min_width: float, margin: float = 0.15, step: float = 0.0):
    """A range that holds all `values` with a margin, inside bounds, rounded out to `step`."""
    values = np.asarray([v for v in values if np.isfinite(v)], dtype=float)
    if values.size == 0:
        return float(bounds[0]), float(bounds[1])
    lo, hi = values.min(), values.max()
    pad = max(margin * (hi - lo), min_width / 2 - (hi - lo) / 2, 0.0)
    lo, hi = lo - pad, hi + pad
    if step > 0:
        lo, hi = math.floor(lo / step) * step, math.ceil(hi / step) * step
    return clean_range(lo, hi, bounds, min_width)


def descent_arrow(gradient2, a_range, b_range, length: float = 0.18):
    """The step (da, db) along −gradient, scaled to `length` of the view in its longer direction.

    The direction is the true one in parameter units; only the length is chosen for drawing.
    Returns None where the gradient is zero (at a minimum, or a perfectly flat spot).
    """
    g = np.asarray(gradient2, dtype=float)
    spans = np.array([a_range[1] - a_range[0], b_range[1] - b_range[0]], dtype=float)
    if not np.all(np.isfinite(g)) or not np.any(g):
        return None
    relative = np.abs(g) / spans
    scale = length / relative.max()
    return -g * scale


def path_progress(start, end, optimum) -> float:
    """How much of the distance from start to the optimum the path has covered (≤ 1)."""
    start, end, optimum = (np.asarray(v, dtype=float) for v in (start, end, optimum))
    total = np.linalg.norm(optimum - start)
    if total == 0:
        return 1.0
    return float(1.0 - np.linalg.norm(optimum - end) / total)
