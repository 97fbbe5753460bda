"""AppTest runs of the regression page: every widget, the numbers against numpy, bad input."""

import numpy as np
import pytest

from conftest import app_test, assert_clean, metric, plotly_specs
from conftest import chart_spec as _chart, decode as _array
from lib.ui import i18n
from lib.core import regression
from lib.engine import regression as regression_engine
from lib.figures.base import PLAIN, Look


def _page(query=None):
    at = app_test("regression", query)
    assert_clean(at)
    return at


def _lang(at):
    return at.session_state["app.lang"]


def _metric(at, label_key):
    return metric(at, i18n.t(label_key, lang=_lang(at)))


def _number(at, label_key):
    return float(_metric(at, label_key).replace(",", ""))


def _default_data():
    return regression.generated(20, 3.0, 10.0, 3.0, 1)


def test_default_view_trains_the_slides_line_and_predicts():
    at = _page({"lang": "en"})
    assert at.title[0].value == i18n.t("regression.title", lang="en")
    assert len(plotly_specs(at)) == 5  # by hand, fitted, animation, loss, degree
    assert not at.error
    data = _default_data()
    # By hand: the default line y = 1·x + 5 and its mean squared error.
    assert _number(at, "regression.mse") == pytest.approx(
        np.mean((data.y - (data.x + 5)) ** 2), rel=1e-3)
    # Trained with Keras (Adam, 1000 epochs): the least-squares line, to 1e-3.
    slope, intercept = np.polyfit(data.x, data.y, 1)
    assert _number(at, "regression.trained_slope") == pytest.approx(slope, abs=1e-3)
    assert _number(at, "regression.trained_intercept") == pytest.approx(intercept, abs=1e-3)
    # Prediction for the default budget of 12 (million yen), marked as a star.
    assert _number(at, "regression.predicted") == pytest.approx(slope * 12 + intercept, abs=0.01)
    fitted = _chart(at, "regression.fit_chart")
    star = next(t for t in fitted["data"] if t.get("name") == "prediction")
    assert _array(star["x"])[0] == 12.0
    assert any("least-squares line" in i.value for i in at.info)  # the gap, stated
    animation = _chart(at, "regression.animation")
    assert len(animation["frames"]) >= 50
    assert any("layers.Dense(1" in c.value for c in at.code)


def test_hand_sliders_update_the_error_the_residuals_and_the_url():
    at = _page({"lang": "en"})
    at.slider(key="regression.slope").set_value(2.5)
    at.slider(key="regression.icpt").set_value(12.0)
    at.checkbox(key="regression.ls").check()
    at.run()
    assert_clean(at)
    data = _default_data()
    assert _number(at, "regression.mse") == pytest.approx(
        np.mean((data.y - (2.5 * data.x + 12)) ** 2), rel=1e-3)
    slope, intercept = np.polyfit(data.x, data.y, 1)
    exact_mse = np.mean((data.y - (slope * data.x + intercept)) ** 2)
    assert _number(at, "regression.exact_mse") == pytest.approx(exact_mse, rel=1e-3)
    hand = _chart(at, "regression.hand_chart")
    assert [t["name"] for t in hand["data"]] == ["residuals", "least squares (exact)",
                                                 "your line", "data"]
    residual_y = _array(hand["data"][0]["y"]).reshape(-1, 3)[:, 1]
    assert np.allclose(residual_y, 2.5 * data.x + 12)
    assert at.query_params["slope"] == "2.5" and at.query_params["icpt"] == "12"
    assert at.query_params["ls"] == "1"


def test_every_data_widget():
    at = _page()
    at.slider(key="regression.n").set_value(35)
    at.slider(key="regression.a").set_value(-2.0)
    at.slider(key="regression.b").set_value(40.0)
    at.slider(key="regression.noise").set_value(0.0)
    at.number_input(key="regression.dseed").set_value(9)
    at.run()
    assert_clean(at)
    data = regression.generated(35, -2.0, 40.0, 0.0, 9)
    points = _chart(at, "regression.hand_chart")["data"][-1]
    assert np.allclose(_array(points["x"]), data.x) and np.allclose(_array(points["y"]), data.y)
    # Without noise, least squares finds the true line; 1000 Adam steps of 0.1 come close.
    assert any("y = -2.0000·x +40.0000" in i.value for i in at.info)
    assert _number(at, "regression.trained_slope") == pytest.approx(-2.0, abs=0.2)
    assert at.query_params["n"] == "35" and at.query_params["noise"] == "0"


