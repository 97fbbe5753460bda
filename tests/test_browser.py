"""The real app in headless Chromium: the logistic page's sliders answer, training draws, a
prepared link gives the same results in fresh browsers, and the sidebar copies the current view.
(Every page's title and look in both languages: test_browser_lecture.py.)

Screenshots of every step are kept in test-artifacts/screenshots/.
"""
import re

import pytest

from lib.ui import i18n
from support.browser import charts_drawn, expect, metric, metric_value, no_exception, \
    open_page, press, screenshot, title, wait_changed, wait_idle

pytestmark = pytest.mark.browser
# One language per page's steps (they alternate across pages): the steps are the same in both,
# and every page is drawn and titled in both languages by test_browser_lecture.py.


@pytest.mark.parametrize("lang", ["ja"])
def test_logistic_slider_and_training(page, app_url, lang):
    open_page(page, f"{app_url}/logistic?lang={lang}")
    assert i18n.t("logistic.title", lang=lang) in title(page)
    charts_drawn(page, 1)
    label = i18n.t("logistic.cross_entropy", lang=lang)
    before = metric_value(page, label)
    screenshot(page, f"logistic_{lang}_manual")

    # Move w0 with the keyboard, as a user would after clicking the thumb.
    press(page, "logistic-w0", "ArrowRight", times=15)
    page.wait_for_url(re.compile(r"w0=-4\.5"))  # -6.0 + 15 × 0.1, in the URL
    wait_changed(page, label, before)

    # Train: switch to the training tab and pick another optimizer.
    page.locator("[data-testid=stTab]").nth(1).click()
    page.locator(".st-key-logistic-opt").click()
    page.get_by_role("option", name=re.compile("Adam")).click()
    page.wait_for_url(re.compile(r"opt=adam"))
    wait_idle(page)
    charts_drawn(page, 3)
    expect(metric(page, i18n.t("logistic.train_accuracy", lang=lang))).to_have_text("85.7%")
    no_exception(page)
    screenshot(page, f"logistic_{lang}_trained")


def test_a_link_reproduces_the_view(fresh_tab, app_url):
    """Open a prepared link in two fresh browser contexts: the same settings and results."""
    link = f"{app_url}/logistic?lang=en&opt=adam&lr=0.01&epochs=500&w1=0.1&src=generated&n=30"
    views = []
    for tab in (fresh_tab(), fresh_tab()):
        open_page(tab, link)
        tab.locator("[data-testid=stTab]").nth(1).click()
        charts_drawn(tab, 3)
        views.append(tab.locator("[data-testid=stMetricValue]").all_inner_texts())
    assert views[0] == views[1] and len(views[0]) >= 7


def test_copy_link_copies_the_current_view(fresh_tab, app_url):
    tab = fresh_tab(permissions=["clipboard-read", "clipboard-write"])
    open_page(tab, f"{app_url}/logistic?lang=en&w1=0.1")
    tab.locator("button.copy-link").click()
    expect(tab.locator("button.copy-link")).to_contain_text("Copied")
    copied = tab.evaluate("() => navigator.clipboard.readText()")
    assert copied == tab.url and "w1=0.1" in copied
