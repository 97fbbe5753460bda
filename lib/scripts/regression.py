"""The runnable Keras script behind the regression page: Dense(1) with loss='mse'.

Same style and same promise as lib/scripts/logistic.py: the data written out in full (spend and sales as
exact decimals), the same features, the same initial weights and the same optimizer steps as
the page's run, so the printed parameters match the page.
"""
from __future__ import annotations

import numpy as np

from lib.scripts.logistic import OPTIMIZER_CLASSES, _fit_block
from lib.core.regression import Scaling
from lib.core.requests import TrainSpec


def exact_literal(values, per_line: int = 8, indent: str = "    ") -> str:
    """A 1-D float array as a Python list; repr() round-trips every float64 exactly."""
    items = [repr(float(v)) for v in np.asarray(values, dtype=float).ravel()]
    lines = [", ".join(items[i:i + per_line]) for i in range(0, len(items), per_line)]
    return "[\n" + ",\n".join(indent + line for line in lines) + ",\n]"


def _features_block(degree: int, scaling: Scaling) -> str:
    scaled = scaling != Scaling()
    if degree == 1 and not scaled:
        return '''

def features(spend):
    """The model's input: the spend itself, one column (x)."""
    return np.asarray(spend, dtype="float64").reshape(-1, 1).astype("float32")
'''
    if scaled:
        u_line = "u = (np.asarray(spend, dtype=\"float64\") - CENTRE) / HALF_WIDTH"
        doc = ("The model's inputs: u, u**2, ..., u**DEGREE with the spend scaled to -1..1,\n"
               "    u = (spend - CENTRE) / HALF_WIDTH, so that the powers stay small.")
    else:
        u_line = "u = np.asarray(spend, dtype=\"float64\")"
        doc = "The model's inputs: x, x**2, ..., x**DEGREE (the spend, not scaled)."
    return f'''

def features(spend):
    """{doc}"""
    {u_line}
    return np.column_stack([u ** k for k in range(1, DEGREE + 1)]).astype("float32")
'''


def regression_script(spec: TrainSpec, spend, sales, degree: int, scaling: Scaling,
                      test_spend=None, test_sales=None, budget: float | None = None) -> str:
    """A complete script that trains the page's Dense(1) regression model and prints its weights.

    spend, sales: the training data as the page holds them (float64); spec: the engine's request
    for those data (its x must be features(spend)).
    """
    optimizer = OPTIMIZER_CLASSES[spec.optimizer]
    scaled = scaling != Scaling()
    constants = f"DEGREE = {int(degree)}\n"
    if scaled:
        constants += (f"CENTRE = {float(scaling.centre)!r}  # the middle of the training spend\n"
                      f"HALF_WIDTH = {float(scaling.half_width)!r}  # half its range\n")
    if not spec.full_batch:
        constants += f"BATCH_SIZE = {spec.batch_size}\n"
    has_test = test_spend is not None and len(test_spend) > 0
    test_block = ""
    if has_test:
        test_block = f"""
# Test data: kept out of training, to measure the error on months the model has not seen.
test_spend = np.array({exact_literal(test_spend)})
test_sales = np.array({exact_literal(test_sales)})
test_x = features(test_spend)
test_t = test_sales.reshape(-1, 1).astype("float32")
"""
    if degree == 1:
        if scaled:
            report = '''slope = w[0] / HALF_WIDTH
intercept = b - w[0] * CENTRE / HALF_WIDTH
print(f"sales = {slope:.6f} * spend + {intercept:.6f}")
'''
        else:
            report = '''print(f"sales = {w[0]:.6f} * spend + {b:.6f}   (slope a = w1, intercept b)")
'''
    else:
        report = '''terms = " + ".join(f"w{k} * u**{k}" for k in range(1, DEGREE + 1))
print("sales = b + " + terms)
'''
    evaluate = 'print(f"training MSE: {model.evaluate(train_x, train_t, verbose=0):.6f}")\n'
    if has_test:
        evaluate += 'print(f"test MSE:     {model.evaluate(test_x, test_t, verbose=0):.6f}")\n'
    predict = ""
    if budget is not None:
        predict = f'''
# The slide's last step: predict the sales for the next advertising budget.
budget = {float(budget)!r}
predicted = model.predict(features([budget]), verbose=0)[0, 0]
print(f"predicted sales for a spend of {{budget}}: {{predicted:.4f}}")
'''
    model_text = ("y = b + w1*x: a straight line" if degree == 1 and not scaled else
                  f"y = b + w1*u + ... + w{degree}*u**{degree}, a polynomial of degree {degree}"
                  if degree > 1 else "y = b + w1*u with u the scaled spend: a straight line")
    return f'''"""Regression of sales on advertising spend (slides 5, 6, 9, 10), as run in ML Intro Lab.

Model: {model_text}, one Dense unit trained with the mean squared error (loss='mse').
Optimizer {optimizer}, learning rate {spec.learning_rate:g}, {spec.epochs} epochs, \
{"the whole data set per step" if spec.full_batch else f"batches of {spec.batch_size}"}.
Needs: pip install tensorflow numpy
"""
import numpy as np
import tensorflow as tf
import keras
from keras import initializers, layers, models, optimizers

SEED = {int(spec.seed)}
EPOCHS = {int(spec.epochs)}
{constants}
# Training data: advertising spend and sales, one month per position.
spend = np.array({exact_literal(spend)})
sales = np.array({exact_literal(sales)})
{_features_block(degree, scaling)}

train_x = features(spend)
train_t = sales.reshape(-1, 1).astype("float32")
{test_block}
model = models.Sequential([
    keras.Input(shape=(DEGREE,)),
    layers.Dense(1, name="regression",
                 kernel_initializer=initializers.GlorotUniform(seed=SEED)),
])
model.compile(optimizer=optimizers.{optimizer}(learning_rate={spec.learning_rate!r}),
              loss="mse", steps_per_execution=100,
              # XLA rounds a little differently; without it this script repeats the app's
              # arithmetic exactly.
              jit_compile=False)

{_fit_block(spec, int(degree))}
kernel, bias = model.get_layer("regression").get_weights()
b, w = float(bias[0]), [float(v) for v in kernel[:, 0]]
print(f"b = {{b:.6f}}")
for k, value in enumerate(w, start=1):
    print(f"w{{k}} = {{value:.6f}}")
{report}{evaluate}{predict}'''
