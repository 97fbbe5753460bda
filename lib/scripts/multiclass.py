"""The runnable Keras script behind the linear multiclass page (in the style of lib/scripts/logistic.py).

It reproduces the page's run exactly: the same points, the same initial weights (a seeded
initializer), the same batch order and the same optimizer steps, so the parameters it prints
match the page's.
"""
from __future__ import annotations

import numpy as np

from lib.scripts.logistic import OPTIMIZER_CLASSES, array_literal
from lib.core.requests import TrainSpec

AXES = ("x", "y", "z")


def _fit_block(spec: TrainSpec) -> str:
    """The training call: many optimizer steps per compiled call instead of one per epoch."""
    if spec.full_batch:
        return f"""\
# model.fit(train_x, train_t, batch_size=len(train_x), epochs={spec.epochs}) would run one
# Python-level step per epoch. The same {spec.epochs} full-batch updates, run 100 at a time
# inside one compiled call (steps_per_execution):
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
    tf.TensorSpec((None, INPUTS), tf.float32), tf.TensorSpec((None, CLASSES), tf.float32)))
model.fit(dataset, epochs=1, verbose=0)
"""


def multiclass_script(spec: TrainSpec, test_x=None, test_class=None) -> str:
    """A complete script that trains the page's Dense(K) softmax classifier and prints W, b."""
    optimizer = OPTIMIZER_CLASSES[spec.optimizer]
    inputs, classes = spec.x.shape[1], spec.units
    axes = ", ".join(AXES[:inputs])
    batch_line = "" if spec.full_batch else f"BATCH_SIZE = {spec.batch_size}\n"
    train_class = np.asarray(spec.y).argmax(axis=1)
    has_test = test_x is not None and len(test_x) > 0
    test_block = evaluate = ""
    if has_test:
        test_block = f"""
test_x = np.array({array_literal(test_x)}, dtype="float32")
test_class = np.array({_int_list(test_class)})
test_t = np.eye(CLASSES, dtype="float32")[test_class]
"""
        evaluate = """test_loss, test_accuracy = model.evaluate(test_x, test_t, verbose=0)
print(f"test:  loss {test_loss:.4f}, accuracy {test_accuracy:.1%}")
"""
    terms = " + ".join(f"w{i + 1}*{a}" for i, a in enumerate(AXES[:inputs]))
    return f'''"""A linear multiclass classifier (slide 19), as run in ML Intro Lab.

{classes} classes of points ({axes}). One linear function per class,
f_k = w0 + {terms}; the softmax turns the {classes} values into probabilities and
the largest f_k gives the predicted class. Trained with the categorical cross-entropy.
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
INPUTS = {inputs}
CLASSES = {classes}
{batch_line}
# Training data: each row is a point ({axes}); its class is a number 0..{classes - 1}.
train_x = np.array({array_literal(spec.x)}, dtype="float32")
train_class = np.array({_int_list(train_class)})
# One-hot targets, as the categorical cross-entropy wants: class 2 of 4 -> [0, 0, 1, 0].
train_t = np.eye(CLASSES, dtype="float32")[train_class]
{test_block}
model = models.Sequential([
    keras.Input(shape=(INPUTS,)),
    # {classes} linear functions f_k, one per class. The slide's form is
    # Dense(CLASSES, activation='softmax') with loss='categorical_crossentropy'; here the
    # softmax is applied inside the loss instead (from_logits=True): the same model and the
    # same cross-entropy, exact even where a probability rounds to 0 or 1 in float32.
    layers.Dense(CLASSES, name="linear_multiclass",
                 kernel_initializer=initializers.GlorotUniform(seed=SEED)),
])
model.compile(optimizer=optimizers.{optimizer}(learning_rate={spec.learning_rate!r}),
              loss=losses.CategoricalCrossentropy(from_logits=True),
              metrics=[metrics.CategoricalAccuracy()],  # the largest f_k = the largest P_k
              steps_per_execution=100,
              # XLA rounds a little differently; without it this script repeats the app's
              # arithmetic exactly (RMSprop can turn a rounding difference into a whole step).
              jit_compile=False)

{_fit_block(spec)}
kernel, bias = model.get_layer("linear_multiclass").get_weights()
for k in range(CLASSES):
    coefficients = ", ".join(f"w{{i + 1}} = {{kernel[i, k]:.6f}}" for i in range(INPUTS))
    print(f"class {{k}}: w0 = {{bias[k]:.6f}}, {{coefficients}}")
train_loss, train_accuracy = model.evaluate(train_x, train_t, verbose=0)
print(f"train: loss {{train_loss:.4f}}, accuracy {{train_accuracy:.1%}}")
{evaluate}
# The probabilities of the {classes} classes for a new point, as Dense(..., activation='softmax')
# would give them:
# P = keras.activations.softmax(model(np.array([[{axes}]], dtype="float32")))
'''


def _int_list(values, per_line: int = 30) -> str:
    values = [str(int(v)) for v in np.asarray(values).ravel()]
    lines = [", ".join(values[i:i + per_line]) for i in range(0, len(values), per_line)]
    return "[\n" + ",\n".join("    " + line for line in lines) + ",\n]"
