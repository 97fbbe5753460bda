"""The regression page's scripts (slide form and fast form), run with plain Python, print the
engine's parameters (1e-4)."""
import re

import numpy as np
import pytest

from lib.core import regression
from lib.engine import regression as regression_engine
from lib.scripts import regression as codegen_regression
from lib.scripts import template


def _run_script(run_script, source: str, tmp_path):
    done = run_script(source, tmp_path, "regression.py")
    assert done.returncode == 0, done.stderr[-3000:]
    b = float(re.search(r"^b = (\S+)$", done.stdout, re.M).group(1))
    w = [float(v) for v in re.findall(r"^w\d+ = (\S+)$", done.stdout, re.M)]
    predicted = float(re.search(r"predicted sales for a spend of \S+: (\S+)", done.stdout).group(1))
    return np.array([b, *w]), predicted, done.stdout


@pytest.mark.parametrize("form, degree, scale, test, optimizer, rate, epochs, batch", [
    ("fast", 1, False, 0.0, "adam", 0.1, 1000, 0),  # the page's default run: the slide's line
    ("slide", 1, False, 0.0, "adam", 0.1, 50, 0),  # the slide's form, fewer epochs
    ("slide", 3, True, 0.3, "sgd", 0.3, 40, 4),  # scaled polynomial, mini-batches, test data
    ("fast", 3, True, 0.3, "sgd", 0.3, 40, 4),
    ("fast", 2, True, 0.0, "rmsprop", 0.01, 300, 0),
])
def test_script_reproduces_the_page(run_script, tmp_path, form, degree, scale, test, optimizer,
                                    rate, epochs, batch):
    data = regression.generated(20, 3.0, 10.0, 3.0, 1)
    run = regression_engine.run(data, degree, scale, test, optimizer, rate, epochs, batch, seed=2)
    source = codegen_regression.regression_script(
        run.spec, run.train.x, run.train.y, degree, run.scaling,
        run.test.x if len(run.test) else None, run.test.y if len(run.test) else None,
        budget=12.0, form=form)
    compile(source, "regression.py", "exec")
    assert "layers.Dense(1" in source and "loss='mse'" in source
    assert ("steps_per_execution" in source) == (form == "fast")
    weights, predicted, output = _run_script(run_script, source, tmp_path)
    assert np.allclose(weights, run.final, atol=1e-4), (weights, run.final)
    assert predicted == pytest.approx(run.predict([12.0])[0], abs=1e-3)
    if degree == 1 and not scale:
        assert "sales = " in output and "(slope a = w1, intercept b)" in output
    if len(run.test):
        assert "test MSE" in output


def test_data_are_written_exactly():
    values = np.array([0.1, 1 / 3, 12345.678901234567, -2e-7])
    literal = template.exact_literal(values)
    assert np.array_equal(np.array(eval(literal)), values)
