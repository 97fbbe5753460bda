"""The multiclass page's training runs: Keras' Dense(K) with a softmax, through the engine."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lib.core.multiclass import make_spec, run_curves, split
from lib.core.multiclass_data import ClassPoints
from lib.core.requests import TrainSpec
from lib.engine import training
from lib.engine.training import TrainResult


@dataclass(frozen=True, eq=False)
class MulticlassRun:
    spec: TrainSpec
    result: TrainResult
    train: ClassPoints
    test: ClassPoints
    shown: np.ndarray  # the epochs the curves are computed for (at most about 1000)
    curves: dict  # "train"/"test" -> (mean loss, accuracy) at the epochs `shown`

    @property
    def kernel(self) -> np.ndarray:
        return self.result.final_kernel.astype(float)

    @property
    def bias(self) -> np.ndarray:
        return self.result.final_bias.astype(float)

    def parameters(self) -> np.ndarray:
        """Rows (w0, w1, w2, …) per class: the constant term and the coefficients of f_k."""
        return np.column_stack([self.bias, self.kernel.T])


def run(points: ClassPoints, optimizer: str, learning_rate: float, epochs: int,
        batch_size: int, test_fraction: float, seed: int, progress=None,
        caller=None) -> MulticlassRun | None:
    """Split, train, and the curves; None when the caller's session replaced the request."""
    made = training.split_and_train(
        points, split, test_fraction, seed,
        lambda part: make_spec(part, optimizer, learning_rate, epochs, batch_size, seed),
        run_curves, progress, caller)
    return None if made is None else MulticlassRun(*made)
