"""The code panel's scripts, run with plain Python, give the page's parameters (to 1e-4).

Both forms: the slide's (`model.fit(x, t, batch_size=len(x), epochs=N)`) and the fast one.
"""
import re

import numpy as np
import pytest

from lib.scripts import logistic as codegen
from lib.scripts import template
from lib.engine import logistic
from lib.core.datasets import textbook_points


def _run_script(run_script, source: str, tmp_path) -> np.ndarray:
    done = run_script(source, tmp_path, "logistic_regression.py")
    assert done.returncode == 0, done.stderr[-3000:]
    found = re.search(r"w0 = (\S+), w1 = (\S+), w2 = (\S+)", done.stdout)
    accuracy = re.search(r"train: loss \S+, accuracy (\S+)%", done.stdout)
    return np.array([float(v) for v in found.groups()]), float(accuracy.group(1))


@pytest.mark.parametrize("form, optimizer, rate, epochs, batch, test", [
    ("fast", "rmsprop", 0.001, 5000, 0, 0.0),  # the page's default run
    ("slide", "rmsprop", 0.001, 100, 0, 0.0),  # the slide's code, fewer epochs
    ("slide", "adam", 0.01, 30, 8, 0.2),  # mini-batches in the page's order, a test split
    ("fast", "adam", 0.01, 30, 8, 0.2),
])
def test_script_reproduces_the_page(run_script, tmp_path, form, optimizer, rate, epochs, batch,
                                    test):
    run = logistic.run(textbook_points(), optimizer, rate, epochs, batch, test, seed=2)
    source = codegen.logistic_script(run.spec, run.test.x if len(run.test) else None,
                                     run.test.t if len(run.test) else None, form=form)
    compile(source, "logistic_regression.py", "exec")
    assert "logistic_regression" in source and "loss='binary_crossentropy'" in source
    if form == "slide":
        assert "activation='sigmoid'" in source and "steps_per_execution" not in source
        if batch == 0:
            assert "model.fit(train_x, train_t, batch_size=len(train_x), epochs=EPOCHS" in source
    else:
        assert "steps_per_execution=100" in source
    weights, accuracy = _run_script(run_script, source, tmp_path)
    assert np.allclose(weights, run.final, atol=1e-4)
    assert accuracy == pytest.approx(100 * run.curves["train"][1][-1], abs=0.06)


def test_both_forms_are_offered_with_their_times():
    points = textbook_points()
    spec = logistic.make_spec(points, "rmsprop", 0.001, 5000, 0, 1)
    scripts = codegen.scripts(spec)
    assert list(scripts.forms) == ["slide", "fast"]
    # The slide's 5000 Python-level steps take minutes, the fast form a few seconds at most;
    # each script says so in its docstring.
    assert scripts.seconds["slide"] > 60 > 10 * scripts.seconds["fast"]
    for form, text in scripts.forms.items():
        assert f"about {template._duration(scripts.seconds[form])}" in text


def test_array_literal_round_trips_float32():
    values = np.random.RandomState(0).normal(0, 10, (7, 2)).astype(np.float32)
    literal = template.array_literal(values)
    assert np.array_equal(np.array(eval(literal), dtype=np.float32), values)
