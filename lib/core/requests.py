"""What a page may ask the engine to train: the request types, their limits and cache keys.

Plain numpy: the scripts and figures read these types without importing the engine.
"""
from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

import numpy as np

LOSSES = ("binary", "categorical", "mse")
OPTIMIZERS = ("rmsprop", "adam", "sgd")
MAX_STEPS = 100_000  # optimizer steps per training of a linear model (epochs × batches)

# MNIST: the slide's Dense(10) on 784 pixels, with up to two hidden ReLU layers in front.
PIXELS = 784
CLASSES = 10
HIDDEN_WIDTHS = (16, 32, 64, 128, 256)
MAX_HIDDEN_LAYERS = 2
# The work one MNIST training may ask for, as epochs × training images × parameters. The
# default model (10 epochs of 60,000 images, 7,850 parameters) is 4.7e9. Two hidden layers of
# 256 for 30 epochs (269,322 parameters) are 3.2e10 on the 4,000 offline digits (about 6 s
# here) and 4.8e11 on the full MNIST (minutes of the server's two cores, while others wait).
MNIST_BUDGET = 3e10


def digest_arrays(*arrays) -> bytes:
    """A fingerprint of arrays' shapes, types and values (cache keys)."""
    digest = hashlib.sha256()
    for array in arrays:
        array = np.ascontiguousarray(array)
        digest.update(str((array.shape, array.dtype.str)).encode())
        digest.update(array.tobytes())
    return digest.digest()


@dataclass(frozen=True, eq=False)
class TrainSpec:
    """One training request for a single Dense layer (the slides' linear models).

    x: (n, d) inputs; y: (n, units) targets (0/1 for "binary", one-hot for "categorical",
    numbers for "mse"). batch_size 0 means the whole set per step, as on the slide.
    The seed fixes the initial weights (GlorotUniform(seed)) and the batch order.
    """

    x: np.ndarray
    y: np.ndarray
    loss: str = "binary"
    optimizer: str = "rmsprop"
    learning_rate: float = 0.001
    epochs: int = 5000
    batch_size: int = 0
    seed: int = 1

    def __post_init__(self):
        object.__setattr__(self, "x", np.ascontiguousarray(self.x, dtype=np.float32))
        y = np.asarray(self.y, dtype=np.float32)
        object.__setattr__(self, "y", np.ascontiguousarray(y.reshape(len(y), -1)))
        if self.loss not in LOSSES or self.optimizer not in OPTIMIZERS:
            raise ValueError(f"unknown loss or optimizer: {self.loss}, {self.optimizer}")
        if self.x.ndim != 2 or len(self.x) != len(self.y) or len(self.x) == 0:
            raise ValueError("x must be (n, d) and y (n, units) with n > 0")

    @property
    def units(self) -> int:
        return self.y.shape[1]

    @property
    def full_batch(self) -> bool:
        return self.batch_size <= 0 or self.batch_size >= len(self.x)

    @property
    def steps_per_epoch(self) -> int:
        return 1 if self.full_batch else math.ceil(len(self.x) / self.batch_size)

    def key(self) -> str:
        digest = hashlib.sha256(digest_arrays(self.x, self.y))
        digest.update(repr((self.loss, self.optimizer, float(self.learning_rate), int(self.epochs),
                            0 if self.full_batch else int(self.batch_size),
                            int(self.seed))).encode())
        return digest.hexdigest()


def max_epochs(n_points: int, batch_size: int) -> int:
    """How many epochs fit in MAX_STEPS for this data size and batch size."""
    steps = 1 if batch_size <= 0 or batch_size >= n_points else math.ceil(n_points / batch_size)
    return MAX_STEPS // steps


@dataclass(frozen=True)
class MnistSettings:
    """One MNIST training request. hidden: widths of the hidden ReLU layers (() = the slide's
    model). train_size 0 means every training image."""

    hidden: tuple = ()
    optimizer: str = "adam"
    learning_rate: float = 0.001
    batch_size: int = 128
    epochs: int = 10
    train_size: int = 0
    seed: int = 1

    def __post_init__(self):
        if self.optimizer not in OPTIMIZERS:
            raise ValueError(f"unknown optimizer {self.optimizer}")
        if len(self.hidden) > MAX_HIDDEN_LAYERS or any(w not in HIDDEN_WIDTHS for w in self.hidden):
            raise ValueError(f"hidden layers must be up to {MAX_HIDDEN_LAYERS} of {HIDDEN_WIDTHS}")
        if self.batch_size < 1 or self.epochs < 1 or self.train_size < 0:
            raise ValueError("batch size and epochs must be positive")

    @property
    def linear(self) -> bool:
        return not self.hidden

    def parameters(self) -> int:
        sizes = (PIXELS, *self.hidden, CLASSES)
        return sum(a * b + b for a, b in zip(sizes, sizes[1:]))

    def cost(self, images: int) -> float:
        """The work of this training on `images` training images: epochs × images × parameters."""
        return float(self.epochs) * images * self.parameters()

    def budget_epochs(self, images: int, budget: float | None = None) -> int:
        """The epochs this training may run within the budget: the request's, or fewer (>= 1)."""
        budget = MNIST_BUDGET if budget is None else budget
        per_epoch = max(1.0, float(images) * self.parameters())
        return max(1, min(int(self.epochs), int(budget // per_epoch)))
