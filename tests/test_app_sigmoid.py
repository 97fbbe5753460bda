"""AppTest runs of the sigmoid explorer: every widget, the numbers, no TensorFlow, bad URLs."""
import math
import textwrap

import numpy as np
import pytest

from conftest import ROOT, app_test, assert_clean, plotly_specs
from conftest import chart_spec as _chart, decode as _array, metric as _metric
from lib.core import datasets
from lib.ui import i18n
from lib.core import maths
from lib.figures.base import Look


def _page(query=None):
    at = app_test("sigmoid", query)
    assert_clean(at)
    return at


def test_the_page_never_imports_tensorflow(run_python):
    """In a fresh process: the sigmoid page, run and with every slider moved, loads no TensorFlow."""
    code = textwrap.dedent(f"""
        import sys
        from streamlit.testing.v1 import AppTest
        at = AppTest.from_file({str(ROOT / 'app.py')!r}, default_timeout=120).run()
        at.switch_page("views/sigmoid.py").run()
        for key, value in (("sigmoid.a", -3.0), ("sigmoid.w0", 2.0), ("sigmoid.w1", -0.5)):
            at.slider(key=key).set_value(value)
        at.checkbox(key="sigmoid.deriv").check()
        at.run()
        assert not at.exception, at.exception
        assert len(at.get("plotly_chart")) == 3
        print("tensorflow" in sys.modules, "keras" in sys.modules)
    """)
    done = run_python(code=code, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split()[-2:] == ["False", "False"]


def test_default_view():
    at = _page({"lang": "en"})
    assert at.title[0].value == i18n.t("sigmoid.title", lang="en")
    assert len(plotly_specs(at)) == 3
    assert _metric(at, "σ(a)") == f"{1 / (1 + math.exp(-1)):.4f}"
    points = datasets.textbook_points()
    f = -6 + 0.2 * points.x[:, 0] + 0.2 * points.x[:, 1]
    assert float(_metric(at, i18n.t("logistic.cross_entropy", lang="en"))) == pytest.approx(
        maths.cross_entropy(f, points.t), abs=1e-3)
    assert float(_metric(at, i18n.t("sigmoid.width", lang="en"))) == pytest.approx(
        2 * math.log(9) / math.hypot(0.2, 0.2), abs=0.01)
    assert any(c.value == i18n.t("sigmoid.points_textbook", lang="en", n=35) for c in at.caption)
    # No logistic-page parameters in this session yet: nothing to take over.
    assert "sigmoid.copy_logistic" not in [button.key for button in at.button]


def test_every_widget():
    at = _page({"lang": "en"})
    at.slider(key="sigmoid.a").set_value(-2.5)
    at.checkbox(key="sigmoid.deriv").check()
    at.checkbox(key="sigmoid.step").check()
    at.checkbox(key="sigmoid.tanh").check()
    at.slider(key="sigmoid.w0").set_value(-3.0)
    at.slider(key="sigmoid.w1").set_value(0.1)
    at.slider(key="sigmoid.w2").set_value(0.15)
    at.run()
    assert_clean(at)
    s = 1 / (1 + math.exp(2.5))
    assert _metric(at, "σ(a)") == f"{s:.4f}"
    assert _metric(at, "σ′(a) = σ(1 − σ)") == f"{s * (1 - s):.4f}"
    assert _metric(at, "tanh(a)") == f"{math.tanh(-2.5):.4f}"
    curve = _chart(at, "sigmoid.curve_chart")
    names = [t.get("name") for t in curve["data"]]
    for key in ("curve_step", "curve_tanh", "curve_derivative", "curve_sigmoid"):
        assert i18n.t(f"sigmoid.{key}", lang="en") in names
    marker = curve["data"][-1]
    assert _array(marker["x"])[0] == -2.5 and _array(marker["y"])[0] == pytest.approx(s)
    surface = _chart(at, "sigmoid.surface_chart")
    xs, ys, z = (_array(surface["data"][0][k]) for k in ("x", "y", "z"))
    z = z.reshape(len(ys), len(xs))
    assert z[3, 5] == pytest.approx(1 / (1 + math.exp(-(-3 + 0.1 * xs[5] + 0.15 * ys[3]))))
    points = datasets.textbook_points()
    circles = surface["data"][2]
    expected = maths.sigmoid(maths.linear(-3, 0.1, 0.15, *points.x[points.t == 1].T))
    assert np.allclose(_array(circles["z"]), expected)
    contour = _chart(at, "sigmoid.contour_chart")
    assert contour["data"][0]["type"] == "contour"
    assert at.query_params["a"] == "-2.5" and at.query_params["w1"] == "0.1"
    assert at.query_params["deriv"] == "1" and at.query_params["tanh"] == "1"


def test_logistic_parameters_and_points_are_taken_over():
    at = _page({"lang": "en"})
    at.session_state["_saved.logistic"] = {"w0": -3.45, "w1": 0.072, "w2": 0.16}
    at.session_state["data._last_points"] = datasets.generated_points(12, 10.0, 3.0, 4)
    at.run()
    assert_clean(at)
    assert any(c.value == i18n.t("sigmoid.points_from_logistic", lang="en", n=24)
               for c in at.caption)
    at.button(key="sigmoid.copy_logistic").click().run()
    assert_clean(at)
    assert at.slider(key="sigmoid.w0").value == pytest.approx(-3.45)
    assert at.slider(key="sigmoid.w2").value == pytest.approx(0.16)


def test_no_line_when_both_slopes_are_zero():
    at = _page({"lang": "en", "w1": "0", "w2": "0"})
    assert _metric(at, i18n.t("sigmoid.width", lang="en")) == "∞"
    assert len(plotly_specs(at)) == 3


@pytest.mark.parametrize("query", [
    {"a": "1e999", "w0": "nan", "w1": "<img src=x>", "deriv": "maybe"},
    {"a": "-11", "w2": "9" * 100, "step": "2", "tanh": "[]", "lang": "de"},
])
def test_hostile_urls_are_clamped_with_a_notice(query):
    at = _page(query)
    assert at.warning and len(plotly_specs(at)) == 3


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_both_languages_and_lecture_mode(lang):
    at = _page({"lang": lang, "lecture": "1"})
    assert at.title[0].value == i18n.t("sigmoid.title", lang=lang)
    lecture = Look.of(lang, lecture=True)
    assert _chart(at, "sigmoid.surface_chart")["layout"]["height"] == lecture.height
    assert _chart(at, "sigmoid.surface_chart")["layout"]["font"]["size"] == lecture.text