def test_every_training_widget_and_the_prediction():
    at = _page({"lang": "en"})
    at.slider(key="regression.deg").set_value(2)
    at.toggle(key="regression.scale").set_value(True)
    at.slider(key="regression.test").set_value(0.25)
    at.selectbox(key="regression.opt").set_value("sgd")
    at.select_slider(key="regression.lr").set_value(0.3)
    at.select_slider(key="regression.epochs").set_value(500)
    at.select_slider(key="regression.batch").set_value(4)
    at.number_input(key="regression.iseed").set_value(3)
    at.number_input(key="regression.budget").set_value(7.5)
    at.run()
    assert_clean(at)
    run = regression_engine.run(_default_data(), 2, True, 0.25, "sgd", 0.3, 500, 4, 3)  # cached
    assert _number(at, "regression.train_mse") == pytest.approx(run.curves["train"][-1],
                                                                rel=1e-3)
    assert _number(at, "regression.test_mse") == pytest.approx(run.curves["test"][-1], rel=1e-3)
    assert _number(at, "regression.predicted") == pytest.approx(run.predict([7.5])[0], rel=1e-3)
    assert _number(at, "regression.predicted_exact") == pytest.approx(run.exact([7.5])[0],
                                                                      rel=1e-3)
    loss = _chart(at, "regression.loss_chart")
    assert [t["name"] for t in loss["data"]][:2] == ["training data", "test data"]
    degree = _chart(at, "regression.degree_chart")
    assert len(degree["data"]) == 2 and degree["layout"]["shapes"][0]["x0"] == 2
    assert at.query_params["deg"] == "2" and at.query_params["scale"] == "1"
    assert at.query_params["opt"] == "sgd" and at.query_params["budget"] == "7.5"
    code = next(c.value for c in at.code if "Dense(1" in c.value)
    assert "HALF_WIDTH" in code and "BATCH_SIZE = 4" in code and "budget = 7.5" in code


def test_presets_switch_between_the_slide_and_over_fitting():
    at = _page({"lang": "en"})
    at.button(key="regression.preset_overfit").click().run()
    assert_clean(at)
    assert at.slider(key="regression.deg").value == 9
    assert at.toggle(key="regression.scale").value is True
    assert at.slider(key="regression.test").value == pytest.approx(0.3)
    degree = _chart(at, "regression.degree_chart")
    test_errors = _array(degree["data"][1]["y"])
    assert test_errors[-1] > test_errors[0]  # over-fitting on the default data
    at.button(key="regression.preset_slide").click().run()
    assert_clean(at)
    assert at.slider(key="regression.deg").value == 1 and at.slider(key="regression.test").value == 0


def test_divergence_on_unscaled_spend_is_explained():
    at = _page({"lang": "en", "opt": "sgd", "lr": "1"})
    errors = " ".join(e.value for e in at.error)
    assert "diverged" in errors and "not scaled" in errors
    assert len(plotly_specs(at)) == 5


def test_degree_nine_on_five_points():
    at = _page({"lang": "en", "n": "5", "deg": "9", "scale": "1"})
    assert any("cannot pin down a polynomial of degree 9" in w.value for w in at.warning)
    assert _number(at, "regression.train_mse") >= 0
    assert len(plotly_specs(at)) == 5


@pytest.mark.parametrize("query", [
    {"slope": "1e999", "icpt": "nan", "deg": "99", "lr": "abc", "opt": "<b>x</b>"},
    {"src": "../../etc/passwd", "n": "-4", "a": "inf", "noise": "9" * 200, "dseed": "x"},
    {"test": "7", "epochs": "1e12", "batch": "-1", "budget": "1e400", "scale": "perhaps"},
    {"lang": "xx", "ls": "[1]", "iseed": "０", "b": "`rm`"},
])
def test_hostile_urls_are_clamped_with_a_notice(query):
    at = _page(query)
    assert at.warning, "a notice about the URL"
    assert len(plotly_specs(at)) == 5


