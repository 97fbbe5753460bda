"""The regression page's training run: Keras' Dense(1) with loss='mse', through the engine."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lib.core.regression import (Fit, Sales, Scaling, check_features, evaluate, evaluate_many,
                                 least_squares, make_spec, mse_many, split, spread_epochs,
                                 weights_table)
from lib.core.requests import TrainSpec
from lib.engine import training
from lib.engine.training import TrainResult


@dataclass(frozen=True, eq=False)
class RegressionRun:
    spec: TrainSpec
    result: TrainResult
    train: Sales
    test: Sales
    degree: int
    scaling: Scaling  # the coordinates of the model's inputs (identity when not scaled)
    weights: np.ndarray  # (epochs_done + 1, degree + 1): rows (b, w1, …, wd)
    curve_epochs: np.ndarray  # the epochs (at most CURVE_POINTS) where the curves are computed
    curves: dict  # "train"/"test" -> MSE at those epochs
    exact: Fit  # least squares on the same training points

    @property
    def final(self) -> np.ndarray:
        return self.weights[-1]

    def predict(self, x) -> np.ndarray:
        return evaluate(self.final, x, self.scaling)


def run(data: Sales, degree: int, scale: bool, test_fraction: float, optimizer: str,
        learning_rate: float, epochs: int, batch_size: int, seed: int,
        progress=None, caller=None) -> RegressionRun | None:
    """Split, train Dense(1) with loss='mse' on the polynomial features, compare with least squares.

    Raises DataError("features_too_large") instead of training on features float32 cannot hold.
    None when the caller's session replaced the request.
    """
    train_part, test_part = split(data, test_fraction, seed)
    scaling = Scaling.of(train_part.x, on=scale)
    check_features(data.x, degree, scaling)
    spec = make_spec(train_part, degree, scaling, optimizer, learning_rate, epochs, batch_size,
                     seed)
    result = training.train(spec, progress=progress, caller=caller)
    if result is None:
        return None
    weights = weights_table(result)
    epochs_at = spread_epochs(len(weights))
    curves = {"train": mse_many(evaluate_many(weights[epochs_at], train_part.x, scaling),
                                train_part.y)}
    if len(test_part):
        curves["test"] = mse_many(evaluate_many(weights[epochs_at], test_part.x, scaling),
                                  test_part.y)
    exact = least_squares(train_part.x, train_part.y, degree)
    return RegressionRun(spec, result, train_part, test_part, int(degree), scaling, weights,
                         epochs_at, curves, exact)
