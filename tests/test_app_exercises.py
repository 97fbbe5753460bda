"""AppTest: every exercise solved through the page's own widgets and marked solved; wrong
attempts show their feedback; the progress written for the browser is the session's."""
import os

import numpy as np
import pytest

from conftest import app_test, assert_clean
from lib.core import datasets, maths
from lib.core.exercises import ALL, base
from lib.core.exercises.base import Attempt
from lib.core import mnist as mnist_core
from lib.engine import mnist as mnist_engine
from lib.core import regression as regression_core
from lib.core import regression_data
from lib.ui import exercise_panel, i18n

os.environ.setdefault(mnist_core.OFFLINE_ENV, "1")


def _page(page):
    at = app_test(page, {"lang": "en"})
    assert_clean(at)
    return at


def _variant(at, exercise_id):
    return ALL[exercise_id].variant_for(at.session_state["_exercises.browser"])


def _label(at, exercise_id):
    title = i18n.t(ALL[exercise_id].key("title"), lang="en")
    title = title.split("{")[0]  # titles with numbers: their fixed start is enough
    return next(e.label for e in at.expander if "·" in e.label and title in e.label)


def _solved(at, exercise_id) -> bool:
    return at.session_state["_exercises.progress"].get(exercise_id, ("",))[0] == base.SOLVED \
        and _label(at, exercise_id).endswith(i18n.t("exercises.status_solved", lang="en"))


def _answer(at, exercise_id, value):
    key = exercise_panel.answer_key(ALL[exercise_id])
    widget = next(w for kind in ("number_input", "radio", "selectbox") for w in at.get(kind)
                  if getattr(w, "key", None) == key)
    widget.set_value(value)


def _check(at, exercise_id):
    at.button(key=f"ex.{exercise_id}.check").click()
    at.run()
    assert_clean(at)


def _warnings(at):
    return [w.value for w in at.warning]


def test_home_exercises_solved_by_the_pages_widgets():
    at = _page("home")
    at.slider(key="home.k").set_value(2)
    _check(at, "home.kmeans")
    assert i18n.t("exercises.home.kmeans.fb_k", lang="en").format(k=2) in _warnings(at)
    assert not _solved(at, "home.kmeans")
    at.slider(key="home.k").set_value(3)
    at.slider(key="home.kstep").set_value(4)
    _check(at, "home.kmeans")
    assert _solved(at, "home.kmeans")

    _answer(at, "home.untrained", "stuck")
    _check(at, "home.untrained")
    assert _solved(at, "home.untrained")

    at.slider(key="home.episodes").set_value(100)
    _answer(at, "home.steps", 8)
    _check(at, "home.steps")
    assert i18n.t("exercises.home.steps.fb_cells", lang="en") in _warnings(at)
    _answer(at, "home.steps", 7)
    _check(at, "home.steps")
    assert _solved(at, "home.steps")

    kind = {"amount": "regression", "price": "regression", "target": "classification",
            "spam": "classification", "groups": "clustering", "shoppers": "clustering"}
    _answer(at, "home.kind", kind[_variant(at, "home.kind")["scenario"]])
    _check(at, "home.kind")
    assert _solved(at, "home.kind")
    # The home page sums up the lecture: 4 solved in all.
    total = len(ALL)
    progress = [b.proto.text for b in at.get("progress")]
    assert i18n.t("exercises.lecture_total", lang="en", solved=4, total=total) in progress


def test_a_seen_solution_counts_as_seen_not_solved():
    at = _page("sigmoid")
    at.button(key="ex.sigmoid.zero.solution").click().run()
    assert at.session_state["_exercises.progress"]["sigmoid.zero"] == ("seen", "")
    _answer(at, "sigmoid.zero", 0.5)
    _check(at, "sigmoid.zero")
    assert at.session_state["_exercises.progress"]["sigmoid.zero"] == ("seen", "")
    assert _label(at, "sigmoid.zero").endswith(i18n.t("exercises.status_seen", lang="en"))


def test_sigmoid_exercises():
    at = _page("sigmoid")
    _answer(at, "sigmoid.zero", 0.0)
    _check(at, "sigmoid.zero")
    assert i18n.t("exercises.sigmoid.zero.fb_zero", lang="en") in _warnings(at)
    assert any("e^0 = 1" in i.value for i in at.info)  # the hint after a wrong try
    _answer(at, "sigmoid.zero", 0.5)
    _check(at, "sigmoid.zero")
    p = _variant(at, "sigmoid.inverse")["p"]
    _answer(at, "sigmoid.inverse", round(float(np.log(p / (1 - p))), 2))
    _check(at, "sigmoid.inverse")
    _answer(at, "sigmoid.scale", "same_narrower")
    _check(at, "sigmoid.scale")
    for name, value in (("w0", -25.1), ("w1", 0.8), ("w2", 0.9)):
        at.slider(key=f"sigmoid.{name}").set_value(value)
    _check(at, "sigmoid.sharp")
    for exercise_id in ("sigmoid.zero", "sigmoid.inverse", "sigmoid.scale", "sigmoid.sharp"):
        assert _solved(at, exercise_id), exercise_id


