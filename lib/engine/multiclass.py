"""The multiclass page's training runs: Keras' Dense(K) with a softmax, through the engine."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lib.core.multiclass import make_spec, run_curves, split
from lib.core.multiclass_data import ClassPoints
from lib.core.requests import TrainSpec, digest_arrays
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
    train_part, test_part = split(points, test_fraction, seed)
    spec = make_spec(train_part, optimizer, learning_rate, epochs, batch_size, seed)
    result = training.train(spec, progress=progress, caller=caller)
    if result is None:
        return None
    key = ("curves", digest_arrays(train_part.x, train_part.c, test_part.x, test_part.c))
    shown, found = training.derived(result, key,
                                    lambda: run_curves(result, train_part, test_part))
    return MulticlassRun(spec, result, train_part, test_part, shown, found)
