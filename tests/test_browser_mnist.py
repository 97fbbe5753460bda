"""The MNIST page in headless Chromium, in both languages: it trains, and a digit drawn on the
canvas with the mouse gets a prediction. Screenshots go to test-artifacts/screenshots/."""
import os

import pytest

from conftest import screenshot, wait_idle
from lib.ui import i18n
from lib.core import mnist

os.environ.setdefault(mnist.OFFLINE_ENV, "1")  # the app server inherits it: offline digits
pytestmark = pytest.mark.browser


def _no_exception(page):
    assert page.locator("[data-testid=stException]").count() == 0


def _draw_a_one(page):
    """Press the mouse in the canvas and drag a vertical stroke, as a student would."""
    canvas = page.locator(".st-key-mnist-canvas canvas").last
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    x, top = box["x"] + box["width"] / 2, box["y"] + box["height"] * 0.15
    page.mouse.move(x, top)
    page.mouse.down()
    for step in range(1, 21):
        page.mouse.move(x + step * 0.5, top + step * box["height"] * 0.035)
    page.mouse.up()


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_mnist_trains_and_reads_a_drawn_digit(page, app_url, lang):
    page.goto(f"{app_url}/mnist?lang={lang}")
    wait_idle(page)
    _no_exception(page)
    assert i18n.t("mnist.title", lang=lang) in page.locator("h1").first.inner_text()
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=stPlotlyChart] .main-svg').length >= 3",
        timeout=60_000)
    screenshot(page, f"mnist_{lang}_digit")

    page.locator("[data-testid=stTab]").nth(1).click()
    label = i18n.t("mnist.test_accuracy", lang=lang)
    metric = page.locator("[data-testid=stMetric]", has_text=label)
    accuracy = float(metric.locator("[data-testid=stMetricValue]").inner_text().rstrip("%"))
    assert accuracy > 85
    screenshot(page, f"mnist_{lang}_training")

    page.locator("[data-testid=stTab]").nth(2).click()
    empty = i18n.t("mnist.empty_drawing", lang=lang)
    assert page.get_by_text(empty).is_visible()
    _draw_a_one(page)
    prefix = i18n.t("mnist.prediction", lang=lang, digit=0, p=0.0).split("**")[0].strip()
    page.wait_for_function(
        "(prefix) => Array.from(document.querySelectorAll('[data-testid=stMarkdownContainer]'))"
        ".some(e => e.innerText.startsWith(prefix))", arg=prefix, timeout=60_000)
    wait_idle(page)
    _no_exception(page)
    prediction = next(text for text in page.locator(
        "[data-testid=stMarkdownContainer]").all_inner_texts() if text.startswith(prefix))
    assert prediction[len(prefix):].strip()[0].isdigit()
    assert page.get_by_text(empty).count() == 0
    screenshot(page, f"mnist_{lang}_drawn")
