"""The logistic-regression page's training run: the slide's Dense(1), through the engine."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lib.core.datasets import Points
from lib.core.logistic import make_spec, split, weights_and_curves
from lib.core.requests import TrainSpec, digest_arrays
from lib.engine import training
from lib.engine.training import TrainResult


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


def run(points: Points, optimizer: str, learning_rate: float, epochs: int, batch_size: int,
        test_fraction: float, seed: int, progress=None, caller=None) -> LogisticRun | None:
    """Split, train, and the curves; None when the caller's session replaced the request."""
    train_part, test_part = split(points, test_fraction, seed)
    spec = make_spec(train_part, optimizer, learning_rate, epochs, batch_size, seed)
    result = training.train(spec, progress=progress, caller=caller)
    if result is None:
        return None
    key = ("curves", digest_arrays(train_part.x, train_part.t, test_part.x, test_part.t))
    weights, curves = training.derived(result, key,
                                       lambda: weights_and_curves(result, train_part, test_part))
    return LogisticRun(spec, result, train_part, test_part, weights, curves)
