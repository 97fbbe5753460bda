"""The regression page's script (slides 15–16): Dense(1) with loss='mse', in both forms.

Same template and same promise as the other lessons (lib/scripts/template.py): the data written
out in full (spend and sales as exact decimals), the same features, the same initial weights
and the same optimizer steps as the page's run, so the printed parameters match the page.
"""
from __future__ import annotations

from lib.core.regression import Scaling
from lib.core.requests import TrainSpec
from lib.scripts import template
from lib.scripts.template import exact_literal

TITLE = "Regression of sales on advertising spend (slides 15-16)"


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
                      test_spend=None, test_sales=None, budget: float | None = None,
                      form: str = "slide") -> str:
    """A complete script that trains the page's Dense(1) regression model and prints its weights.

    spend, sales: the training data as the page holds them (float64); spec: the engine's request
    for those data (its x must be features(spend)).
    """
    fit = template.Fit(int(spec.epochs), int(spec.batch_size), len(spec.x), int(degree), 1)
    scaled = scaling != Scaling()
    more = {"DEGREE": int(degree)}
    if scaled:
        more["CENTRE"] = f"{float(scaling.centre)!r}  # the middle of the training spend"
        more["HALF_WIDTH"] = f"{float(scaling.half_width)!r}  # half its range"
    has_test = test_spend is not None and len(test_spend) > 0
    data = f"""# Training data: advertising spend and sales, one month per position.
spend = np.array({exact_literal(spend)})
sales = np.array({exact_literal(sales)})
{_features_block(degree, scaling)}

train_x = features(spend)
train_t = sales.reshape(-1, 1).astype("float32")
"""
    if has_test:
        data += f"""
# Test data: kept out of training, to measure the error on months the model has not seen.
test_spend = np.array({exact_literal(test_spend)})
test_sales = np.array({exact_literal(test_sales)})
test_x = features(test_spend)
test_t = test_sales.reshape(-1, 1).astype("float32")
"""
    model_text = ("y = b + w1*x: a straight line" if degree == 1 and not scaled else
                  f"y = b + w1*u + ... + w{degree}*u**{degree}, a polynomial of degree {degree}"
                  if degree > 1 else "y = b + w1*u with u the scaled spend: a straight line")
    about = (f"Model: {model_text}, one Dense unit trained with the mean squared error "
             f"(loss='mse').\n" + template.settings_line(spec.optimizer, spec.learning_rate, fit))
    return template.assemble(
        template.header(form, TITLE, about, "tensorflow numpy", fit),
        template.constants(spec.seed, fit, **more),
        data,
        template.model_block("DEGREE", [template.dense(1, None, "regression")]),
        template.compile_block(form, spec.optimizer, spec.learning_rate, "mse", metrics=""),
        template.fit_block(form, fit),
        _report(degree, scaled, has_test, budget))


def _report(degree: int, scaled: bool, has_test: bool, budget: float | None) -> str:
    report = """kernel, bias = model.get_layer("regression").get_weights()
b, w = float(bias[0]), [float(v) for v in kernel[:, 0]]
print(f"b = {b:.6f}")
for k, value in enumerate(w, start=1):
    print(f"w{k} = {value:.6f}")
"""
    if degree == 1 and scaled:
        report += """slope = w[0] / HALF_WIDTH
intercept = b - w[0] * CENTRE / HALF_WIDTH
print(f"sales = {slope:.6f} * spend + {intercept:.6f}")
"""
    elif degree == 1:
        report += """print(f"sales = {w[0]:.6f} * spend + {b:.6f}   (slope a = w1, intercept b)")
"""
    else:
        report += """terms = " + ".join(f"w{k} * u**{k}" for k in range(1, DEGREE + 1))
print("sales = b + " + terms)
"""
    report += 'print(f"training MSE: {model.evaluate(train_x, train_t, verbose=0):.6f}")\n'
    if has_test:
        report += 'print(f"test MSE:     {model.evaluate(test_x, test_t, verbose=0):.6f}")\n'
    if budget is not None:
        report += f"""
# The slide's last step: predict the sales for the next advertising budget.
budget = {float(budget)!r}
predicted = model.predict(features([budget]), verbose=0)[0, 0]
print(f"predicted sales for a spend of {{budget}}: {{predicted:.4f}}")
"""
    return report


def scripts(spec: TrainSpec, spend, sales, degree: int, scaling: Scaling, test_spend=None,
            test_sales=None, budget: float | None = None) -> template.Scripts:
    """Both forms, the slide's first."""
    fit = template.Fit(int(spec.epochs), int(spec.batch_size), len(spec.x), 0, 0)
    return template.both(lambda form: regression_script(
        spec, spend, sales, degree, scaling, test_spend, test_sales, budget, form), fit)
