"""The cross-entropy surface page in headless Chromium.

Screenshots of every step are kept in test-artifacts/screenshots/.
"""
import re

import pytest

from lib.ui import i18n
from support.browser import POLL_MS, charts_drawn, expect, metric, metric_value, no_exception, \
    open_page, press, screenshot, title, wait_changed, wait_idle

pytestmark = pytest.mark.browser
# One language per page's steps (they alternate across pages): the steps are the same in both,
# and every page is drawn and titled in both languages by test_browser_lecture.py.
# Which data source the shared data panel has chosen: textbook, random points, upload.
DATA_CHOICE = ("want => JSON.stringify(Array.from(document.querySelectorAll("
               "'.st-key-data-src input'), i => i.checked)) === JSON.stringify(want)")


@pytest.mark.parametrize("lang", ["en"])
def test_cross_entropy_sliders_surface_and_path(page, app_url, lang):
    open_page(page, f"{app_url}/cross_entropy?lang={lang}")
    assert i18n.t("xent.title", lang=lang) in title(page)
    charts_drawn(page, 3)

    # One point's cost: P at exactly 0 gives the clipped, finite cost and says so.
    press(page, "xent-p", "Home")
    page.wait_for_url(re.compile(r"[?&]p=0(\.0*)?(&|$)"))
    expect(metric(page, i18n.t("xent.cost_if_circle", lang=lang))).to_contain_text("16.118")
    expect(page.locator("[data-testid=stAlert]", has_text="ε")).to_have_count(1)

    # A parameter slider moves E and is written to the URL.
    label = i18n.t("logistic.cross_entropy", lang=lang)
    before = metric_value(page, label)
    press(page, "xent-w1", "ArrowRight", times=10)
    page.wait_for_url(re.compile(r"w1=0\.21\b"))  # 0.2 + 10 × 0.001
    wait_changed(page, label, before)
    screenshot(page, f"cross_entropy_{lang}_shares")

    # The surface tab: the 3-D surface and the contour map; then a Keras path on both.
    page.locator("[data-testid=stTab]").nth(1).click()
    page.locator(".st-key-xent-path label").click()
    page.wait_for_url(re.compile(r"path=1"))
    expect(page.locator("[data-testid=stDataFrame]")).not_to_have_count(0)
    charts_drawn(page, 4)
    no_exception(page)
    screenshot(page, f"cross_entropy_{lang}_surface")

    page.locator("[data-testid=stTab]").nth(2).click()
    no_exception(page)
    screenshot(page, f"cross_entropy_{lang}_compare")


def test_the_data_choice_carries_over_between_logistic_and_cross_entropy(page, app_url):
    open_page(page, f"{app_url}/cross_entropy?lang=en")
    page.locator(".st-key-data-src label", has_text="Random points").click()
    page.wait_for_url(re.compile(r"src=generated"))
    wait_idle(page)
    page.locator("[data-testid=stSidebarNav] a", has_text="Logistic regression").click()
    page.wait_for_url(re.compile(r"/logistic"))
    page.wait_for_function(DATA_CHOICE, arg=[False, True, False], polling=POLL_MS)
    expect(page.locator(".st-key-data-n")).to_have_count(1)
    page.locator(".st-key-data-src label", has_text="Textbook data").click()
    page.wait_for_url(lambda url: "src=generated" not in url)
    wait_idle(page)
    page.locator("[data-testid=stSidebarNav] a", has_text="Cross-entropy surface").click()
    page.wait_for_url(re.compile(r"/cross_entropy"))
    page.wait_for_function(DATA_CHOICE, arg=[True, False, False], polling=POLL_MS)
    no_exception(page)
