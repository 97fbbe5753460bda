"""Training the slides' linear models: Keras' Dense layer, thousands of epochs in a blink.

Why not the slide's `model.fit(..., epochs=5000)`: every epoch of `fit` is a Python-level step
(about 40 ms here), so 5000 epochs take minutes. The engine runs the same optimizer updates on
the same Keras model, many steps inside one compiled call, and records the weights after
every step, so the page can draw curves and animations afterwards.

Every training goes through the shared scheduler (lib/engine/scheduler.py): a fair queue
between sessions, a bound and one result cache per server; then to a worker process
(lib/engine/jobs.py), where the models are pooled.
A run diverges when the loss over the whole training set turns NaN/inf or climbs far above
its start (lib/core/losses.py), judged at the end of every epoch, never from one mini-batch.

Determinism comes from the seed in the request (initial weights, batch order), never from
process-wide seeding. TensorFlow is imported on the first training, not before.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field

import numpy as np

from lib.core import losses as whole_set
from lib.core.requests import (LOSSES, MAX_STEPS, OPTIMIZERS, TrainSpec,  # noqa: F401
                               digest_arrays, max_epochs)
from lib.engine import jobs
from lib.engine.pool import POOL
from lib.engine.scheduler import MAX_CONCURRENT, SCHEDULER, Caller  # noqa: F401
from lib.engine.tasks import DenseTask

CHUNK = 1000  # optimizer steps per compiled call: progress and divergence checks between calls


@dataclass(frozen=True, eq=False)
class TrainResult:
    """Weights after every epoch (row 0: the initial weights) and how the run ended.

    kernels: (epochs_done + 1, d, units); biases: (epochs_done + 1, units).
    diverged: the loss over the whole training set became NaN or infinite, or exploded far
    above its start, in epoch `epochs_done + 1`; the history stops at the last good epoch.
    capped: MAX_STEPS allowed fewer epochs than requested.
    """

    kernels: np.ndarray
    biases: np.ndarray
    diverged: bool
    epochs_requested: int
    seconds: float
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



def _first_bad_step(spec: TrainSpec, done: int, batch_losses, kernels, biases, start: float):
    """Index in this chunk of the first step whose weights are not finite, or that ends an
    epoch with the whole set's loss diverged; None when every step is good."""
    bad = ~(np.isfinite(kernels).all(axis=(1, 2)) & np.isfinite(biases).all(axis=1))
    spe = spec.steps_per_epoch
    ends = np.flatnonzero((np.arange(done + 1, done + len(kernels) + 1) % spe) == 0)
    if spec.full_batch:
        # Each step's loss is the whole set's, at the weights before the step: the loss at the
        # end of epoch i is the one recorded by step i + 1; only the chunk's last is computed.
        last = whole_set.dense_losses(spec.loss, kernels[-1:], biases[-1:], spec.x, spec.y)
        loss_at_ends = np.r_[batch_losses[1:], last]
    else:
        loss_at_ends = whole_set.dense_losses(spec.loss, kernels[ends], biases[ends],
                                              spec.x, spec.y)
    bad[ends] |= whole_set.diverged(loss_at_ends, start)
    return int(np.argmax(bad)) if bad.any() else None


def _train_now(spec: TrainSpec, progress=None) -> TrainResult:
    started = time.perf_counter()
    epochs = min(int(spec.epochs), max_epochs(len(spec.x), spec.batch_size))
    d, units, spe = spec.x.shape[1], spec.units, spec.steps_per_epoch
    kernel0, bias0 = initial_weights(d, units, spec.seed)
    start = float(whole_set.dense_losses(spec.loss, kernel0[None], bias0[None], spec.x, spec.y)[0])

    shape = (d, units, spec.loss, spec.optimizer)
    with POOL.model(("dense",) + shape, lambda: _Trainer(*shape)) as trainer:
        trainer.reset(kernel0, bias0, float(spec.learning_rate))
        total = epochs * spe
        batches = _batches(spec, epochs)
        step_kernels, step_biases = [kernel0[None]], [bias0[None]]
        done, kept = 0, None  # kept: the steps of the good epochs, once a run diverged
        while done < total and kept is None:
            chunk = [next(batches) for _ in range(min(CHUNK, total - done))]
            bounds = np.r_[0, np.cumsum([len(rows) for rows in chunk])].astype(np.int32)
            batch_losses, kernels, biases = (a.numpy() for a in trainer.run(
                spec.x, spec.y, np.concatenate(chunk), bounds))
            bad = _first_bad_step(spec, done, batch_losses, kernels, biases, start)
            if bad is not None:
                kept = (done + bad) // spe * spe  # every epoch before the bad step's
            step_kernels.append(kernels)
            step_biases.append(biases)
            done += len(kernels)
            if progress is not None:
                progress(min(done, total if kept is None else kept) / total)

    all_kernels = np.concatenate(step_kernels)[:None if kept is None else kept + 1]
    all_biases = np.concatenate(step_biases)[:None if kept is None else kept + 1]
    # Row 0 is the start; an epoch ends after every steps_per_epoch steps.
    per_epoch = np.arange(0, len(all_kernels), spe)
    return TrainResult(
        kernels=all_kernels[per_epoch], biases=all_biases[per_epoch], diverged=kept is not None,
        epochs_requested=int(spec.epochs), seconds=time.perf_counter() - started,
        capped=epochs < int(spec.epochs),
    )


def train(spec: TrainSpec, progress=None, use_cache: bool = True,
          caller: Caller | None = None) -> TrainResult | None:
    """The weights after every epoch: from the shared cache, shared with an identical training,
    or trained in this call's turn. None when the caller's session replaced this request
    (caller.outcome says how it was served). progress(share) defaults to caller.progress."""
    caller = caller or Caller()
    report = progress or caller.progress
    task = DenseTask(spec)
    result, _ = SCHEDULER.serve(task.key(), lambda: jobs.run(task, report), caller,
                                use_cache=use_cache, shared=lambda: jobs.shared(task),
                                work=task.work())
    return result


def split_and_train(points, split, test_fraction: float, seed: int, make_spec, curves,
                    progress=None, caller=None):
    """A lesson's run: split the points, train make_spec(training part), then
    curves(result, training part, test part), kept with the result for these parts (derived()).
    (spec, result, training part, test part, *curves), or None when the caller's session
    replaced the request."""
    train_part, test_part = split(points, test_fraction, seed)
    spec = make_spec(train_part)
    result = train(spec, progress=progress, caller=caller)
    if result is None:
        return None
    arrays = [value for part in (train_part, test_part) for value in vars(part).values()
              if isinstance(value, np.ndarray)]
    found = derived(result, ("curves", digest_arrays(*arrays)),
                    lambda: curves(result, train_part, test_part))
    return (spec, result, train_part, test_part, *found)


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
    return SCHEDULER.peek(("dense", spec.key())) is not None


def trainer_ready() -> bool:
    """Whether TensorFlow is loaded where trainings run (the first training takes seconds)."""
    return jobs.ready()
