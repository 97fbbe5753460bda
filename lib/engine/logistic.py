"""The logistic-regression page's training run: the slide's Dense(1), through the engine."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lib.core.datasets import Points
from lib.core.logistic import make_spec, split, weights_and_curves
from lib.core.requests import TrainSpec
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
        test_fraction: float, seed: int, progress=None, caller=None,
        loss: str = "binary") -> LogisticRun | None:
    """Split, train, and the curves; None when the caller's session replaced the request.

    loss="binary_clipped": the loss written on the clipped probability (the saturation demo).
    """
    made = training.split_and_train(
        points, split, test_fraction, seed,
        lambda part: make_spec(part, optimizer, learning_rate, epochs, batch_size, seed, loss),
        weights_and_curves, progress, caller)
    return None if made is None else LogisticRun(*made)
