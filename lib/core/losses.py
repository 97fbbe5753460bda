"""The loss over the whole training set, and when a training counts as diverged.

A run diverges when that loss turns NaN/inf or climbs far above its start. One mini-batch says
nothing about it: with batch size 1 a single well-classified point can have a loss of 1e-12,
and the next point a thousand times more while the whole set improves.
"""
from __future__ import annotations

import numpy as np

# "Far above its start": the cross-entropy computed from logits stays finite even when a huge
# learning rate throws the weights about, so NaN alone would miss the runs a student needs
# warned about. +1 keeps a start near zero from making every wobble a divergence.
DIVERGENCE_FACTOR = 100.0
BLOCK = 2_000_000  # numbers per block of (weights, points, units) evaluated at once


def ceiling(start: float) -> float:
    """The loss above which a run that started at `start` has diverged."""
    return DIVERGENCE_FACTOR * float(start) + 1.0 if np.isfinite(start) else np.inf


def diverged(losses, start: float) -> np.ndarray:
    """For each loss: NaN/inf, or above ceiling(start)."""
    losses = np.asarray(losses, dtype=float)
    with np.errstate(invalid="ignore"):
        return ~np.isfinite(losses) | (losses > ceiling(start))


def dense_losses(loss: str, kernels, biases, x, y) -> np.ndarray:
    """Mean loss of Dense(units) over every point, for each set of weights, as Keras computes it
    (cross-entropies from the logits). kernels (E, d, units), biases (E, units) -> (E,)."""
    kernels, biases = np.asarray(kernels, dtype=float), np.asarray(biases, dtype=float)
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float).reshape(len(x), -1)
    out = np.empty(len(kernels))
    per_block = max(1, BLOCK // max(1, len(x) * kernels.shape[2]))
    with np.errstate(all="ignore"):  # exploding weights give inf/NaN: reported, not warned
        for start in range(0, len(kernels), per_block):
            stop = min(len(kernels), start + per_block)
            f = np.einsum("nd,edk->enk", x, kernels[start:stop]) + biases[start:stop, None, :]
            out[start:stop] = _mean_loss(loss, f, y)
    return out


def _mean_loss(loss: str, f: np.ndarray, y: np.ndarray) -> np.ndarray:
    if loss == "binary":  # log(1 + e^f) − t·f, averaged over points (and units)
        return (np.logaddexp(0.0, f) - y * f).mean(axis=(1, 2))
    if loss == "categorical":
        top = f.max(axis=2, keepdims=True)
        log_p = f - top - np.log(np.exp(f - top).sum(axis=2, keepdims=True))
        return -(y * log_p).sum(axis=2).mean(axis=1)
    if loss == "mse":
        return ((f - y) ** 2).mean(axis=(1, 2))
    raise ValueError(f"unknown loss {loss}")
