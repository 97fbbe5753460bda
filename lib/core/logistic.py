"""The logistic-regression page's numpy side: splitting, the request, the weights per epoch.

The model is the slide's Dense(1) on (x, y); the engine computes the loss from f (logits).
"""
from __future__ import annotations

import numpy as np

from lib.core import maths, saturation
from lib.core.datasets import Points, train_test_split
from lib.core.requests import TrainSpec


def weights_table(result) -> np.ndarray:
    """(w0, w1, w2) per epoch from a result's kernels (epochs, 2, 1) and biases (epochs, 1)."""
    return np.column_stack([result.biases[:, 0], result.kernels[:, 0, 0], result.kernels[:, 1, 0]])


def split(points: Points, test_fraction: float, seed: int):
    train_idx, test_idx = train_test_split(len(points), test_fraction, seed)
    return points.take(train_idx), points.take(test_idx)


def make_spec(train: Points, optimizer: str, learning_rate: float, epochs: int,
              batch_size: int, seed: int, loss: str = "binary") -> TrainSpec:
    return TrainSpec(train.x, train.t, loss=loss, optimizer=optimizer,
                     learning_rate=learning_rate, epochs=epochs, batch_size=batch_size, seed=seed)


def weights_and_curves(result, train_part: Points, test_part: Points):
    """The weights per epoch and the mean loss and accuracy curves on both parts."""
    weights = weights_table(result).astype(float)
    curves = {"train": maths.logistic_curves(weights, train_part.x, train_part.t)}
    if len(test_part):
        curves["test"] = maths.logistic_curves(weights, test_part.x, test_part.t)
    return weights, curves


def saturated_points(points: Points, w) -> int:
    """How many points have σ(f) rounded to exactly 0 or 1 in float32 at the weights w.

    Keras' binary_crossentropy still learns from them (it computes from f); a loss written on
    the clipped probability gets no gradient from them (lib/core/saturation.py).
    """
    return int(saturation.saturated(saturation.linear(w, points.x)).sum())