def test_a_wrong_prediction_locks_and_shows_the_truth_beside_it():
    at = _page("sigmoid")
    _answer(at, "sigmoid.scale", "moves")
    _check(at, "sigmoid.scale")
    texts = [m.value for m in at.markdown]
    names = {c: i18n.t(f"exercises.sigmoid.scale.choice_{c}", lang="en")
             for c in ("moves", "same_narrower")}
    assert i18n.t("exercises.locked", lang="en", choice=names["moves"]) in texts
    assert i18n.t("exercises.truth", lang="en", choice=names["same_narrower"]) in texts
    assert i18n.t("exercises.sigmoid.scale.fb_moves", lang="en") in _warnings(at)
    assert at.session_state["_exercises.progress"]["sigmoid.scale"] == ("tried", "moves")
    assert not any(r.key == exercise_panel.answer_key(ALL["sigmoid.scale"]) for r in at.radio)
    at.button(key="ex.sigmoid.scale.demo").click().run()  # the page's sliders, 5 × as large
    assert (at.slider(key="sigmoid.w0").value, at.slider(key="sigmoid.w1").value) == (-30.0, 1.0)


def test_the_progress_written_for_the_browser_is_the_sessions():
    at = _page("sigmoid")
    _answer(at, "sigmoid.zero", 0.5)
    _check(at, "sigmoid.zero")
    scripts = [h.proto.body for h in at.get("html") if "mlab_progress=" in h.proto.body]
    assert scripts
    value = scripts[-1].split("mlab_progress=")[1].split(";")[0]
    assert base.decode(value, ALL) == {"sigmoid.zero": ("solved", "")}
    assert at.session_state["_exercises.browser"] in scripts[-1]


def test_cross_entropy_exercises():
    at = _page("cross_entropy")
    p = _variant(at, "cross_entropy.cost")["p"]
    _answer(at, "cross_entropy.cost", float(np.log10(1 / p)))
    _check(at, "cross_entropy.cost")
    assert i18n.t("exercises.cross_entropy.cost.fb_log10", lang="en") in _warnings(at)
    _answer(at, "cross_entropy.cost", float(-np.log(p)))
    _check(at, "cross_entropy.cost")
    book = datasets.textbook_points()
    for name, value in (("w0", -6.0), ("w1", 0.25), ("w2", 0.1)):
        at.slider(key=f"xent.{name}").set_value(value)
    f = maths.linear(-6.0, 0.25, 0.1, book.x[:, 0], book.x[:, 1])
    _answer(at, "cross_entropy.biggest", int(np.argmax(maths.bce_terms(f, book.t))))
    _check(at, "cross_entropy.biggest")
    _answer(at, "cross_entropy.separable", "infinity")
    _check(at, "cross_entropy.separable")
    _answer(at, "cross_entropy.flat", "xent")
    _check(at, "cross_entropy.flat")
    for exercise_id in ("cross_entropy.cost", "cross_entropy.biggest", "cross_entropy.separable",
                        "cross_entropy.flat"):
        assert _solved(at, exercise_id), exercise_id


