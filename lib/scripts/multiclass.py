"""The linear multiclass page's script (slide 30), in the slide's form and the fast one.

Same template and same promise as the other lessons (lib/scripts/template.py): the same points,
the same initial weights, the same batch order and the same optimizer steps, so the parameters
it prints match the page's.
"""
from __future__ import annotations

import numpy as np

from lib.core.requests import TrainSpec
from lib.scripts import template
from lib.scripts.template import array_literal, int_list

AXES = ("x", "y", "z")


def multiclass_script(spec: TrainSpec, test_x=None, test_class=None, form: str = "slide") -> str:
    """A complete script that trains the page's Dense(K) softmax classifier and prints W, b."""
    inputs, classes = spec.x.shape[1], spec.units
    fit = template.Fit(int(spec.epochs), int(spec.batch_size), len(spec.x), inputs, classes)
    axes = ", ".join(AXES[:inputs])
    has_test = test_x is not None and len(test_x) > 0
    data = f"""# Training data: each row is a point ({axes}); its class is a number 0..{classes - 1}.
train_x = np.array({array_literal(spec.x)}, dtype="float32")
train_class = np.array({int_list(np.asarray(spec.y).argmax(axis=1))})
# One-hot targets, as the categorical cross-entropy wants: class 2 of 4 -> [0, 0, 1, 0].
train_t = np.eye(CLASSES, dtype="float32")[train_class]
"""
    if has_test:
        data += f"""test_x = np.array({array_literal(test_x)}, dtype="float32")
test_class = np.array({int_list(test_class)})
test_t = np.eye(CLASSES, dtype="float32")[test_class]
"""
    terms = " + ".join(f"w{i + 1}*{a}" for i, a in enumerate(AXES[:inputs]))
    about = (f"{classes} classes of points ({axes}). One linear function per class,\n"
             f"f_k = w0 + {terms}; the softmax turns the {classes} values into probabilities and\n"
             "the largest f_k gives the predicted class. Trained with the categorical "
             "cross-entropy.\n" + template.settings_line(spec.optimizer, spec.learning_rate, fit))
    model = template.model_block("INPUTS", [template.dense("CLASSES", "softmax",
                                                           "linear_multiclass")], (
        "CLASSES linear functions f_k and the softmax. Keras computes the cross-entropy from the\n"
        "# f_k themselves (the logits it keeps on a softmax output): exact even where a\n"
        "# probability rounds to 0 or 1 in float32."))
    report = """kernel, bias = model.get_layer("linear_multiclass").get_weights()
for k in range(CLASSES):
    coefficients = ", ".join(f"w{i + 1} = {kernel[i, k]:.6f}" for i in range(INPUTS))
    print(f"class {k}: w0 = {bias[k]:.6f}, {coefficients}")
"""
    report += template.evaluate_block(has_test)
    report += f"""
# The probabilities of the {classes} classes for a new point:
# P = model.predict(np.array([[{axes}]], dtype="float32"))
"""
    return template.assemble(
        template.header(form, "A linear multiclass classifier (slide 30)", about,
                        "tensorflow numpy", fit),
        template.constants(spec.seed, fit, INPUTS=inputs, CLASSES=classes),
        data,
        model,
        template.compile_block(form, spec.optimizer, spec.learning_rate,
                               "categorical_crossentropy"),
        template.fit_block(form, fit),
        report)


def scripts(spec: TrainSpec, test_x=None, test_class=None) -> template.Scripts:
    """Both forms, the slide's first."""
    fit = template.Fit(int(spec.epochs), int(spec.batch_size), len(spec.x), 0, 0)
    return template.both(lambda form: multiclass_script(spec, test_x, test_class, form), fit)
