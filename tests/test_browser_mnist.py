"""The MNIST page in headless Chromium: it trains, and a digit drawn on the
canvas with the mouse gets a prediction. Screenshots go to test-artifacts/screenshots/.
(The app server reads the offline digits: tests/conftest.py sets MNIST_OFFLINE.)"""
import re

import pytest

from lib.ui import i18n
from support.browser import charts_drawn, expect, metric_value, no_exception, open_page, \
    screenshot, title

pytestmark = pytest.mark.browser
# One language per page's steps (they alternate across pages): the steps are the same in both,
# and every page is drawn and titled in both languages by test_browser_lecture.py.


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


@pytest.mark.parametrize("lang", ["ja"])
def test_mnist_trains_and_reads_a_drawn_digit(page, app_url, lang):
    open_page(page, f"{app_url}/mnist?lang={lang}")
    assert i18n.t("mnist.title", lang=lang) in title(page)
    charts_drawn(page, 2)
    screenshot(page, f"mnist_{lang}_digit")

    page.locator("[data-testid=stTab]").nth(1).click()
    accuracy = metric_value(page, i18n.t("mnist.test_accuracy", lang=lang))
    assert float(accuracy.rstrip("%")) > 85
    screenshot(page, f"mnist_{lang}_training")

    page.locator("[data-testid=stTab]").nth(2).click()
    empty = page.get_by_text(i18n.t("mnist.empty_drawing", lang=lang))
    expect(empty).to_be_visible()
    _draw_a_one(page)
    prefix = i18n.t("mnist.prediction", lang=lang, digit=0, p=0.0).split("**")[0].strip()
    prediction = page.locator("[data-testid=stMarkdownContainer]",
                              has_text=re.compile("^" + re.escape(prefix))).first
    expect(prediction).to_be_visible()
    no_exception(page)
    assert prediction.inner_text()[len(prefix):].strip()[0].isdigit()
    expect(empty).to_have_count(0)
    screenshot(page, f"mnist_{lang}_drawn")
