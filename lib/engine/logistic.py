"""The logistic-regression page's computations (no Streamlit): train, evaluate, explain.

The model is the slide's Dense(1) on (x, y); the engine computes the loss from f (logits), as
Keras' binary_crossentropy does on a sigmoid output. loss="binary_clipped" trains with the loss
written on the clipped probability instead, to show what that loses (lib/core/saturation.py).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lib.core import maths, saturation
from lib.engine import training
from lib.core.datasets import Points, train_test_split
from lib.engine.training import TrainResult, TrainSpec


@dataclass(frozen=True, eq=False)
class LogisticRun:
    spec: TrainSpec
    result: TrainResult
    train: Points
    test: Points
    weights: np.ndarray  # (epochs_done + 1, 3): rows (w0, w1, w2)
    curves: dict  # "train"/"test" -> (mean loss per epoch, accuracy per epoch)

    @property
    def final(self) -> np.ndarray:
        return self.weights[-1]


def weights_table(result: TrainResult) -> np.ndarray:
    """(w0, w1, w2) per epoch from the engine's kernels (epochs, 2, 1) and biases (epochs, 1)."""
    return np.column_stack([result.biases[:, 0], result.kernels[:, 0, 0], result.kernels[:, 1, 0]])


def split(points: Points, test_fraction: float, seed: int):
    train_idx, test_idx = train_test_split(len(points), test_fraction, seed)
    return (Points(points.x[train_idx], points.t[train_idx]),
            Points(points.x[test_idx], points.t[test_idx]))


def make_spec(train: Points, optimizer: str, learning_rate: float, epochs: int,
              batch_size: int, seed: int, loss: str = "binary") -> TrainSpec:
    return TrainSpec(train.x, train.t, loss=loss, optimizer=optimizer,
                     learning_rate=learning_rate, epochs=epochs, batch_size=batch_size, seed=seed)


def run(points: Points, optimizer: str, learning_rate: float, epochs: int, batch_size: int,
        test_fraction: float, seed: int, progress=None, loss: str = "binary") -> LogisticRun:
    train_part, test_part = split(points, test_fraction, seed)
    spec = make_spec(train_part, optimizer, learning_rate, epochs, batch_size, seed, loss)
    result = training.train(spec, progress=progress)
    key = ("curves", training.digest_arrays(train_part.x, train_part.t, test_part.x, test_part.t))
    weights, curves = training.derived(result, key,
                                       lambda: _weights_and_curves(result, train_part, test_part))
    return LogisticRun(spec, result, train_part, test_part, weights, curves)


def _weights_and_curves(result: TrainResult, train_part: Points, test_part: Points):
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