def test_url_values_are_shown_literally():
    at = _page({"lang": "en", "opt": "<script>alert(1)</script>", "slope": "[a](http://x)"})
    notice = " ".join(w.value for w in at.warning)
    assert "`<script>alert(1)</script>`" in notice and "`[a](http://x)`" in notice


def test_an_out_of_range_hand_value_is_pulled_into_the_slider():
    at = _page({"slope": "5000", "icpt": "-9000"})
    assert at.slider(key="regression.slope").value == at.slider(key="regression.slope").max
    assert at.slider(key="regression.icpt").value == at.slider(key="regression.icpt").min


def _upload(at, name, raw):
    at.file_uploader(key="regression.file").set_value((name, raw, "text/csv")).run()
    assert_clean(at)


def test_upload_pick_columns_and_refuse_garbage_keeping_the_data():
    at = _page({"lang": "en", "src": "upload"})
    assert any(i.value == i18n.t("data.upload_waiting", lang="en") for i in at.info)
    _upload(at, "shop.csv", b"month,ads,revenue\n1,2,20\n2,4,31\n3,6,39\n4,8,52\n5,3,25\n")
    assert any("5 points" in c.value for c in at.caption)
    at.selectbox(key="regression._xcol").set_value("ads")
    at.selectbox(key="regression._ycol").set_value("revenue")
    at.run()
    assert_clean(at)
    hand = _chart(at, "regression.hand_chart")
    assert hand["layout"]["xaxis"]["title"]["text"] == "ads"
    assert np.allclose(_array(hand["data"][-1]["x"]), [2, 4, 6, 8, 3])
    slope, _ = np.polyfit([2, 4, 6, 8, 3], [20, 31, 39, 52, 25], 1)
    assert _number(at, "regression.trained_slope") == pytest.approx(slope, abs=0.05)
    # The same column twice: refused, the previous data stay.
    at.selectbox(key="regression._ycol").set_value("ads").run()
    assert_clean(at)
    assert any("same column" in e.value for e in at.error)
    assert np.allclose(_array(_chart(at, "regression.hand_chart")["data"][-1]["x"]),
                       [2, 4, 6, 8, 3])
    for raw in (b"", b"\x00\x01binary", b"just one column\n1\n2\n", b"a,b\n1,x\n2,3\n",
                b"a,b\n5,1\n5,2\n", b"a,b\n1,inf\n2,3\n", ("a,b\n" + "1,2\n" * 6000).encode()):
        _upload(at, "bad.csv", raw)
        assert any("previous data stays in use" in e.value for e in at.error), raw[:20]
        points = _chart(at, "regression.hand_chart")["data"][-1]
        assert np.allclose(_array(points["x"]), [2, 4, 6, 8, 3]), raw[:20]


def test_huge_unscaled_powers_are_refused_not_trained():
    at = _page({"lang": "en", "src": "upload", "deg": "4"})
    _upload(at, "big.csv", b"spend,sales\n1000,5\n200000,8\n900000,9\n")
    assert any("too large" in e.value for e in at.error)
    assert len(plotly_specs(at)) == 1  # the hand chart stays; nothing was trained
    at.toggle(key="regression.scale").set_value(True).run()
    assert_clean(at)
    assert not at.error and len(plotly_specs(at)) == 5


def test_names_from_the_file_are_shown_literally():
    at = _page({"lang": "en", "src": "upload"})
    _upload(at, "[x](javascript:alert(1)).csv", b"<b>spend</b>,**sales**\n1,2\n2,4\n3,5\n")
    assert any("`[x](javascript:alert(1)).csv`" in c.value for c in at.caption)
    title = _chart(at, "regression.hand_chart")["layout"]["xaxis"]["title"]["text"]
    assert "<" not in title and ">" not in title


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_both_languages_and_lecture_mode(lang):
    at = _page({"lang": lang, "lecture": "1"})
    assert at.title[0].value == i18n.t("regression.title", lang=lang)
    assert _chart(at, "regression.hand_chart")["layout"]["height"] == Look.of(lang, True).height
    at.toggle(key="app.lecture").set_value(False).run()
    assert_clean(at)
    assert _chart(at, "regression.hand_chart")["layout"]["height"] == PLAIN.height