def test_multiclass_exercises():
    at = _page("multiclass")
    v = _variant(at, "multiclass.parameters")
    _answer(at, "multiclass.parameters", v["k"] * v["d"])
    _check(at, "multiclass.parameters")
    assert i18n.t("exercises.multiclass.parameters.fb_no_bias", lang="en").format(**v) \
        in _warnings(at)
    _answer(at, "multiclass.parameters", v["k"] * (v["d"] + 1))
    _check(at, "multiclass.parameters")
    _answer(at, "multiclass.shift", "same")
    _check(at, "multiclass.shift")
    k = _variant(at, "multiclass.pairs")["k"]
    _answer(at, "multiclass.pairs", k * (k - 1) // 2)
    _check(at, "multiclass.pairs")
    for exercise_id in ("multiclass.parameters", "multiclass.shift", "multiclass.pairs"):
        assert _solved(at, exercise_id), exercise_id


def test_logistic_exercises():
    at = _page("logistic")
    book = datasets.textbook_points()
    w, _ = maths.logistic_optimum(book.x, book.t)
    at.slider(key="logistic.w0").set_value(-float(round(w[0], 1)))  # the sides swapped
    at.slider(key="logistic.w1").set_value(-round(float(w[1]) / 0.005) * 0.005)
    at.slider(key="logistic.w2").set_value(-round(float(w[2]) / 0.005) * 0.005)
    _check(at, "logistic.classify")
    assert any(text.startswith("Only ") for text in _warnings(at))  # fb_flipped
    at.slider(key="logistic.w0").set_value(float(round(w[0], 1)))
    at.slider(key="logistic.w1").set_value(round(float(w[1]) / 0.005) * 0.005)
    at.slider(key="logistic.w2").set_value(round(float(w[2]) / 0.005) * 0.005)
    _check(at, "logistic.classify")
    _check(at, "logistic.below12")
    _answer(at, "logistic.sgd100", "jumps")
    _check(at, "logistic.sgd100")
    v = _variant(at, "logistic.probability")
    f = v["w0"] + v["w1"] * v["x"] + v["w2"] * v["y"]
    _answer(at, "logistic.probability", round(1 / (1 + np.exp(-f)), 3))
    _check(at, "logistic.probability")
    for exercise_id in ("logistic.classify", "logistic.below12", "logistic.sgd100",
                        "logistic.probability"):
        assert _solved(at, exercise_id), exercise_id


def test_regression_exercises():
    at = _page("regression")
    data = regression_data.generated(20, 3.0, 10.0, 3.0, 1)  # the page's default data
    slope, intercept = np.polyfit(data.x, data.y, 1)
    slope_bound, intercept_bound = regression_core.hand_ranges(data)
    on_slope = round(slope / (slope_bound / 200)) * (slope_bound / 200)
    on_intercept = round(intercept / (intercept_bound / 200)) * (intercept_bound / 200)
    at.slider(key="regression.slope").set_value(on_slope)
    at.slider(key="regression.icpt").set_value(on_intercept + 4)
    _check(at, "regression.hand_fit")
    assert any("intercept" in text for text in _warnings(at))  # fb_shift
    at.slider(key="regression.icpt").set_value(on_intercept)
    _check(at, "regression.hand_fit")
    budget = _variant(at, "regression.budget")["budget"]
    _answer(at, "regression.budget", round(float(slope * budget + intercept), 2))
    _check(at, "regression.budget")
    _answer(at, "regression.overfit", "above")
    _check(at, "regression.overfit")
    degree = _variant(at, "regression.parameters")["degree"]
    _answer(at, "regression.parameters", degree + 1)
    _check(at, "regression.parameters")
    for exercise_id in ("regression.hand_fit", "regression.budget", "regression.overfit",
                        "regression.parameters"):
        assert _solved(at, exercise_id), exercise_id


def test_mnist_exercises():
    at = _page("mnist")
    _answer(at, "mnist.pixels", 784)
    _check(at, "mnist.pixels")
    hidden = _variant(at, "mnist.parameters")["hidden"]
    count = mnist_core.Settings(hidden=(hidden,) if hidden else ()).parameters()
    _answer(at, "mnist.parameters", count)
    _check(at, "mnist.parameters")
    order = _variant(at, "mnist.zero")["order"]
    wrong = "ABCDEFGHIJ"[order.index(1)]
    _answer(at, "mnist.zero", wrong)
    _check(at, "mnist.zero")
    assert any("digit 1" in text for text in _warnings(at))
    _answer(at, "mnist.zero", "ABCDEFGHIJ"[order.index(0)])
    _check(at, "mnist.zero")
    letters = next(r for r in at.radio if r.key == "ex.mnist.zero.answer").options
    assert list(letters) == list("ABCDEFGHIJ")  # each letter names itself
    data = mnist_core.load()
    run = mnist_engine.cached_run(data, mnist_core.Settings())
    counts = np.zeros((10, 10), int)
    np.add.at(counts, (data.test_y.astype(int), run.test_pred.astype(int)), 1)
    np.fill_diagonal(counts, -1)
    true, pred = np.unravel_index(int(np.argmax(counts)), counts.shape)
    at.selectbox(key="mnist.true").set_value(int(true))
    at.selectbox(key="mnist.pred").set_value(int(pred))
    _check(at, "mnist.confused")
    for exercise_id in ("mnist.pixels", "mnist.parameters", "mnist.zero", "mnist.confused"):
        assert _solved(at, exercise_id), exercise_id


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_lecture_mode_shows_one_exercise_large(lang):
    at = app_test("logistic", {"lang": lang, "lecture": "1"})
    assert_clean(at)
    title = i18n.t("exercises.logistic.classify.title", lang=lang)
    assert any(m.value == "## " + i18n.t("exercises.try_it", lang=lang, title=title)
               for m in at.markdown)
    at.selectbox(key="ex.logistic.projected").set_value("logistic.below12").run()
    title = i18n.t("exercises.logistic.below12.title", lang=lang)
    assert any(m.value == "## " + i18n.t("exercises.try_it", lang=lang, title=title)
               for m in at.markdown)
