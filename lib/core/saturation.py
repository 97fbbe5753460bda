"""The sigmoid's saturation in float32, in numpy: which points have σ(f) = 1.0 (or 0.0), and
what a loss written on the probability P itself loses there.

float32 has about 7 significant digits: once f > 16.6 (or f < -88), σ(f) = 1 / (1 + e^-f)
rounds to exactly 1.0 (0.0). The cross-entropy written on P must then clip P to [ε, 1 − ε]
(Keras' ε = 1e-7) to keep log 0 away, and a clipped value does not move when f moves: those
points give no gradient at all. Keras' own `binary_crossentropy` on a `Dense(1,
activation='sigmoid')` does not have this problem: it finds the f behind the sigmoid (the
logits it keeps) and computes log σ(f) from f, exact at any f. This module is the reference
the page and the tests use for both: the exact gradient and the gradient of the clipped loss.
"""
from __future__ import annotations

import numpy as np

EPSILON = 1e-7  # keras.backend.epsilon(): the clip of a probability


def linear(w, x) -> np.ndarray:
    """f = w0 + w1·x + w2·y per point, in float32 as the model computes it."""
    w = np.asarray(w, dtype=np.float32)
    x = np.asarray(x, dtype=np.float32)
    return (x @ w[1:] + w[0]).astype(np.float32)


def probability(f) -> np.ndarray:
    """σ(f) in float32 (can be exactly 0.0 or 1.0)."""
    f = np.asarray(f, dtype=np.float32)
    with np.errstate(over="ignore"):
        return (np.float32(1) / (np.float32(1) + np.exp(-f))).astype(np.float32)


def saturated(f) -> np.ndarray:
    """Per point: σ(f) rounded to exactly 0.0 or 1.0 in float32."""
    p = probability(f)
    return (p == 0) | (p == 1)


def clipped(f) -> np.ndarray:
    """Per point: the loss on the clipped P has no gradient here (P outside [ε, 1 − ε])."""
    p = probability(f)
    eps = np.float32(EPSILON)
    return (p < eps) | (p > np.float32(1) - eps)


def gradient(w, x, t, clip: bool = False) -> np.ndarray:
    """∂E/∂(w0, w1, w2) of the mean cross-entropy; clip=True: of the loss written on clipped P.

    Exact loss: ∂E/∂f_n = (σ(f_n) − t_n) / N for every point. On the clipped P, points
    outside [ε, 1 − ε] contribute 0: the clip is flat there.
    """
    x = np.asarray(x, dtype=float)
    f = linear(w, x)
    residual = probability(f).astype(float) - np.asarray(t, dtype=float).ravel()
    if clip:
        residual = np.where(clipped(f), 0.0, residual)
    residual /= len(x)
    return np.array([residual.sum(), residual @ x[:, 0], residual @ x[:, 1]])


def lost_share(w, x, t) -> float:
    """The part of the exact gradient's length that the clipped loss loses at w (0..1)."""
    exact = np.linalg.norm(gradient(w, x, t))
    if exact == 0:
        return 0.0
    return float(np.linalg.norm(gradient(w, x, t) - gradient(w, x, t, clip=True)) / exact)
