"""The training engine: Keras models trained thousands of epochs in a blink, safely shared.

Why not the slide's `model.fit(..., epochs=5000)`: every epoch of `fit` is a Python-level step
(about 40 ms here), so 5000 epochs take minutes. The engine runs the same optimizer updates on
the same Keras model, many steps inside one compiled call, and records the weights after
every step, so the page can draw curves and animations afterwards.

Three rules keep it fit for a shared server:
- Models are pooled and reused (weights and optimizer slots reset, learning rate assigned):
  building a new Keras model per training leaks memory, and `clear_session` is process-wide.
- At most MAX_CONCURRENT trainings run at once; the others wait their turn.
- Identical requests train once per server: results sit in a small LRU cache, and a request
  that arrives while the same training runs waits for it instead of starting again.

Determinism comes from the seed in the request (initial weights, batch order), never from
process-wide seeding. TensorFlow is imported on the first training, not before.
"""
from __future__ import annotations

import dataclasses
import hashlib
import math
import os
import threading
import time
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np

LOSSES = ("binary", "categorical", "mse", "binary_clipped")
OPTIMIZERS = ("rmsprop", "adam", "sgd")
MAX_CONCURRENT = 2  # this machine and Community Cloud have two cores
MAX_STEPS = 100_000  # optimizer steps per training (epochs × batches per epoch)
CHUNK = 1000  # optimizer steps per compiled call: progress and divergence checks between calls
CACHE_SIZE = 64
# A run "diverges" when the loss turns NaN/inf, or explodes past this many times its start:
# with the cross-entropy computed from logits the loss stays finite even when a huge learning
# rate throws the weights about, so NaN alone would miss the runs a student needs warned about.
DIVERGENCE_FACTOR = 100.0


@dataclass(frozen=True, eq=False)
class TrainSpec:
    """One training request for a single Dense layer (the slides' linear models).

    x: (n, d) inputs; y: (n, units) targets (0/1 for "binary" and "binary_clipped", one-hot
    for "categorical", numbers for "mse"). batch_size 0 means the whole set per step, as on the slide.
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


def digest_arrays(*arrays) -> bytes:
    """A fingerprint of arrays' shapes, types and values (cache keys)."""
    digest = hashlib.sha256()
    for array in arrays:
        array = np.ascontiguousarray(array)
        digest.update(str((array.shape, array.dtype.str)).encode())
        digest.update(array.tobytes())
    return digest.digest()


@dataclass(frozen=True, eq=False)
class TrainResult:
    """Weights after every epoch (row 0: the initial weights) and how the run ended.

    kernels: (epochs_done + 1, d, units); biases: (epochs_done + 1, units).
    diverged: the loss became NaN or infinite, or exploded past DIVERGENCE_FACTOR times its
    start, during epoch `epochs_done + 1`; the history stops at the last good weights. epochs_run may be below the request when MAX_STEPS capped it.
    """

    kernels: np.ndarray
    biases: np.ndarray
    diverged: bool
    epochs_requested: int
    seconds: float
    waited: bool = False
    capped: bool = False
    extras: dict = field(default_factory=dict)
    # What pages compute from the weights (curves...), kept with the result: see derived().
    memo: dict = field(default_factory=dict, repr=False)

    @property
    def epochs_done(self) -> int:
        return len(self.kernels) - 1

    @property
    def final_kernel(self) -> np.ndarray:
        return self.kernels[-1]

    @property
    def final_bias(self) -> np.ndarray:
        return self.biases[-1]


def max_epochs(n_points: int, batch_size: int) -> int:
    """How many epochs fit in MAX_STEPS for this data size and batch size."""
    steps = 1 if batch_size <= 0 or batch_size >= n_points else math.ceil(n_points / batch_size)
    return MAX_STEPS // steps


def initial_weights(d: int, units: int, seed: int):
    """Keras' default initial weights, made reproducible: GlorotUniform(seed) kernel, zero bias.

    Keras' seeded initializers are stateless, so the same seed gives the same numbers in any
    process; the generated script uses the same initializer and starts from these weights.
    """
    import keras

    kernel = keras.initializers.GlorotUniform(seed=int(seed))((d, units))
    return np.asarray(kernel, dtype=np.float32), np.zeros(units, dtype=np.float32)


# ---------------------------------------------------------------------------------------------
# Trainers: a Keras model, its optimizer and the compiled step functions, reused across runs.


