"""AppTest runs of the linear multiclass page: every widget, the URL, bad input, divergence."""

import numpy as np
import pytest

from conftest import app_test, assert_clean, metric, plotly_specs
from conftest import decode as _array
from lib.ui import i18n
from lib.core import multiclass_data


def _page(query=None):
    at = app_test("multiclass", query)
    assert_clean(at)
    return at


def _metric(at, label_key):
    return metric(at, i18n.t(label_key, lang=at.session_state["app.lang"]))


def _charts(at):
    """(regions, curves, space) figures, found by their trace types."""
    specs = plotly_specs(at)
    regions = next(s for s in specs if s["data"][0]["type"] == "heatmap")
    space = next(s for s in specs if any(tr["type"] == "scatter3d" for tr in s["data"]))
    curves = next(s for s in specs if s is not regions and s is not space)
    return regions, curves, space


def _names(figure, kind):
    return [tr.get("name") for tr in figure["data"] if tr["type"] == kind and tr.get("mode") ==
            "markers"]


def test_default_view_trains_and_draws():
    at = _page()
    assert len(plotly_specs(at)) == 3
    assert at.title[0].value == i18n.t("multiclass.title", lang="ja")
    regions, curves, space = _charts(at)
    assert _names(regions, "scatter") == [i18n.t("multiclass.class_name", lang="ja", k=k,
                                                 glyph=g) for k, g in enumerate("○×□")]
    assert float(_metric(at, "multiclass.train_accuracy").rstrip("%")) >= 90
    # The hover data: every grid cell carries the K probabilities, which add up to 1.
    cells = _array(regions["data"][0]["customdata"])
    assert cells.shape[-1] == 3 and np.allclose(cells.sum(axis=-1), 1, atol=0.01)
    assert any(tr["type"] == "mesh3d" for tr in space["data"])
    assert any("Dense(CLASSES" in c.value for c in at.code)
    assert not at.error and not at.warning
    # The bridge links to the MNIST page, now that the app registers it.
    assert [(link.proto.label, link.proto.page) for link in at.get("page_link")] == [
        (i18n.t("multiclass.mnist_link", lang="ja"), "mnist")]
    assert not any(c.value == i18n.t("multiclass.mnist_pending", lang="ja") for c in at.caption)


def test_every_widget():
    at = _page({"lang": "en"})
    key = "multiclass.{}".format
    at.radio(key=key("k")).set_value(4)
    at.slider(key=key("n")).set_value(50)
    at.slider(key=key("spread")).set_value(2.0)
    at.number_input(key=key("dseed")).set_value(3)
    at.selectbox(key=key("opt")).set_value("rmsprop")
    at.select_slider(key=key("lr")).set_value(0.003)
    at.select_slider(key=key("epochs")).set_value(500)
    at.select_slider(key=key("batch")).set_value(16)
    at.slider(key=key("test")).set_value(0.2)
    at.number_input(key=key("iseed")).set_value(7)
    at.toggle(key=key("ties")).set_value(True)
    at.radio(key=key("k3")).set_value(4)
    at.slider(key=key("spread3")).set_value(3.0)
    at.number_input(key=key("seed3")).set_value(5)
    at.run()
    assert_clean(at)
    regions, curves, space = _charts(at)
    assert len(_names(regions, "scatter")) == 4 and len(_names(space, "scatter3d")) == 4
    assert i18n.t("multiclass.ties", lang="en") in [tr.get("name") for tr in regions["data"]]
    assert {tr["name"] for tr in curves["data"]} == {"training data", "test data"}
    assert _metric(at, "multiclass.test_accuracy").endswith("%")
    assert at.query_params["k"] == "4" and at.query_params["batch"] == "16"
    assert at.query_params["opt"] == "rmsprop" and at.query_params["ties"] == "1"
    assert at.query_params["k3"] == "4" and at.query_params["seed3"] == "5"
    table = at.dataframe[0].value
    assert len(table) == 4 and list(table.columns)[1:] == ["w0", "w1", "w2"]


