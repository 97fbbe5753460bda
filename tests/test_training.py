"""The training engine: the same maths as model.fit, learning from any seed, threads, cache."""
import threading

import numpy as np
import pytest

from lib.core import datasets, losses
from lib.core import logistic as logistic_maths
from lib.engine import logistic
from lib.core import maths
from lib.engine import training
from lib.core.datasets import textbook_points
from lib.core.requests import TrainSpec

POINTS = textbook_points()
RATES = {"rmsprop": 0.001, "adam": 0.001, "sgd": 0.01}


def _final(result):
    return np.r_[result.final_bias, result.final_kernel.ravel()]


@pytest.mark.parametrize("optimizer", training.OPTIMIZERS)
def test_same_parameters_as_model_fit_after_200_epochs(optimizer):
    """The slide's model and fit call, started from the engine's initial weights."""
    import keras

    spec = TrainSpec(POINTS.x, POINTS.t, optimizer=optimizer, learning_rate=RATES[optimizer],
                     epochs=200, seed=3)
    kernel, bias = training.initial_weights(2, 1, 3)
    model = keras.Sequential([keras.Input(shape=(2,)),
                              keras.layers.Dense(1, activation="sigmoid",
                                                 name="logistic_regression")])
    model.set_weights([kernel, bias])
    model.compile(optimizer=keras.optimizers.get({"class_name": optimizer, "config": {
        "learning_rate": RATES[optimizer]}}), loss="binary_crossentropy")
    x, t = POINTS.x.astype("float32"), POINTS.t.astype("float32").reshape(-1, 1)
    model.fit(x, t, batch_size=len(x), epochs=200, verbose=0)
    fitted_kernel, fitted_bias = model.get_weights()
    expected = np.r_[fitted_bias, fitted_kernel.ravel()]
    assert np.allclose(_final(training.train(spec, use_cache=False)), expected, atol=1e-4)


def test_minibatches_follow_the_documented_order():
    """Batch size 8: the engine equals plain gradient steps over numpy's permutation per epoch."""
    spec = TrainSpec(POINTS.x, POINTS.t, optimizer="sgd", learning_rate=0.001, epochs=3,
                     batch_size=8, seed=5)
    kernel, bias = training.initial_weights(2, 1, 5)
    w = np.r_[bias, kernel.ravel()].astype(float)
    rng = np.random.RandomState(5)
    for _ in range(3):
        order = rng.permutation(len(POINTS))
        for start in range(0, len(order), 8):
            chosen = order[start:start + 8]
            w -= 0.001 * maths.cross_entropy_gradient(w, POINTS.x[chosen], POINTS.t[chosen])
    assert np.allclose(_final(training.train(spec, use_cache=False)), w, atol=1e-5)


@pytest.mark.parametrize("seed", range(6))
def test_the_default_run_learns_from_any_seed(seed):
    """The saturation pitfall: RMSprop, 5000 full-batch epochs, unscaled 0..30 inputs."""
    run = logistic.run(POINTS, "rmsprop", 0.001, 5000, 0, 0.0, seed)
    assert run.curves["train"][1][-1] >= 0.80
    assert run.result.epochs_done == 5000 and not run.result.diverged


def test_adam_reproduces_the_published_result():
    """Adam, 5000 full-batch epochs: the author's 30 of 35 with w near (−3.45, 0.072, 0.160)."""
    run = logistic.run(POINTS, "adam", 0.001, 5000, 0, 0.0, seed=1)
    assert round(run.curves["train"][1][-1] * 35) == 30
    assert run.final[1] == pytest.approx(0.072, abs=0.03)
    assert run.final[2] == pytest.approx(0.160, abs=0.03)


def test_a_huge_learning_rate_is_reported_as_diverged():
    result = training.train(TrainSpec(POINTS.x, POINTS.t, optimizer="sgd", learning_rate=100,
                                      epochs=5000), use_cache=False)
    assert result.diverged and result.epochs_done < 5000
    assert np.isfinite(result.kernels).all()


def test_mse_blowing_up_to_nan_stops_the_run():
    x = np.linspace(0, 1000, 20)[:, None]
    result = training.train(TrainSpec(x, 3 * x + 5, loss="mse", optimizer="sgd",
                                      learning_rate=100, epochs=1000), use_cache=False)
    assert result.diverged and np.isfinite(result.kernels).all()


def test_too_many_steps_are_capped():
    limit = training.max_epochs(35, 1)
    result = training.train(TrainSpec(POINTS.x, POINTS.t, epochs=limit + 10, batch_size=1),
                            use_cache=False)
    assert result.capped and result.epochs_done == limit


