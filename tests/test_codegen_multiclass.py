"""The multiclass page's scripts (slide form and fast form), run with plain Python, give the
page's parameters (to 1e-4)."""
import re

import numpy as np
import pytest

from lib.scripts import multiclass as codegen_multiclass
from lib.engine import multiclass
from lib.core import multiclass_data


def _run_script(run_script, source: str, tmp_path) -> np.ndarray:
    done = run_script(source, tmp_path, "linear_multiclass.py")
    assert done.returncode == 0, done.stderr[-3000:]
    rows = re.findall(r"class (\d+): w0 = (\S+), (.*)", done.stdout)
    table = []
    for k, (number, w0, rest) in enumerate(rows):
        assert int(number) == k
        table.append([float(w0)] + [float(v) for v in re.findall(r"w\d = (\S+?)(?:,|$)", rest)])
    return np.array(table)


@pytest.mark.parametrize("form, k, dim, optimizer, rate, epochs, batch, test", [
    ("fast", 3, 2, "adam", 0.01, 2000, 0, 0.0),  # the page's default run
    ("slide", 3, 2, "adam", 0.01, 60, 0, 0.0),  # the slide's form, fewer epochs
    ("slide", 4, 2, "rmsprop", 0.003, 30, 16, 0.25),  # mini-batches and a test split
    ("fast", 4, 2, "rmsprop", 0.003, 30, 16, 0.25),
    ("fast", 4, 3, "sgd", 0.001, 300, 0, 0.0),  # the 3-D example's shape
])
def test_script_reproduces_the_page(run_script, tmp_path, form, k, dim, optimizer, rate, epochs,
                                    batch, test):
    points = multiclass_data.generated_points(k, 15, 3.0, 2, dim=dim)
    run = multiclass.run(points, optimizer, rate, epochs, batch, test, seed=3)
    test_part = run.test if len(run.test) else None
    source = codegen_multiclass.multiclass_script(
        run.spec, test_part.x if test_part else None, test_part.c if test_part else None,
        form=form)
    compile(source, "linear_multiclass.py", "exec")
    assert ("steps_per_execution" in source) == (form == "fast")
    assert "Dense(CLASSES" in source and "activation='softmax'" in source
    assert ("test_x = np.array" in source) == (test_part is not None)
    assert np.allclose(_run_script(run_script, source, tmp_path), run.parameters(), atol=1e-4)
