"""The logistic-regression page's script (slides 27–29), in the slide's form and the fast one.

Both reproduce the page's run: the same data (written out in full), the same initial weights
(a seeded initializer), the same batch order and the same optimizer steps.
"""
from __future__ import annotations

import numpy as np

from lib.core.requests import TrainSpec
from lib.scripts import template
from lib.scripts.template import array_literal

TITLE = "Logistic regression on points in the plane (slides 19-29)"


def fit_of(spec: TrainSpec) -> template.Fit:
    return template.Fit(int(spec.epochs), int(spec.batch_size), len(spec.x), 2, 1)


def logistic_script(spec: TrainSpec, test_x=None, test_t=None, form: str = "slide") -> str:
    """A complete script that trains the page's logistic-regression model and prints w."""
    fit = fit_of(spec)
    has_test = test_x is not None and len(test_x) > 0
    data = f"""# Training data: each row is a point (x, y); the label t is 1 for a circle, 0 for a cross.
train_x = np.array({array_literal(spec.x)}, dtype="float32")
train_t = np.array({array_literal(spec.y, per_line=12)}, dtype="float32")
"""
    if has_test:
        data += f"""test_x = np.array({array_literal(test_x)}, dtype="float32")
test_t = np.array({array_literal(np.asarray(test_t).reshape(-1, 1), per_line=12)}, dtype="float32")
"""
    about = ("Model: P(x, y) = sigmoid(w0 + w1*x + w2*y), trained with the binary cross-entropy.\n"
             + template.settings_line(spec.optimizer, spec.learning_rate, fit))
    model = template.model_block(2, [template.dense(1, "sigmoid", "logistic_regression")], (
        "P(x, y) = sigmoid(w0 + w1*x + w2*y). Keras computes binary_crossentropy from f itself\n"
        "# (the logits it keeps on a sigmoid output), so the gradient stays exact even for\n"
        "# points whose sigmoid(f) rounds to 1.0 in float32."))
    report = """kernel, bias = model.get_layer("logistic_regression").get_weights()
w0, w1, w2 = bias[0], kernel[0, 0], kernel[1, 0]
print(f"w0 = {w0:.6f}, w1 = {w1:.6f}, w2 = {w2:.6f}")
"""
    report += template.evaluate_block(has_test)
    report += """
# The probability that a new point (x, y) is a circle:
# P = model.predict(np.array([[x, y]], dtype="float32"))
"""
    return template.assemble(
        template.header(form, TITLE, about, "tensorflow numpy", fit),
        template.constants(spec.seed, fit),
        data,
        model,
        template.compile_block(form, spec.optimizer, spec.learning_rate, "binary_crossentropy"),
        template.fit_block(form, fit),
        report)


def scripts(spec: TrainSpec, test_x=None, test_t=None) -> template.Scripts:
    """Both forms, the slide's first."""
    return template.both(lambda form: logistic_script(spec, test_x, test_t, form), fit_of(spec))
