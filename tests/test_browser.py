"""The real app in headless Chromium: pages render, sliders answer, training draws, no exception.

Screenshots of every step are kept in test-artifacts/screenshots/.
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
    """Plotly draws into .main-svg elements once a figure is really rendered."""
    page.wait_for_function(
        f"() => document.querySelectorAll('[data-testid=stPlotlyChart] .main-svg').length"
        f" >= {at_least}", timeout=60_000)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_home(page, app_url, lang):
    _open(page, f"{app_url}/?lang={lang}")
    assert i18n.t("home.title", lang=lang) in page.locator("h1").first.inner_text()
    screenshot(page, f"home_{lang}")


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_logistic_slider_and_training(page, app_url, lang):
    _open(page, f"{app_url}/logistic?lang={lang}")
    assert i18n.t("logistic.title", lang=lang) in page.locator("h1").first.inner_text()
    _charts_drawn(page, 1)
    label = i18n.t("logistic.cross_entropy", lang=lang)
    metric = page.locator("[data-testid=stMetric]", has_text=label)
    before = metric.locator("[data-testid=stMetricValue]").inner_text()
    screenshot(page, f"logistic_{lang}_manual")

    # Move w0 with the keyboard, as a user would after clicking the thumb.
    thumb = page.locator(".st-key-logistic-w0 input[type=range]")
    thumb.focus()
    for _ in range(15):
        thumb.press("ArrowRight")
    page.wait_for_url(re.compile(r"w0=-4\.5"), timeout=30_000)  # -6.0 + 15 × 0.1, in the URL
    wait_idle(page)
    after = metric.locator("[data-testid=stMetricValue]").inner_text()
    assert after != before

    # Train: switch to the training tab and pick another optimizer.
    page.locator("[data-testid=stTab]").nth(1).click()
    page.locator(".st-key-logistic-opt").click()
    page.get_by_role("option", name=re.compile("Adam")).click()
    wait_idle(page)
    _charts_drawn(page, 3)
    assert "opt=adam" in page.url
    accuracy = page.locator("[data-testid=stMetric]",
                            has_text=i18n.t("logistic.train_accuracy", lang=lang))
    assert accuracy.locator("[data-testid=stMetricValue]").inner_text() == "85.7%"
    assert page.locator("[data-testid=stException]").count() == 0
    screenshot(page, f"logistic_{lang}_trained")


def test_a_link_reproduces_the_view(browser, app_url):
    """Open a prepared link in a fresh browser context: the same settings and results."""
    link = f"{app_url}/logistic?lang=en&opt=adam&lr=0.01&epochs=500&w1=0.1&src=generated&n=30"
    views = []
    for _ in range(2):
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        tab = context.new_page()
        _open(tab, link)
        tab.locator("[data-testid=stTab]").nth(1).click()
        _charts_drawn(tab, 3)
        views.append(tab.locator("[data-testid=stMetricValue]").all_inner_texts())
        context.close()
    assert views[0] == views[1] and len(views[0]) >= 7


def test_lecture_mode_enlarges_text(page, app_url):
    _open(page, f"{app_url}/logistic?lang=en")
    size = page.locator("[data-testid=stMain] p").first.evaluate(
        "e => parseFloat(getComputedStyle(e).fontSize)")
    _open(page, f"{app_url}/logistic?lang=en&lecture=1")
    _charts_drawn(page, 1)
    larger = page.locator("[data-testid=stMain] p").first.evaluate(
        "e => parseFloat(getComputedStyle(e).fontSize)")
    assert larger > size * 1.15
    screenshot(page, "logistic_en_lecture")


def test_copy_link_copies_the_current_view(browser, app_url):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=app_url)
    tab = context.new_page()
    _open(tab, f"{app_url}/logistic?lang=en&w1=0.1")
    tab.locator("button.copy-link").click()
    tab.wait_for_function("() => document.querySelector('button.copy-link')"
                          ".textContent.includes('Copied')", timeout=10_000)
    copied = tab.evaluate("() => navigator.clipboard.readText()")
    assert copied == tab.url and "w1=0.1" in copied
    context.close()
