"""The cross-entropy surface page in headless Chromium, in both languages.

Screenshots of every step are kept in test-artifacts/screenshots/.
"""
import re

import pytest

from conftest import screenshot, wait_idle
from lib.ui import i18n

pytestmark = pytest.mark.browser


def _open(page, url):
    page.set_default_timeout(120_000)  # a shared, busy machine: WebGL surfaces can be slow
    page.goto(url)
    wait_idle(page)
    assert page.locator("[data-testid=stException]").count() == 0


def _charts_drawn(page, at_least):
    """Plotly draws into .main-svg elements once a figure is really rendered."""
    page.wait_for_function(
        f"() => document.querySelectorAll('[data-testid=stPlotlyChart] .main-svg').length"
        f" >= {at_least}", timeout=120_000)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_cross_entropy_sliders_surface_and_path(page, app_url, lang):
    _open(page, f"{app_url}/cross_entropy?lang={lang}")
    assert i18n.t("xent.title", lang=lang) in page.locator("h1").first.inner_text()
    _charts_drawn(page, 3)

    # One point's cost: P at exactly 0 gives the clipped, finite cost and says so.
    thumb = page.locator(".st-key-xent-p input[type=range]")
    thumb.focus()
    thumb.press("Home")
    wait_idle(page)
    assert "p=0" in page.url
    page.wait_for_function(
        "(label) => Array.from(document.querySelectorAll('[data-testid=stMetric]')).some("
        "e => e.innerText.includes(label) && e.innerText.includes('16.118'))",
        arg=i18n.t("xent.cost_if_circle", lang=lang), timeout=30_000)
    assert page.locator("[data-testid=stAlert]", has_text="ε").count() == 1

    # A parameter slider moves E and is written to the URL.
    label = i18n.t("logistic.cross_entropy", lang=lang)
    metric = page.locator("[data-testid=stMetric]", has_text=label)
    before = metric.locator("[data-testid=stMetricValue]").inner_text()
    thumb = page.locator(".st-key-xent-w1 input[type=range]")
    thumb.focus()
    for _ in range(10):
        thumb.press("ArrowRight")
    wait_idle(page)
    page.wait_for_function(
        "([label, before]) => { const m = Array.from(document.querySelectorAll("
        "'[data-testid=stMetric]')).find(e => e.innerText.includes(label));"
        " return m && !m.innerText.includes(before); }", arg=[label, before], timeout=30_000)
    assert re.search(r"w1=0\.21\b", page.url), page.url  # 0.2 + 10 × 0.001
    screenshot(page, f"cross_entropy_{lang}_shares")

    # The surface tab: the 3-D surface and the contour map; then a Keras path on both.
    page.locator("[data-testid=stTab]").nth(1).click()
    page.locator(".st-key-xent-path label").click()
    wait_idle(page)
    assert "path=1" in page.url
    page.wait_for_selector("[data-testid=stDataFrame]", timeout=120_000)
    _charts_drawn(page, 4)
    assert page.locator("[data-testid=stException]").count() == 0
    screenshot(page, f"cross_entropy_{lang}_surface")

    page.locator("[data-testid=stTab]").nth(2).click()
    wait_idle(page)
    assert page.locator("[data-testid=stException]").count() == 0
    screenshot(page, f"cross_entropy_{lang}_compare")


def test_the_data_choice_carries_over_between_logistic_and_cross_entropy(page, app_url):
    _open(page, f"{app_url}/cross_entropy?lang=en")
    page.locator(".st-key-data-src label", has_text="Random points").click()
    wait_idle(page)
    page.locator("[data-testid=stSidebarNav] a", has_text="Logistic regression").click()
    wait_idle(page)
    assert "/logistic" in page.url
    checked = page.evaluate("Array.from(document.querySelectorAll('.st-key-data-src input'))"
                            ".map(i => i.checked)")
    assert checked == [False, True, False]
    assert page.locator(".st-key-data-n").count() == 1
    page.locator(".st-key-data-src label", has_text="Textbook data").click()
    wait_idle(page)
    page.locator("[data-testid=stSidebarNav] a", has_text="Cross-entropy surface").click()
    wait_idle(page)
    assert "/cross_entropy" in page.url
    checked = page.evaluate("Array.from(document.querySelectorAll('.st-key-data-src input'))"
                            ".map(i => i.checked)")
    assert checked == [True, False, False]
    assert page.locator("[data-testid=stException]").count() == 0
