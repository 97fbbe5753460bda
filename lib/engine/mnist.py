"""Training MNIST's networks (slides 30–33) through the shared engine.

The model is the slide's `Dense(10, activation='softmax')` on the 784 pixels, with optional
hidden ReLU layers in front. Like lib/engine/training.py, it runs Keras' own optimizer on the
Keras model, many batches inside one compiled TensorFlow call (about 0.25 s for an epoch over
60,000 images on two cores, against about 1 s for `model.fit`), and it goes through the same
scheduler: the same queue, bound and result cache as every other training
(lib/engine/scheduler.py), then a worker process with the model pool (lib/engine/pool.py).
The pooled models are one per architecture and optimizer (weights,
optimizer slots and learning rate reset): the choices are few, so their number is bounded.
A request's work (epochs × images × parameters) is held within MNIST_BUDGET by running fewer
epochs, which the run reports. The data and the numpy side are in lib/core/mnist.py.

TensorFlow is imported inside functions only, when a training is asked for.
"""
from __future__ import annotations

import dataclasses
import math
import os
import threading
import time

import numpy as np

from lib.core.mnist import CLASSES, PIXELS, Digits, predict, run_key, train_subset
from lib.core.requests import MnistSettings
from lib.engine import jobs
from lib.engine.pool import POOL
from lib.engine.scheduler import SCHEDULER, Caller, Outcome
from lib.engine.tasks import MnistTask
from lib.engine.training import initial_weights

CHUNK_STEPS = 100  # optimizer steps per compiled call: progress is reported between calls


# ---------------------------------------------------------------------------------------------
# Results


@dataclasses.dataclass(frozen=True, eq=False)
class Run:
    """A finished training: weights, curves per epoch and the final test predictions.

    weights: ((kernel, bias), …) per Dense layer, float32. history: "loss"/"accuracy" (mean over
    the epoch's batches, as Keras reports) and "test_loss"/"test_accuracy" (after each epoch),
    one value per epoch done. test_proba: (n_test, 10) probabilities after the last epoch.
    diverged: the epoch's mean loss over the training images became NaN/infinite; the run
    stopped at the last good epoch. capped: the cost budget allowed fewer epochs than requested
    (MnistSettings.budget_epochs); epochs_allowed is what it allowed.
    """

    settings: MnistSettings
    source: str
    n_train: int
    weights: tuple
    history: dict
    test_proba: np.ndarray
    diverged: bool
    seconds: float
    capped: bool = False
    epochs_allowed: int = 0

    @property
    def epochs_done(self) -> int:
        return len(self.history["loss"])

    @property
    def test_pred(self) -> np.ndarray:
        return self.test_proba.argmax(axis=1)

    @property
    def test_accuracy(self) -> float:
        return self.history["test_accuracy"][-1] if self.epochs_done else float("nan")


# ---------------------------------------------------------------------------------------------
# Trainers: one compiled Keras model per (hidden layers, optimizer), pooled by the engine


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
            kernel, bias = initial_weights(layer.kernel.shape[0], layer.units, seed + i)
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


def _train_now(data: Digits, settings: MnistSettings, progress=None) -> Run:
    started = time.perf_counter()
    subset = train_subset(data.n_train, settings.train_size)
    epochs = settings.budget_epochs(len(subset))
    kind = ("mnist", tuple(settings.hidden), settings.optimizer)
    history = {"loss": [], "accuracy": [], "test_loss": [], "test_accuracy": []}
    diverged, proba = False, None
    train_x, train_y, test_x, test_y = _tensors(data)
    with POOL.model(kind, lambda: _Trainer(tuple(settings.hidden), settings.optimizer)) as trainer:
        trainer.reset(settings.seed, float(settings.learning_rate))
        weights = trainer.weights()
        rng = np.random.RandomState(settings.seed)
        for epoch in range(epochs):
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
                    break  # NaN/inf now means NaN/inf for the whole epoch's mean
                if progress is not None:
                    progress(epoch + min(1.0, (start + CHUNK_STEPS) / len(index)),
                             loss_sum / seen, correct / seen)
            # Divergence from the epoch's mean loss over every training image. Keras clips
            # the softmax's probabilities, so this loss stays below 16.2 and cannot climb far
            # above its start (about 2.3): NaN/inf is how a diverging network shows.
            if not math.isfinite(loss_sum):
                diverged = True
                break
            test_loss, test_accuracy, p = trainer.evaluate(test_x, test_y)
            history["loss"].append(loss_sum / seen)
            history["accuracy"].append(correct / seen)
            history["test_loss"].append(float(test_loss))
            history["test_accuracy"].append(float(test_accuracy))
            weights, proba = trainer.weights(), p.numpy()
    if proba is None:  # diverged in the first epoch: the initial weights are the last good ones
        proba = predict(weights, data.test_x.astype(np.float32) / 255.0).astype(np.float32)
    return Run(settings=settings, source=data.source, n_train=len(subset), weights=weights,
               history={k: np.asarray(v, dtype=float) for k, v in history.items()},
               test_proba=proba.astype(np.float32), diverged=diverged,
               seconds=time.perf_counter() - started, capped=epochs < settings.epochs,
               epochs_allowed=epochs)


def train(data: Digits, settings: MnistSettings, progress=None,
          caller: Caller | None = None) -> tuple[Run | None, Outcome]:
    """The run for these settings: from the shared cache, shared with an identical training, or
    trained in this call's turn (progress(epochs done as a float, running loss, running accuracy)
    is called as it goes; it defaults to caller.progress). The run is None when the caller's
    session replaced this request."""
    caller = caller or Caller()
    report = progress or caller.progress
    task = MnistTask(data, settings)
    return SCHEDULER.serve(task.key(), lambda: jobs.run(task, report), caller,
                           shared=lambda: jobs.shared(task), work=task.work())


def cached_run(data: Digits, settings: MnistSettings) -> Run | None:
    return SCHEDULER.peek(("mnist",) + run_key(data, settings))


def tensorflow_ready() -> bool:
    """Whether TensorFlow is loaded where trainings run (the first training loads it)."""
    return jobs.ready()
