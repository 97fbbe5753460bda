"""The code panel's script, run with plain Python, gives the page's parameters (to 1e-4)."""
import re
import subprocess
import sys

import numpy as np
import pytest

from lib.scripts import logistic as codegen
from lib.engine import logistic
from lib.core.datasets import textbook_points


def _run_script(source: str, tmp_path) -> np.ndarray:
    path = tmp_path / "logistic_regression.py"
    path.write_text(source, encoding="utf-8")
    done = subprocess.run([sys.executable, str(path)], capture_output=True, text=True,
                          timeout=600, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    found = re.search(r"w0 = (\S+), w1 = (\S+), w2 = (\S+)", done.stdout)
    return np.array([float(v) for v in found.groups()])


@pytest.mark.parametrize("optimizer, rate, epochs, batch, test", [
    ("rmsprop", 0.001, 5000, 0, 0.0),  # the page's default run
    ("adam", 0.01, 40, 8, 0.2),  # mini-batches and a test split
])
def test_script_reproduces_the_page(tmp_path, optimizer, rate, epochs, batch, test):
    run = logistic.run(textbook_points(), optimizer, rate, epochs, batch, test, seed=2)
    source = codegen.logistic_script(run.spec, run.test.x if len(run.test) else None,
                                     run.test.t if len(run.test) else None)
    compile(source, "logistic_regression.py", "exec")
    assert "Dense(1" in source and "logistic_regression" in source
    assert np.allclose(_run_script(source, tmp_path), run.final, atol=1e-4)


def test_array_literal_round_trips_float32():
    values = np.random.RandomState(0).normal(0, 10, (7, 2)).astype(np.float32)
    literal = codegen.array_literal(values)
    assert np.array_equal(np.array(eval(literal), dtype=np.float32), values)
