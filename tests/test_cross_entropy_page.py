"""AppTest of the cross-entropy page: every widget, the figures' contents, URL and CSV garbage."""
from __future__ import annotations

import math
import textwrap

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT, app_test, assert_clean, chart_spec, decode, plotly_specs
from lib.core import datasets
from lib.ui import i18n
from lib.core import cross_entropy as loss_surface
from lib.core import maths
from lib.figures.base import PLAIN, Look

PAGE = "cross_entropy"
CHARTS = ("cost_curves", "shares_map", "shares_bars", "surface3d", "contour", "compare_xent",
          "compare_mse")
LANG = "en"  # the interactive tests read English labels; both languages render below
NAMES = {key: i18n.t(f"xent.lbl_{key}", LANG) for key in ("current", "minimum", "path", "descent")}


def text(key: str, **values) -> str:
    return i18n.t(key, LANG, **values)


def open_page(**query) -> AppTest:
    at = app_test(PAGE, {"lang": LANG, **{name: str(value) for name, value in query.items()}})
    assert_clean(at)
    return at


def run(at: AppTest) -> AppTest:
    at.run()
    assert_clean(at)
    return at


def spec(at: AppTest, key: str) -> dict:
    return chart_spec(at, f"xent.{key}")


def trace(figure: dict, name: str) -> dict:
    found = [d for d in figure["data"] if d.get("name") == name]
    assert found, f"no trace {name!r} in {[d.get('name') for d in figure['data']]}"
    return found[0]


def metric(at: AppTest, label_start: str) -> str:
    found = [m.value for m in at.metric if m.label.startswith(label_start)]
    assert found, f"no metric {label_start!r}"
    return found[0]


def weights(at: AppTest) -> np.ndarray:
    return np.array([at.slider(key=f"xent.{name}").value for name in ("w0", "w1", "w2")])


def rounded(w) -> np.ndarray:
    """Parameters as the sliders hold them after a "go to" button: w0 to 0.01, w1, w2 to 0.001."""
    return np.array([round(float(w[0]), 2), round(float(w[1]), 3), round(float(w[2]), 3)])


def all_finite(figure: dict) -> bool:
    for data in figure["data"]:
        for field in ("x", "y", "z"):
            if field in data and data[field] is not None:
                values = decode(data[field]) if not isinstance(data[field], list) else np.array(
                    [v for v in data[field] if v is not None], dtype=float)
                if not np.all(np.isfinite(values)):
                    return False
    return True


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_page_renders_in_both_languages(lang):
    at = app_test(PAGE, {"lang": lang})
    assert_clean(at)
    assert at.title[0].value == i18n.t("xent.title", lang)
    assert len(at.latex) >= 2  # the formula of E and f(x, y)
    assert len(plotly_specs(at)) == len(CHARTS)
    for key in CHARTS:
        assert all_finite(spec(at, key)), key
    assert not at.warning and not at.error


