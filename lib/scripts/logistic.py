"""Runnable Keras scripts for the current settings: the code behind what a page shows.

The script reads like the slide (Sequential, Dense, compile, fit) and reproduces the page's run
exactly: the same data (written out in full), the same initial weights (a seeded initializer),
the same batch order and the same optimizer steps. Only the fit call differs from the slide's
`epochs=5000` loop, and a comment says why.
"""
from __future__ import annotations

import numpy as np

from lib.core.requests import TrainSpec

OPTIMIZER_CLASSES = {"rmsprop": "RMSprop", "adam": "Adam", "sgd": "SGD"}


def array_literal(values, per_line: int = 3, indent: str = "    ") -> str:
    """Rows of a 2-D array as Python list syntax; 9 significant digits round-trip float32."""
    rows = [("[" + ", ".join(f"{float(v):.9g}" for v in np.atleast_1d(row)) + "]")
            for row in np.asarray(values, dtype=np.float32)]
    lines = [", ".join(rows[i:i + per_line]) for i in range(0, len(rows), per_line)]
    return "[\n" + ",\n".join(indent + line for line in lines) + ",\n]"


def _fit_block(spec: TrainSpec, inputs: int) -> str:
    """The training call: many optimizer steps per compiled call instead of one per epoch."""
    if spec.full_batch:
        return f"""\
# The slide writes model.fit(train_x, train_t, batch_size=len(train_x), epochs={spec.epochs}),
# which runs one Python-level step per epoch. The same {spec.epochs} full-batch updates, run
# 100 at a time inside one compiled call (steps_per_execution):
dataset = tf.data.Dataset.from_tensors((train_x, train_t)).repeat(EPOCHS)
model.fit(dataset, epochs=1, verbose=0)
"""
    return f"""\
# Mini-batches of {spec.batch_size}: the points are shuffled before each epoch with numpy's
# RandomState(SEED), as the app does, and the last batch of an epoch may be smaller.
rng = np.random.RandomState(SEED)


def batches():
    for epoch in range(EPOCHS):
        order = rng.permutation(len(train_x))
        for start in range(0, len(order), BATCH_SIZE):
            chosen = order[start:start + BATCH_SIZE]
            yield train_x[chosen], train_t[chosen]


dataset = tf.data.Dataset.from_generator(batches, output_signature=(
    tf.TensorSpec((None, {inputs}), tf.float32), tf.TensorSpec((None, 1), tf.float32)))
model.fit(dataset, epochs=1, verbose=0)
"""


def logistic_script(spec: TrainSpec, test_x=None, test_t=None) -> str:
    """A complete script that trains the logistic-regression model of the page and prints w."""
    optimizer = OPTIMIZER_CLASSES[spec.optimizer]
    batch_line = "" if spec.full_batch else f"BATCH_SIZE = {spec.batch_size}\n"
    has_test = test_x is not None and len(test_x) > 0
    test_block = ""
    if has_test:
        test_block = f"""
test_x = np.array({array_literal(test_x)}, dtype="float32")
test_t = np.array({array_literal(np.asarray(test_t).reshape(-1, 1), per_line=12)}, dtype="float32")
"""
    evaluate = ""
    if has_test:
        evaluate = """test_loss, test_accuracy = model.evaluate(test_x, test_t, verbose=0)
print(f"test:  loss {test_loss:.4f}, accuracy {test_accuracy:.1%}")
"""
    return f'''"""Logistic regression on points in the plane (slides 11-18), as run in ML Intro Lab.

Model: P(x, y) = sigmoid(w0 + w1*x + w2*y), trained with the binary cross-entropy.
Optimizer {optimizer}, learning rate {spec.learning_rate:g}, {spec.epochs} epochs, \
{"the whole data set per step" if spec.full_batch else f"batches of {spec.batch_size}"}.
Needs: pip install tensorflow numpy
"""
import numpy as np
import tensorflow as tf
import keras
from keras import initializers, layers, losses, metrics, models, optimizers

SEED = {int(spec.seed)}
EPOCHS = {int(spec.epochs)}
{batch_line}
# Training data: each row is a point (x, y); the label t is 1 for a circle, 0 for a cross.
train_x = np.array({array_literal(spec.x)}, dtype="float32")
train_t = np.array({array_literal(spec.y, per_line=12)}, dtype="float32")
{test_block}
model = models.Sequential([
    keras.Input(shape=(2,)),
    # f(x, y) = w0 + w1*x + w2*y. The slide writes Dense(1, activation='sigmoid') with
    # loss='binary_crossentropy'; here the sigmoid is applied inside the loss instead
    # (from_logits=True), which stays exact where sigmoid(f) rounds to 1.0 in float32 and
    # would otherwise stop the learning with a zero gradient.
    layers.Dense(1, name="logistic_regression",
                 kernel_initializer=initializers.GlorotUniform(seed=SEED)),
])
model.compile(optimizer=optimizers.{optimizer}(learning_rate={spec.learning_rate!r}),
              loss=losses.BinaryCrossentropy(from_logits=True),
              metrics=[metrics.BinaryAccuracy(threshold=0.0)],  # f > 0  <=>  P > 0.5
              steps_per_execution=100,
              # XLA rounds a little differently; without it this script repeats the app's
              # arithmetic exactly (RMSprop can turn a rounding difference into a whole step).
              jit_compile=False)

{_fit_block(spec, 2)}
kernel, bias = model.get_layer("logistic_regression").get_weights()
w0, w1, w2 = bias[0], kernel[0, 0], kernel[1, 0]
print(f"w0 = {{w0:.6f}}, w1 = {{w1:.6f}}, w2 = {{w2:.6f}}")
train_loss, train_accuracy = model.evaluate(train_x, train_t, verbose=0)
print(f"train: loss {{train_loss:.4f}}, accuracy {{train_accuracy:.1%}}")
{evaluate}
# The probability that a new point (x, y) is a circle:
# P = keras.activations.sigmoid(model(np.array([[x, y]], dtype="float32")))
'''
