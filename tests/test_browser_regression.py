"""The regression page and the sigmoid explorer in headless Chromium, in both languages.

The same steps as the logistic page's browser test: the page renders, a slider moved with the
keyboard changes the numbers and the URL, training draws its figures, no exception. Screenshots
are kept in test-artifacts/screenshots/.
"""
import re

import pytest

from conftest import screenshot, wait_idle
from lib.ui import i18n

pytestmark = pytest.mark.browser


def _open(page, url):
    page.goto(url)
    wait_idle(page)
    assert page.locator("[data-testid=stException]").count() == 0


def _charts_drawn(page, at_least):
    page.wait_for_function(
        f"() => document.querySelectorAll('[data-testid=stPlotlyChart] .main-svg').length"
        f" >= {at_least}", timeout=90_000)


def _metric_value(page, label):
    metric = page.locator("[data-testid=stMetric]", has_text=label).first
    return metric.locator("[data-testid=stMetricValue]").inner_text()


def _press(page, key, button):
    """Move a slider with the keyboard. Home/End go to the ends whatever the reruns in between
    (arrow presses made while a rerun runs may be merged)."""
    thumb = page.locator(f".st-key-{key} input[type=range]")
    thumb.focus()
    thumb.press(button)
    wait_idle(page)


def _wait_changed(page, label, before):
    page.wait_for_function(
        "([label, before]) => { const m = Array.from(document.querySelectorAll("
        "'[data-testid=stMetric]')).find(e => e.innerText.includes(label));"
        " return m && !m.innerText.includes(before); }", arg=[label, before], timeout=30_000)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_regression_by_hand_training_and_over_fitting(page, app_url, lang):
    _open(page, f"{app_url}/regression?lang={lang}")
    assert i18n.t("regression.title", lang=lang) in page.locator("h1").first.inner_text()
    _charts_drawn(page, 1)
    label = i18n.t("regression.mse", lang=lang)
    before = _metric_value(page, label)
    screenshot(page, f"regression_{lang}_by_hand")

    _press(page, "regression-slope", "End")  # the steepest line the slider offers
    _wait_changed(page, label, before)
    assert re.search(r"slope=[1-9]\d*(&|$)", page.url), page.url

    page.locator("[data-testid=stTab]").nth(1).click()
    _charts_drawn(page, 5)
    slope = _metric_value(page, i18n.t("regression.trained_slope", lang=lang))
    assert float(slope) == pytest.approx(2.92366, abs=1e-3)  # the least-squares slope
    screenshot(page, f"regression_{lang}_trained")

    page.locator(".st-key-regression-preset_overfit button").first.click()
    wait_idle(page)
    _charts_drawn(page, 5)
    assert "deg=9" in page.url and "test=0.3" in page.url
    assert page.locator("[data-testid=stMetric]",
                        has_text=i18n.t("regression.test_mse", lang=lang)).count() == 1
    assert page.locator("[data-testid=stException]").count() == 0
    screenshot(page, f"regression_{lang}_overfitting")


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_sigmoid_point_and_surface(page, app_url, lang):
    _open(page, f"{app_url}/sigmoid?lang={lang}")
    assert i18n.t("sigmoid.title", lang=lang) in page.locator("h1").first.inner_text()
    _charts_drawn(page, 3)
    before = _metric_value(page, "σ(a)")
    assert before == "0.7311"
    _press(page, "sigmoid-a", "Home")  # a = −10: σ is all but 0
    _wait_changed(page, "σ(a)", before)
    assert _metric_value(page, "σ(a)") == "0.0000"
    assert re.search(r"a=-10(&|$)", page.url), page.url

    label = i18n.t("sigmoid.width", lang=lang)
    width = _metric_value(page, label)
    _press(page, "sigmoid-w1", "End")  # w1 = 2: a steeper rise, a narrower band
    _wait_changed(page, label, width)
    assert float(_metric_value(page, label)) < float(width)
    assert re.search(r"w1=2(&|$)", page.url), page.url
    assert page.locator("[data-testid=stException]").count() == 0
    screenshot(page, f"sigmoid_{lang}")