def test_the_page_does_not_load_tensorflow_without_a_path(run_python):
    code = textwrap.dedent(f"""
        import sys
        from streamlit.testing.v1 import AppTest
        at = AppTest.from_file({str(ROOT / 'app.py')!r}, default_timeout=180)
        at.switch_page("views/cross_entropy.py")
        at.run()
        assert not at.exception, at.exception
        assert len(at.get("plotly_chart")) == {len(CHARTS)}
        print("tensorflow" in sys.modules, "keras" in sys.modules)
    """)
    done = run_python(code=code, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split()[-2:] == ["False", "False"]


def test_parameter_sliders_move_the_marker_metrics_and_url():
    at = open_page()
    points = datasets.textbook_points()
    at.slider(key="xent.w0").set_value(-9.5)
    at.slider(key="xent.w1").set_value(0.31)
    at.slider(key="xent.w2").set_value(0.355)
    run(at)
    w = np.array([-9.5, 0.31, 0.355])
    assert np.allclose(weights(at), w)
    contour = spec(at, "contour")
    marker = trace(contour, NAMES["current"])
    assert decode(marker["x"])[0] == pytest.approx(0.31)
    assert decode(marker["y"])[0] == pytest.approx(0.355)
    e = loss_surface.xent(w, points.x, points.t)
    surface = spec(at, "surface3d")
    assert decode(trace(surface, NAMES["current"])["z"])[0] == pytest.approx(e)
    assert metric(at, text("logistic.cross_entropy")) == f"{e:.3f}"
    slope = np.linalg.norm(loss_surface.xent_gradient(w, points.x, points.t))
    assert metric(at, text("xent.slope")) == f"{slope:.4g}"
    # The slice follows w0: the contour's grid is E at w0 = −9.5.
    grid = decode(contour["data"][0]["customdata"])
    a, b = decode(contour["data"][0]["x"]), decode(contour["data"][0]["y"])
    expected_e = loss_surface.xent([-9.5, a[20], b[10]], points.x, points.t)
    assert grid[10, 20] == pytest.approx(expected_e)
    # The bars are the points' terms, largest first.
    bars = spec(at, "shares_bars")
    heights = np.concatenate([decode(d["y"]) for d in bars["data"] if d["type"] == "bar"])
    expected = np.sort(loss_surface.xent_terms(w, points.x, points.t))[::-1]
    assert np.allclose(np.sort(heights)[::-1], expected)
    assert at.query_params["w0"] == "-9.5" and at.query_params["w1"] == "0.31"


def test_one_point_slider_at_the_edges_stays_finite():
    at = open_page()
    for p, circle, cross in ((0.0, -math.log(1e-7), 0.0), (1.0, 0.0, -math.log(1e-7)),
                             (0.5, math.log(2), math.log(2))):
        at.slider(key="xent.p").set_value(p)
        run(at)
        assert float(metric(at, text("xent.cost_if_circle"))) == pytest.approx(circle, abs=1e-3)
        assert float(metric(at, text("xent.cost_if_cross"))) == pytest.approx(cross, abs=1e-3)
        clipped = any("ε" in i.value for i in at.info)
        assert clipped == (p in (0.0, 1.0))
        figure = spec(at, "cost_curves")
        assert all_finite(figure)
        assert figure["layout"]["yaxis"]["range"][1] >= max(circle, cross)
    assert at.query_params["p"] == "0.5"


@pytest.mark.parametrize("pair", sorted(loss_surface.PAIRS))
def test_pair_selectbox_and_view_ranges(pair):
    at = open_page()
    at.selectbox(key="xent.pair").set_value(pair)
    run(at)
    i, j, k = loss_surface.axes(pair)
    names = loss_surface.PARAMS
    a_name, b_name = names[i], names[j]
    contour = spec(at, "contour")
    assert contour["layout"]["xaxis"]["title"]["text"] == a_name
    assert contour["layout"]["yaxis"]["title"]["text"] == b_name
    view_keys = {s.key for s in at.slider if s.key.startswith("xent.view_")}
    assert view_keys == {f"xent.view_{a_name}", f"xent.view_{b_name}"}
    low, high = (-12.0, 2.0) if a_name == "w0" else (0.0, 1.0)
    at.slider(key=f"xent.view_{a_name}").set_value((low, high))
    run(at)
    contour = spec(at, "contour")
    a = decode(contour["data"][0]["x"])
    assert a[0] == pytest.approx(low) and a[-1] == pytest.approx(high) and len(a) == 100
    assert at.query_params[f"{a_name}lo"] == f"{low:g}"
    for key in ("surface3d", "contour", "compare_xent", "compare_mse"):
        assert all_finite(spec(at, key)), key
    fixed = {"w0": -6.0, "w1": 0.2, "w2": 0.2}[names[k]]
    caption = text("xent.surface_caption", fixed=names[k], value=fixed, a=a_name, b=b_name)
    assert caption in [c.value for c in at.caption]


def test_view_buttons():
    at = open_page()
    at.slider(key="xent.view_w1").set_value((0.9, 1.0))
    run(at)
    at.button(key="xent.fit_view").click()
    run(at)
    optimum, _ = maths.logistic_optimum(datasets.textbook_points().x, datasets.textbook_points().t)
    lo, hi = at.slider(key="xent.view_w1").value
    assert lo <= min(optimum[1], 0.2) and hi >= max(optimum[1], 0.2)
    at.button(key="xent.reset_view").click()
    run(at)
    assert at.slider(key="xent.view_w1").value == (-0.5, 1.5)
    at.button(key="xent.go_minimum").click()
    run(at)
    assert np.allclose(weights(at), rounded(optimum))
    marker = trace(spec(at, "contour"), NAMES["current"])
    star = trace(spec(at, "contour"), NAMES["minimum"])
    assert decode(marker["x"])[0] == pytest.approx(decode(star["x"])[0], abs=1e-3)
    # At the minimum the slope is (nearly) zero; the rounding to slider steps leaves a little.
    assert float(metric(at, text("xent.slope"))) < 5.0


def test_training_path_with_every_training_widget():
    at = open_page()
    for key in ("opt",):
        assert at.selectbox(key=f"xent.{key}").disabled  # greyed out until a path is asked for
    assert at.select_slider(key="xent.epochs").disabled
    at = open_page(epochs=10)
    at.toggle(key="xent.path").set_value(True)
    run(at)
    assert not at.selectbox(key="xent.opt").disabled
    at.selectbox(key="xent.opt").set_value("adam")
    at.select_slider(key="xent.lr").set_value(0.01)
    at.select_slider(key="xent.epochs").set_value(100)
    at.select_slider(key="xent.batch").set_value(16)
    at.number_input(key="xent.iseed").set_value(3)
    run(at)
    points = datasets.textbook_points()
    from lib.engine import logistic

    expected = logistic.run(points, "adam", 0.01, 100, 16, 0.0, 3).weights
    contour = spec(at, "contour")
    path = trace(contour, NAMES["path"])
    assert len(decode(path["x"])) == 101
    assert np.allclose(decode(path["x"]), expected[:, 1])
    assert np.allclose(decode(path["y"]), expected[:, 2])
    surface = spec(at, "surface3d")
    heights = decode(trace(surface, NAMES["path"])["z"])
    assert np.allclose(heights, loss_surface.path_values(expected, points.x, points.t))
    assert len(at.dataframe) == 1
    summary = text("xent.path_far").split("{start")[0].format(epochs=100)
    assert any(m.value.startswith(summary) for m in at.markdown)
    assert at.query_params["path"] == "1" and at.query_params["opt"] == "adam"
    at.button(key="xent.go_trained").click()
    run(at)
    assert np.allclose(weights(at), rounded(expected[-1]))
    # Switching the path off keeps the training settings.
    at.toggle(key="xent.path").set_value(False)
    run(at)
    assert at.selectbox(key="xent.opt").value == "adam"
    assert not [d for d in spec(at, "contour")["data"] if d.get("name") == NAMES["path"]]


def test_url_garbage_is_reported_and_clamped():
    at = open_page(w0="abc", w1="99", p="nan", pair="w9w9", w1lo="1.5", w1hi="-0.25",
                   lr="0.002", epochs="1e999", path="maybe", iseed="-5")
    text = " ".join(w.value for w in at.warning)
    for name in ("w0", "w1", "p", "pair", "lr", "path", "iseed"):
        assert f"`{name}`" in text, name
    assert weights(at)[0] == -6.0 and weights(at)[1] == 2.0
    assert at.slider(key="xent.p").value == 0.9
    assert at.selectbox(key="xent.pair").value == "w1w2"
    assert at.slider(key="xent.view_w1").value == (-0.25, 1.5)  # put in order
    assert at.select_slider(key="xent.lr").value == 0.003
    assert at.number_input(key="xent.iseed").value == 0
    assert at.toggle(key="xent.path").value is False
    for key in CHARTS:
        assert all_finite(spec(at, key)), key


@pytest.mark.parametrize("query", [
    {"w0": "1e999", "epochs": "-5", "lr": "abc", "opt": "<script>alert(1)</script>"},
    {"src": "../../etc/passwd", "n": "NaN", "sep": "inf", "dseed": "9" * 200},
    {"lang": "fr", "lecture": "maybe", "batch": "1e9", "p": "-0.5", "iseed": "-1"},
    {"w1": "[1,2]", "w2": "`rm -rf`", "iseed": "０x１", "w0lo": "", "w0hi": "x" * 65},
])
def test_hostile_urls_are_clamped_with_a_notice(query):
    at = app_test(PAGE, query)
    assert_clean(at)
    assert at.warning, "a notice about the URL"
    assert len(plotly_specs(at)) == len(CHARTS)
    for key in CHARTS:
        assert all_finite(spec(at, key)), key


def test_parameters_at_the_edges_of_their_ranges():
    at = open_page(w0="30", w1="2", w2="2", pair="w0w1", w0lo="-30", w0hi="30", w1lo="-2",
                   w1hi="2")
    assert not at.warning
    for key in CHARTS:
        assert all_finite(spec(at, key)), key
    for m in at.metric:
        assert "nan" not in m.value.lower() and "inf" not in m.value.lower()
    points = datasets.textbook_points()
    e = loss_surface.xent([30.0, 2.0, 2.0], points.x, points.t)
    assert metric(at, text("logistic.cross_entropy")) == f"{e:.3f}"
    assert e > 1000  # every × point confidently wrong: large but exact, not clipped


def test_generated_data_of_a_thousand_points():
    # That the choice carries over to the logistic page is checked in a real browser: AppTest's
    # switch_page gives the shared data widgets fresh state, which a browser session does not.
    at = open_page()
    at.radio(key="data.src").set_value("generated")
    run(at)
    at.slider(key="data.n").set_value(500)
    at.slider(key="data.sep").set_value(0.0)
    run(at)
    assert at.query_params["src"] == "generated" and at.query_params["n"] == "500"
    assert text("xent.shares_bars_limited", shown=200, n=1000) in [c.value for c in at.caption]
    bars = spec(at, "shares_bars")
    assert sum(len(decode(d["x"])) for d in bars["data"] if d["type"] == "bar") == 200
    points = datasets.generated_points(500, 0.0, 4.5, 1)
    e = loss_surface.xent([-6.0, 0.2, 0.2], points.x, points.t)
    assert metric(at, text("logistic.cross_entropy")) == f"{e:.3f}"
    for key in CHARTS:
        assert all_finite(spec(at, key)), key


def test_csv_upload_good_and_bad():
    at = open_page()
    at.radio(key="data.src").set_value("upload")
    run(at)
    at.file_uploader(key="data.file").upload("p.csv", b"x,y,t\n1,2,0\n3,1,0\n2,5,1\n4,4,1\n",
                                            "text/csv")
    run(at)
    x = np.array([[1, 2], [3, 1], [2, 5], [4, 4]], dtype=float)
    t = np.array([0, 0, 1, 1])
    expected = f"{loss_surface.xent([-6, 0.2, 0.2], x, t):.3f}"
    assert metric(at, text("logistic.cross_entropy")) == expected
    at.file_uploader(key="data.file").upload("bad.csv", b"x,y,t\n1,2,7\nfoo,1,0\n", "text/csv")
    run(at)
    assert at.error  # said what is wrong, and kept the previous points
    assert metric(at, text("logistic.cross_entropy")) == expected
    for key in CHARTS:
        assert all_finite(spec(at, key)), key


def test_lecture_mode():
    at = open_page(lecture="1")
    assert at.toggle(key="app.lecture").value is True
    assert spec(at, "shares_map")["layout"]["height"] == Look.of("ja", lecture=True).height
    at.toggle(key="app.lecture").set_value(False)
    run(at)
    assert spec(at, "shares_map")["layout"]["height"] == PLAIN.height


def test_separable_data_have_no_minimum():
    at = open_page(src="generated", sep="30", spread="0.5", n="10")
    points = datasets.generated_points(10, 30.0, 0.5, 1)
    assert not maths.logistic_optimum(points.x, points.t)[1]
    assert text("logistic.separable_note") in [i.value for i in at.info]
    assert not [b for b in at.button if b.key == "xent.go_minimum"]
    assert not [d for d in spec(at, "contour")["data"] if d.get("name") == NAMES["minimum"]]
    at.button(key="xent.fit_view").click()
    run(at)
    for key in CHARTS:
        assert all_finite(spec(at, key)), key


def test_compare_tab_slopes_at_a_confidently_wrong_point():
    at = open_page()
    at.button(key="xent.go_wrong").click()
    run(at)
    w = weights(at)
    assert np.allclose(w, [-6.0, -0.3, -0.3])
    points = datasets.textbook_points()
    e_slope = float(metric(at, text("xent.slope_mean_xent")))
    m_slope = float(metric(at, text("xent.slope_mse")))
    assert e_slope == pytest.approx(
        np.linalg.norm(loss_surface.xent_gradient(w, points.x, points.t)) / len(points), rel=1e-3)
    assert m_slope < 1e-4 < 1.0 < e_slope  # the plateau of M, the steady slope of E
    mse = spec(at, "compare_mse")
    assert decode(trace(mse, NAMES["current"])["z"])[0] == pytest.approx(
        loss_surface.mse(w, points.x, points.t))