class _Trainer:
    """A Keras model, its optimizer and one compiled training loop, reused run after run.

    The loop is a graph-mode tf.function over exact shapes (no padding, no XLA): it then
    computes what `model.fit` computes with `jit_compile=False`, operation for operation, which
    matters because RMSprop can turn a rounding difference into a whole learning-rate step. It
    is traced once and serves every data size, so a new slider value never waits for a compile.
    """

    def __init__(self, d: int, units: int, loss: str, optimizer: str):
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        import keras

        self.model = keras.Sequential(
            [keras.Input(shape=(d,)), keras.layers.Dense(units, name="linear")]
        )
        self.optimizer = keras.optimizers.get(optimizer)
        self.optimizer.build(self.model.trainable_variables)
        self.loss = {
            "binary": lambda: keras.losses.BinaryCrossentropy(from_logits=True),
            "categorical": lambda: keras.losses.CategoricalCrossentropy(from_logits=True),
            "mse": lambda: keras.losses.MeanSquaredError(),
            "binary_clipped": lambda: _clipped_binary_loss,
        }[loss]()
        self._loop = self._compile()

    def reset(self, kernel: np.ndarray, bias: np.ndarray, learning_rate: float):
        self.model.layers[0].set_weights([kernel, bias])
        for variable in self.optimizer.variables:
            if variable.path.endswith("learning_rate"):
                variable.assign(learning_rate)
            else:
                variable.assign(np.zeros(variable.shape, dtype=variable.dtype))

    def run(self, x, y, index, bounds):
        """One optimizer step per batch; batch i is rows index[bounds[i]:bounds[i + 1]]."""
        return self._loop(x, y, index, bounds)

    def _compile(self):
        import tensorflow as tf

        model, optimizer, loss = self.model, self.optimizer, self.loss
        variables = model.trainable_variables
        spec = [tf.TensorSpec([None, None], tf.float32), tf.TensorSpec([None, None], tf.float32),
                tf.TensorSpec([None], tf.int32), tf.TensorSpec([None], tf.int32)]

        @tf.function(input_signature=spec, jit_compile=False)
        def loop(x, y, index, bounds):
            steps = tf.shape(bounds)[0] - 1
            losses = tf.TensorArray(tf.float32, size=steps)
            kernels = tf.TensorArray(tf.float32, size=steps)
            biases = tf.TensorArray(tf.float32, size=steps)
            for i in tf.range(steps):
                rows = index[bounds[i]:bounds[i + 1]]
                batch_x, batch_y = tf.gather(x, rows), tf.gather(y, rows)
                with tf.GradientTape() as tape:
                    value = loss(batch_y, model(batch_x, training=True))
                optimizer.apply(tape.gradient(value, variables), variables)
                losses = losses.write(i, value)
                kernels = kernels.write(i, variables[0])
                biases = biases.write(i, variables[1])
            return losses.stack(), kernels.stack(), biases.stack()

        return loop


def _clipped_binary_loss(y, f):
    """The cross-entropy written on P = σ(f) itself, with P clipped to [ε, 1 − ε] as Keras clips
    a probability: a hand-written loss. Where σ(f) rounds past 1 − ε (or below ε) the clip is
    flat and the point gives no gradient; the logistic page trains with it to show that."""
    import keras

    epsilon = keras.backend.epsilon()
    p = keras.ops.clip(keras.ops.sigmoid(f), epsilon, 1.0 - epsilon)
    return -keras.ops.mean(y * keras.ops.log(p) + (1.0 - y) * keras.ops.log(1.0 - p))


class _TrainerPool:
    """Idle trainers by shape; a semaphore bounds how many trainings run at once."""

    def __init__(self, slots: int):
        self._slots = threading.BoundedSemaphore(slots)
        self._lock = threading.Lock()
        self._idle: dict[tuple, list[_Trainer]] = {}
        self.created = 0

    def wait_for_slot(self) -> bool:
        """Take one of the training slots; True when it had to wait for another session."""
        waited = not self._slots.acquire(blocking=False)
        if waited:
            self._slots.acquire()
        return waited

    def release_slot(self) -> None:
        self._slots.release()

    def acquire(self, shape: tuple):
        waited = self.wait_for_slot()
        with self._lock:
            idle = self._idle.setdefault(shape, [])
            trainer = idle.pop() if idle else None
            if trainer is None:
                # Keras keeps per-thread name counters; building under the lock keeps it tidy.
                trainer = _Trainer(*shape)
                self.created += 1
        return trainer, waited

    def release(self, shape: tuple, trainer: _Trainer):
        with self._lock:
            self._idle.setdefault(shape, []).append(trainer)
        self._slots.release()


_POOL = _TrainerPool(MAX_CONCURRENT)


@contextmanager
def training_slot():
    """Run heavy work (e.g. a Keras fit outside this engine) within the server's training bound.

    Yields True when the caller had to wait for its turn, so the page can say so.
    """
    waited = _POOL.wait_for_slot()
    try:
        yield waited
    finally:
        _POOL.release_slot()


def _batches(spec: TrainSpec, epochs: int):
    """Yield the row indices of every optimizer step's batch, in order, for the whole run.

    Mini-batches follow numpy's RandomState(seed).permutation per epoch (the script does the
    same); the last batch of an epoch may be smaller, as in model.fit.
    """
    n = len(spec.x)
    if spec.full_batch:
        everything = np.arange(n, dtype=np.int32)
        for _ in range(epochs):
            yield everything
        return
    rng = np.random.RandomState(spec.seed)
    for _ in range(epochs):
        order = rng.permutation(n).astype(np.int32)
        for start in range(0, n, spec.batch_size):
            yield order[start:start + spec.batch_size]