def test_eight_threads_get_what_a_lone_run_gets():
    settings = [("rmsprop", 0.001, 0, 1), ("adam", 0.01, 0, 2), ("sgd", 0.01, 0, 3),
                ("adam", 0.001, 8, 4), ("rmsprop", 0.01, 16, 5), ("sgd", 0.001, 4, 6),
                ("adam", 0.1, 0, 7), ("rmsprop", 0.0003, 0, 8)]
    specs = [TrainSpec(POINTS.x, POINTS.t, optimizer=o, learning_rate=lr, epochs=300,
                       batch_size=b, seed=s) for o, lr, b, s in settings]
    alone = [training.train(spec, use_cache=False) for spec in specs]
    together = [None] * len(specs)

    def work(i):
        together[i] = training.train(specs[i], use_cache=False)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(specs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for a, b in zip(alone, together):
        assert np.array_equal(a.kernels, b.kernels) and np.array_equal(a.biases, b.biases)


def test_identical_requests_train_once():
    spec = TrainSpec(POINTS.x, POINTS.t, optimizer="adam", learning_rate=0.003, epochs=777,
                     seed=11)
    results = []
    threads = [threading.Thread(target=lambda: results.append(training.train(spec)))
               for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(r is results[0] for r in results)
    assert training.cached(spec)


def test_the_seed_fixes_the_initial_weights():
    a, _ = training.initial_weights(2, 1, 42)
    b, _ = training.initial_weights(2, 1, 42)
    c, _ = training.initial_weights(2, 1, 43)
    assert np.array_equal(a, b) and not np.array_equal(a, c)
    limit = np.sqrt(6 / 3)  # Glorot uniform bound for 2 inputs and 1 output
    assert np.all(np.abs(a) <= limit)


def test_derived_values_live_with_their_result_and_are_read_only():
    spec = TrainSpec(POINTS.x, POINTS.t, epochs=30)
    result = training.train(spec)
    calls = []

    def compute():
        calls.append(1)
        return {"w": np.arange(3.0)}, [np.ones(2)]

    first = training.derived(result, ("x",), compute)
    again = training.derived(training.train(spec), ("x",), compute)  # the cached result
    assert again is first and len(calls) == 1
    assert not first[0]["w"].flags.writeable and not first[1][0].flags.writeable
    training.derived(result, ("y",), compute)
    assert len(calls) == 2


def test_a_cached_logistic_training_reuses_its_curves():
    points = textbook_points()
    first = logistic.run(points, "adam", 0.01, 300, 0, 0.2, seed=3)
    again = logistic.run(points, "adam", 0.01, 300, 0, 0.2, seed=3)
    assert again.curves is first.curves and again.weights is first.weights
    weights = logistic_maths.weights_table(first.result).astype(float)
    for name, part in (("train", first.train), ("test", first.test)):
        loss, acc = maths.logistic_curves(weights, part.x, part.t)
        assert np.array_equal(again.curves[name][0], loss)
        assert np.array_equal(again.curves[name][1], acc)


def test_single_point_batches_are_judged_by_the_whole_set_not_one_point():
    """500 generated points per class, batch 1, RMSprop 1e-4: one point's loss can be 1e-12 and
    the next a thousand times more, which once stopped this run as "diverged" in epoch 1."""
    points = datasets.generated_points(500, 12.0, 4.5, 1)
    result = training.train(TrainSpec(points.x, points.t, optimizer="rmsprop",
                                      learning_rate=1e-4, epochs=3, batch_size=1, seed=1),
                            use_cache=False)
    assert not result.diverged and result.epochs_done == 3
    start, end = losses.dense_losses("binary", result.kernels[[0, -1]], result.biases[[0, -1]],
                                     points.x, points.t)
    assert end < start  # it learned


def test_a_huge_learning_rate_with_mini_batches_is_still_diverged():
    points = datasets.generated_points(50, 12.0, 4.5, 2)
    result = training.train(TrainSpec(points.x, points.t, optimizer="sgd", learning_rate=100,
                                      epochs=200, batch_size=1, seed=3), use_cache=False)
    assert result.diverged and result.epochs_done < 200
    assert np.isfinite(result.kernels).all()
    # the epochs kept are the good ones: the whole set's loss stayed below the ceiling there
    kept = losses.dense_losses("binary", result.kernels, result.biases, points.x, points.t)
    assert not losses.diverged(kept, kept[0]).any()


def test_the_whole_set_losses_match_their_definitions():
    rng = np.random.RandomState(0)
    x = rng.normal(size=(30, 2))
    kernels, biases = rng.normal(size=(4, 2, 1)), rng.normal(size=(4, 1))
    t = (rng.uniform(size=30) > 0.5).astype(float)
    f = np.einsum("nd,edk->enk", x, kernels)[..., 0] + biases
    p = 1 / (1 + np.exp(-f))
    expected = -(t * np.log(p) + (1 - t) * np.log(1 - p)).mean(axis=1)
    assert np.allclose(losses.dense_losses("binary", kernels, biases, x, t), expected)
    assert np.allclose(losses.dense_losses("mse", kernels, biases, x, t),
                       ((f - t) ** 2).mean(axis=1))
    kernels3, biases3 = rng.normal(size=(2, 2, 3)), rng.normal(size=(2, 3))
    c = rng.randint(0, 3, 30)
    got = losses.dense_losses("categorical", kernels3, biases3, x, np.eye(3)[c])
    for e in range(2):
        f3 = x @ kernels3[e] + biases3[e]
        p3 = np.exp(f3) / np.exp(f3).sum(axis=1, keepdims=True)
        assert got[e] == pytest.approx(-np.log(p3[np.arange(30), c]).mean())
    assert losses.diverged([1.0, np.nan, np.inf, 101.0, 102.0], 1.0).tolist() == [
        False, True, True, False, True]
