"""The regression page and the sigmoid explorer in headless Chromium.

The same steps as the logistic page's browser test: the page renders, a slider moved with the
keyboard changes the numbers and the URL, training draws its figures, no exception. Screenshots
are kept in test-artifacts/screenshots/.
"""
import re

import pytest

from lib.ui import i18n
from support.browser import charts_drawn, metric_value, no_exception, open_page, press, \
    screenshot, title, wait_changed, wait_idle

pytestmark = pytest.mark.browser
# One language per page's steps (they alternate across pages): the steps are the same in both,
# and every page is drawn and titled in both languages by test_browser_lecture.py.


@pytest.mark.parametrize("lang", ["en"])
def test_regression_by_hand_training_and_over_fitting(page, app_url, lang):
    open_page(page, f"{app_url}/regression?lang={lang}")
    assert i18n.t("regression.title", lang=lang) in title(page)
    charts_drawn(page, 1)
    label = i18n.t("regression.mse", lang=lang)
    before = metric_value(page, label)
    screenshot(page, f"regression_{lang}_by_hand")

    press(page, "regression-slope", "End")  # the steepest line the slider offers
    wait_changed(page, label, before)
    assert re.search(r"slope=[1-9]\d*(&|$)", page.url), page.url

    page.locator("[data-testid=stTab]").nth(1).click()
    charts_drawn(page, 3)
    slope = metric_value(page, i18n.t("regression.trained_slope", lang=lang))
    assert float(slope) == pytest.approx(2.92366, abs=1e-3)  # the least-squares slope
    screenshot(page, f"regression_{lang}_trained")

    page.locator(".st-key-regression-preset_overfit button").first.click()
    page.wait_for_url(re.compile(r"deg=9"))
    wait_idle(page)
    charts_drawn(page, 3)
    assert "deg=9" in page.url and "test=0.3" in page.url
    assert page.locator("[data-testid=stMetric]",
                        has_text=i18n.t("regression.test_mse", lang=lang)).count() == 1
    no_exception(page)
    screenshot(page, f"regression_{lang}_overfitting")


@pytest.mark.parametrize("lang", ["ja"])
def test_sigmoid_point_and_surface(page, app_url, lang):
    open_page(page, f"{app_url}/sigmoid?lang={lang}")
    assert i18n.t("sigmoid.title", lang=lang) in title(page)
    charts_drawn(page, 3)
    before = metric_value(page, "σ(a)")
    assert before == "0.7311"
    press(page, "sigmoid-a", "Home")  # a = −10: σ is all but 0
    assert wait_changed(page, "σ(a)", before) == "0.0000"
    assert re.search(r"a=-10(&|$)", page.url), page.url

    label = i18n.t("sigmoid.width", lang=lang)
    width = metric_value(page, label)
    press(page, "sigmoid-w1", "End")  # w1 = 2: a steeper rise, a narrower band
    assert float(wait_changed(page, label, width)) < float(width)
    assert re.search(r"w1=2(&|$)", page.url), page.url
    no_exception(page)
    screenshot(page, f"sigmoid_{lang}")
