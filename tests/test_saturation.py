"""σ(f) = 1.0 in float32, the loss written on the clipped P, and the page that compares them.

References: a float64 finite difference of the clipped cross-entropy (for the numpy gradient),
and that numpy gradient (for the engine's one SGD step with each loss).
"""
import numpy as np
import pytest

from conftest import app_test, assert_clean
from lib.core import saturation
from lib.core.datasets import textbook_points
from lib.engine import training
from lib.ui import i18n


def _clipped_loss64(w, x, t):
    """The mean cross-entropy on P clipped to [ε, 1 − ε], in float64."""
    f = w[0] + x @ w[1:]
    p = np.clip(1 / (1 + np.exp(-f)), saturation.EPSILON, 1 - saturation.EPSILON)
    return -np.mean(t * np.log(p) + (1 - t) * np.log(1 - p))


def _start(seed=1):
    kernel, bias = training.initial_weights(2, 1, seed)
    return np.r_[bias[0], kernel[:, 0]].astype(np.float64)


def test_float32_rounds_sigma_to_one_past_16_6():
    f = np.array([16.0, 16.5, 16.7, 30.0, -30.0, -104.0], dtype=np.float32)
    p = saturation.probability(f)
    assert p[0] < 1 and p[1] < 1 and p[2] == 1 and p[3] == 1
    assert saturation.saturated(f).tolist() == [False, False, True, True, False, True]
    # On the 0 side the clip acts long before the rounding: σ(−30) ≈ 1e-13 is below 1e-7.
    assert saturation.clipped(f).tolist() == [False, False, True, True, True, True]


def test_clipped_gradient_is_the_derivative_of_the_clipped_loss():
    """Against float64 finite differences, at weights where no point sits in the narrow band
    (16.1 < |f| < 16.7) where float32 and float64 disagree about the clip."""
    points = textbook_points()
    x, t = points.x.astype(float), points.t.ravel().astype(float)
    tested = 0
    for w in [_start(seed) for seed in range(1, 10)] + [np.array([-3.45, 0.072, 0.160])]:
        f = np.abs(w[0] + x @ w[1:])
        if ((f > 16.0) & (f < 16.8)).any():
            continue
        h = 1e-6
        numeric = np.array([(_clipped_loss64(w + h * e, x, t) - _clipped_loss64(w - h * e, x, t))
                            / (2 * h) for e in np.eye(3)])
        assert np.allclose(saturation.gradient(w, x, t, clip=True), numeric, rtol=1e-4,
                           atol=1e-6)
        tested += int(saturation.clipped(saturation.linear(w, x)).any())
    assert tested >= 3  # of them with points the clip silences


def test_the_clip_loses_the_gradient_of_the_wrong_saturated_points():
    points = textbook_points()
    w = _start(1)  # the page's default seed: 7 of 35 points at σ(f) = 1.0
    f = saturation.linear(w, points.x)
    assert saturation.saturated(f).sum() == 7
    wrong = saturation.clipped(f) & ((f > 0) != (points.t.ravel() > 0.5))
    assert wrong.sum() == 2
    exact = saturation.gradient(w, points.x, points.t)
    clipped = saturation.gradient(w, points.x, points.t, clip=True)
    # What is lost is exactly the wrong points' share (p − t = ±1 each) and the right ones' ~0.
    x = points.x.astype(float)
    design = np.c_[np.ones(len(x)), x]
    lost = (saturation.probability(f)[wrong] - points.t.ravel()[wrong]) @ design[wrong]
    assert np.allclose(exact - clipped, lost / len(x), atol=1e-6)
    assert 0.1 < saturation.lost_share(w, points.x, points.t) < 0.3


@pytest.mark.parametrize("loss, clip", [("binary", False), ("binary_clipped", True)])
def test_engine_step_follows_the_numpy_gradient(loss, clip):
    """One full-batch SGD step with learning rate 1: w1 = w0 − ∇E of that loss."""
    points = textbook_points()
    spec = training.TrainSpec(points.x, points.t, loss=loss, optimizer="sgd", learning_rate=1.0,
                              epochs=1, seed=1)
    result = training.train(spec, use_cache=False)
    before = np.r_[result.biases[0], result.kernels[0][:, 0]]
    after = np.r_[result.biases[1], result.kernels[1][:, 0]]
    expected = saturation.gradient(before, points.x, points.t, clip=clip)
    assert np.allclose(before - after, expected, rtol=1e-4, atol=1e-5)
    other = saturation.gradient(before, points.x, points.t, clip=not clip)
    assert not np.allclose(before - after, other, rtol=1e-3, atol=1e-3)


def test_logistic_page_compares_the_two_losses_when_asked():
    at = app_test("logistic", {"lang": "en", "clip": "1", "opt": "sgd", "lr": "0.0001",
                               "epochs": "1000", "iseed": "13"})
    assert_clean(at)
    assert at.toggle(key="logistic.clip").value is True
    tables = [t.value for t in at.dataframe]
    labels = [i18n.t(f"logistic.clip_row_{row}", lang="en") for row in ("keras", "clipped")]
    table = next(t for t in tables if list(t[""]) == labels)
    exact, clipped = table.iloc[0], table.iloc[1]
    assert exact[i18n.t("logistic.clip_lost", lang="en")] == "0%"
    assert int(clipped[i18n.t("logistic.clip_no_gradient_start", lang="en")]) > 0
    # With SGD the lost gradient shows: the clipped run ends with a clearly higher E.
    assert float(clipped["E"]) > 1.5 * float(exact["E"])
    assert at.query_params["clip"] == "1"  # the switch is part of the link


def test_switch_is_off_by_default_and_turns_on():
    at = app_test("logistic", {"lang": "en"})
    assert_clean(at)
    label = i18n.t("logistic.clip_row_clipped", lang="en")
    assert at.toggle(key="logistic.clip").value is False
    assert not any(label in list(t.value.get("", [])) for t in at.dataframe)
    at.toggle(key="logistic.clip").set_value(True).run()
    assert_clean(at)
    assert any(label in list(t.value.get("", [])) for t in at.dataframe)
    assert at.query_params["clip"] == "1"