def _train_now(spec: TrainSpec, progress=None) -> TrainResult:
    started = time.perf_counter()
    epochs = min(int(spec.epochs), max_epochs(len(spec.x), spec.batch_size))
    capped = epochs < int(spec.epochs)
    d, units = spec.x.shape[1], spec.units
    kernel0, bias0 = initial_weights(d, units, spec.seed)

    shape = (d, units, spec.loss, spec.optimizer)
    trainer, waited = _POOL.acquire(shape)
    try:
        trainer.reset(kernel0, bias0, float(spec.learning_rate))
        total = epochs * spec.steps_per_epoch
        batches = _batches(spec, epochs)
        step_kernels, step_biases = [kernel0[None]], [bias0[None]]
        done, diverged, ceiling = 0, False, None
        while done < total and not diverged:
            chunk = [next(batches) for _ in range(min(CHUNK, total - done))]
            bounds = np.r_[0, np.cumsum([len(rows) for rows in chunk])].astype(np.int32)
            losses, kernels, biases = (a.numpy() for a in trainer.run(
                spec.x, spec.y, np.concatenate(chunk), bounds))
            if ceiling is None and np.isfinite(losses[0]):
                ceiling = DIVERGENCE_FACTOR * float(losses[0]) + 1.0
            good = np.isfinite(losses) & np.isfinite(kernels).all(axis=(1, 2)) \
                & np.isfinite(biases).all(axis=1) & (losses <= (ceiling or np.inf))
            if not good.all():
                keep = int(np.argmin(good))  # the steps before the first bad one
                kernels, biases, diverged = kernels[:keep], biases[:keep], True
            step_kernels.append(kernels)
            step_biases.append(biases)
            done += len(kernels)
            if progress is not None:
                progress(done / total)
    finally:
        _POOL.release(shape, trainer)

    all_kernels = np.concatenate(step_kernels)
    all_biases = np.concatenate(step_biases)
    # Row 0 is the start; an epoch ends after every steps_per_epoch steps.
    per_epoch = np.arange(0, len(all_kernels), spec.steps_per_epoch)
    return TrainResult(
        kernels=all_kernels[per_epoch], biases=all_biases[per_epoch], diverged=diverged,
        epochs_requested=int(spec.epochs), seconds=time.perf_counter() - started,
        waited=waited, capped=capped,
    )


# ---------------------------------------------------------------------------------------------
# The shared result cache: one training per distinct request per server.


class _ResultCache:
    def __init__(self, size: int):
        self._size = size
        self._lock = threading.Lock()
        self._results: OrderedDict[str, TrainResult] = OrderedDict()
        self._running: dict[str, threading.Event] = {}

    def get_or_train(self, key: str, compute):
        while True:
            with self._lock:
                if key in self._results:
                    self._results.move_to_end(key)
                    return self._results[key], True
                running = self._running.get(key)
                if running is None:
                    running = self._running[key] = threading.Event()
                    break
            running.wait()  # the same training is under way in another session: share it
        try:
            result = compute()
            with self._lock:
                self._results[key] = result
                while len(self._results) > self._size:
                    self._results.popitem(last=False)
            return result, False
        finally:
            with self._lock:
                del self._running[key]
            running.set()

    def clear(self):
        with self._lock:
            self._results.clear()


_CACHE = _ResultCache(CACHE_SIZE)


def train(spec: TrainSpec, progress=None, use_cache: bool = True) -> TrainResult:
    """Train (or fetch from the shared cache) and return the weights after every epoch."""
    if not use_cache:
        return _train_now(spec, progress)
    result, shared = _CACHE.get_or_train(spec.key(), lambda: _train_now(spec, progress))
    if shared and result.waited:
        # `waited` tells the session that trained it; a session given the shared result
        # waited for no training slot.
        result = dataclasses.replace(result, waited=False)
    return result


def derived(result: TrainResult, key: tuple, compute):
    """compute(), kept with `result`: a rerun of a cached training recomputes nothing.

    The value lives as long as the result stays in the shared cache and is shared by every
    session given that result, so arrays in it are made read-only. `key` names what is computed
    and from what else (e.g. digest_arrays of the data it was evaluated on).
    """
    if key not in result.memo:
        value = compute()
        for array in _arrays(value):
            array.flags.writeable = False
        result.memo[key] = value
    return result.memo[key]


def _arrays(value):
    if isinstance(value, np.ndarray):
        yield value
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from _arrays(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _arrays(item)


def cached(spec: TrainSpec) -> bool:
    """Whether this request's result is already in the shared cache."""
    with _CACHE._lock:
        return spec.key() in _CACHE._results


def trainer_ready() -> bool:
    """Whether TensorFlow is loaded and a model was built (the first training takes seconds)."""
    return _POOL.created > 0