def test_a_link_opens_the_same_settings():
    query = {"lang": "en", "k": "4", "n": "20", "opt": "sgd", "lr": "0.001", "epochs": "200",
             "ties": "1", "k3": "4"}
    at = _page(query)
    assert at.radio(key="multiclass.k").value == 4
    assert at.select_slider(key="multiclass.epochs").value == 200
    assert at.toggle(key="multiclass.ties").value is True
    regions, _, space = _charts(at)
    assert len(_names(regions, "scatter")) == 4 and len(_names(space, "scatter3d")) == 4


def test_sidebar_language_and_lecture_mode():
    at = _page()
    at.radio(key="app.lang").set_value("en")
    at.toggle(key="app.lecture").set_value(True)
    at.run()
    assert_clean(at)
    assert at.title[0].value == i18n.t("multiclass.title", lang="en")
    assert at.query_params["lecture"] == "1"


def test_diverging_training_is_reported():
    at = _page({"lang": "en", "opt": "sgd", "lr": "100"})
    assert any("diverged" in e.value for e in at.error)
    assert len(plotly_specs(at)) == 3


@pytest.mark.parametrize("query", [
    {"k": "7", "n": "1e999", "spread": "-3", "opt": "<script>alert(1)</script>"},
    {"src": "../../etc/passwd", "lr": "NaN", "epochs": "inf", "dseed": "9" * 200},
    {"batch": "1e9", "test": "0.99", "iseed": "-1", "ties": "maybe", "k3": "[1]"},
    {"spread3": "`rm -rf`", "seed3": "０x１", "lang": "fr"},
])
def test_hostile_urls_are_clamped_with_a_notice(query):
    at = _page(query)
    assert at.warning, "a notice about the URL"
    assert len(plotly_specs(at)) == 3


def test_url_values_are_shown_literally():
    at = _page({"lang": "en", "opt": "<b>x</b>", "k": "[a](http://x)"})
    notice = " ".join(w.value for w in at.warning)
    assert "`<b>x</b>`" in notice and "`[a](http://x)`" in notice


def test_upload_good_and_bad_csv_keeps_the_data():
    at = _page({"lang": "en", "src": "upload"})
    assert any(i.value == i18n.t("data.upload_waiting", lang="en") for i in at.info)
    good = b"x,y,class\n1,2,0\n2,1,0\n8,9,1\n9,8,1\n1,9,2\n2,8,2\n9,1,3\n8,2,3\n"
    at.file_uploader(key="multiclass.file").set_value(("mine.csv", good, "text/csv")).run()
    assert_clean(at)
    assert any("8 points (4 classes)" in c.value for c in at.caption)
    for raw, code in ((b"", "csv_empty"), (b"\x00\x01binary", "csv_binary"),
                      (b"a,b\n1,2\n", "csv_columns"), (b"x,y,class\n1,2,0\n3,4,2\n", "csv_gap"),
                      (b"x,y,class\n1,2,0\n3,4,9\n", "csv_labels"),
                      (b"x,y,class\n1,2,0\n3,4,0\n", "csv_one_class"),
                      (b"x,y,class\n" + b"1.000000,2.000000,0\n" * 60_000, "csv_too_big")):
        at.file_uploader(key="multiclass.file").set_value(("bad.csv", raw, "text/csv")).run()
        assert_clean(at)
        errors = " ".join(e.value for e in at.error)
        assert "previous data stays in use" in errors, code
        table = "multiclass" if code in multiclass_data.OWN_CODES else "csv"
        assert i18n.t(f"{table}.{code}", lang="en").split("{")[0][:15] in errors, code
        regions, _, _ = _charts(at)
        assert len(_names(regions, "scatter")) == 4  # still the four uploaded classes


def test_a_file_name_is_shown_literally():
    at = _page({"lang": "en", "src": "upload"})
    at.file_uploader(key="multiclass.file").set_value(
        ("[x](javascript:alert(1)).csv", multiclass_data.template_csv().encode(), "text/csv"))
    at.run()
    assert_clean(at)
    assert any("`[x](javascript:alert(1)).csv`" in c.value for c in at.caption)
