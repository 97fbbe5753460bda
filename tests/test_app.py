"""AppTest runs of the entry page and the logistic-regression page: every widget, bad input."""
import textwrap

import numpy as np
import pytest

from conftest import ROOT, app_test, assert_clean, plotly_specs
from lib.core import datasets
from lib.ui import i18n


def test_entry_page_does_not_import_tensorflow(run_python):
    """In a fresh process: loading the app's entry page leaves TensorFlow out of sys.modules."""
    code = textwrap.dedent(f"""
        import sys
        from streamlit.testing.v1 import AppTest
        at = AppTest.from_file({str(ROOT / 'app.py')!r}, default_timeout=60).run()
        assert not at.exception, at.exception
        print("tensorflow" in sys.modules, "keras" in sys.modules)
    """)
    done = run_python(code=code, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split()[-2:] == ["False", "False"]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_home_in_both_languages(lang):
    at = app_test(query={"lang": lang})
    assert_clean(at)
    assert at.title[0].value == i18n.t("home.title", lang=lang)


def _logistic(query=None):
    at = app_test("logistic", query)
    assert_clean(at)
    return at


def _metric(at, label_key):
    label = i18n.t(label_key, lang=at.session_state["app.lang"])
    return next(m.value for m in at.metric if m.label == label)


def test_logistic_default_view_trains_and_draws():
    at = _logistic()
    assert len(plotly_specs(at)) == 3  # manual boundary, training animation, curves
    assert float(_metric(at, "logistic.train_accuracy").rstrip("%")) >= 80
    animation = plotly_specs(at)[1]
    assert len(animation["frames"]) >= 50
    assert animation["layout"]["updatemenus"][0]["buttons"][0]["method"] == "animate"
    assert any("Dense(1" in c.value for c in at.code)
    assert not at.error


def test_manual_sliders_update_cross_entropy_and_url():
    at = _logistic({"lang": "en"})
    before = _metric(at, "logistic.cross_entropy")
    at.slider(key="logistic.w0").set_value(-3.5)
    at.slider(key="logistic.w1").set_value(0.07)
    at.slider(key="logistic.w2").set_value(0.16)
    at.run()
    assert_clean(at)
    after = _metric(at, "logistic.cross_entropy")
    points = datasets.textbook_points()
    f = -3.5 + 0.07 * points.x[:, 0] + 0.16 * points.x[:, 1]
    expected = np.sum(np.logaddexp(0, -f) * points.t + np.logaddexp(0, f) * (1 - points.t))
    assert float(after) == pytest.approx(expected, abs=1e-3) and after != before
    assert at.query_params["w0"] == "-3.5" and at.query_params["w2"] == "0.16"


def test_every_training_widget():
    at = _logistic({"lang": "en"})
    at.selectbox(key="logistic.opt").set_value("adam")
    at.select_slider(key="logistic.lr").set_value(0.01)
    at.select_slider(key="logistic.epochs").set_value(500)
    at.select_slider(key="logistic.batch").set_value(8)
    at.slider(key="logistic.test").set_value(0.2)
    at.number_input(key="logistic.iseed").set_value(7)
    at.run()
    assert_clean(at)
    assert _metric(at, "logistic.test_accuracy").endswith("%")
    curves = plotly_specs(at)[2]
    assert {trace["name"] for trace in curves["data"]} == {"training data", "test data"}
    assert at.query_params["opt"] == "adam" and at.query_params["batch"] == "8"
    # The copy button moves the manual sliders to the trained parameters.
    trained_w1 = float(next(m.value for m in at.metric if m.label == "w1"))
    at.button(key="logistic.copy").click().run()
    assert_clean(at)
    assert at.slider(key="logistic.w1").value == pytest.approx(trained_w1, abs=1e-3)


def test_generator_and_sidebar_widgets():
    at = _logistic()
    at.radio(key="data.src").set_value("generated").run()
    at.slider(key="data.n").set_value(40)
    at.slider(key="data.sep").set_value(20.0)
    at.slider(key="data.spread").set_value(2.0)
    at.number_input(key="data.dseed").set_value(3)
    at.run()
    assert_clean(at)
    points = plotly_specs(at)[0]["data"][2:]
    assert sum(len(trace["x"]["bdata"]) if isinstance(trace["x"], dict) else len(trace["x"])
               for trace in points) > 0
    at.radio(key="app.lang").set_value("en")
    at.toggle(key="app.lecture").set_value(True)
    at.run()
    assert_clean(at)
    assert at.title[0].value == i18n.t("logistic.title", lang="en")
    assert at.query_params["lecture"] == "1" and at.query_params["src"] == "generated"


def test_diverging_training_is_reported():
    at = _logistic({"lang": "en", "opt": "sgd", "lr": "100"})
    assert any("diverged" in e.value for e in at.error)
    assert not at.exception


@pytest.mark.parametrize("query", [
    {"w0": "1e999", "epochs": "-5", "lr": "abc", "opt": "<script>alert(1)</script>"},
    {"src": "../../etc/passwd", "n": "NaN", "sep": "inf", "dseed": "9" * 200},
    {"lang": "fr", "lecture": "maybe", "batch": "1e9", "test": "0.99", "iseed": "-1"},
    {"w1": "[1,2]", "w2": "`rm -rf`", "iseed": "０x１"},
])
def test_hostile_urls_are_clamped_with_a_notice(query):
    at = _logistic(query)
    assert at.warning, "a notice about the URL"
    assert len(plotly_specs(at)) == 3


def test_url_values_are_shown_literally():
    at = _logistic({"lang": "en", "opt": "<script>alert(1)</script>", "w0": "[a](http://x)"})
    notice = " ".join(w.value for w in at.warning)
    assert "`<script>alert(1)</script>`" in notice and "`[a](http://x)`" in notice


def test_upload_good_and_bad_csv_keeps_the_data():
    at = _logistic({"lang": "en", "src": "upload"})
    at.file_uploader(key="data.file").set_value(
        ("mine.csv", b"x,y,t\n1,2,0\n2,1,0\n8,9,1\n9,8,1\n", "text/csv")).run()
    assert_clean(at)
    assert any("4 points" in c.value for c in at.caption)
    for raw in (b"", b"\x00\x01binary", b"a,b\n1,2\n", b"x,y,t\n1,2,1\n3,4,1\n",
                b"x,y,t\n1,nan,0\n2,2,1\n", ("x,y,t\n" + "1,2,0\n" * 100_001).encode(),
                b"x,y,t\n" + b"1.000000,2.000000,0\n" * 60_000):  # 1.2 MB: over the limit
        at.file_uploader(key="data.file").set_value(("bad.csv", raw, "text/csv")).run()
        assert_clean(at)
        assert any("previous data stays in use" in e.value for e in at.error), raw[:20]
        # The manual chart still shows the four uploaded points.
        chart = plotly_specs(at)[0]
        counts = [len(tr["x"]) if isinstance(tr["x"], list) else None for tr in chart["data"][2:]]
        assert counts in ([2, 2], [None, None])


def test_a_file_name_is_shown_literally():
    at = _logistic({"lang": "en", "src": "upload"})
    at.file_uploader(key="data.file").set_value(
        ("[x](javascript:alert(1)).csv", datasets.template_csv().encode(), "text/csv")).run()
    assert_clean(at)
    assert any("`[x](javascript:alert(1)).csv`" in c.value for c in at.caption)


def test_presets_restore_the_slide_and_the_book():
    at = _logistic({"lang": "en", "src": "generated", "epochs": "100", "w0": "3"})
    at.button(key="logistic.preset_book").click().run()
    assert_clean(at)
    assert at.radio(key="data.src").value == "textbook"
    assert at.selectbox(key="logistic.opt").value == "adam"
    assert at.select_slider(key="logistic.epochs").value == 5000
    assert at.slider(key="logistic.w0").value == -6.0
    w = [float(next(m.value for m in at.metric if m.label == name)) for name in ("w1", "w2")]
    assert w == pytest.approx([0.072, 0.160], abs=0.03)  # the author's published result
    at.button(key="logistic.preset_slide").click().run()
    assert at.selectbox(key="logistic.opt").value == "rmsprop"
    assert "opt" not in at.query_params and "src" not in at.query_params
