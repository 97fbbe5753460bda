"""The linear multiclass page and the glossary in headless Chromium, in both languages.

Screenshots of every step are kept in test-artifacts/screenshots/.
"""
import re

import pytest

from conftest import screenshot, wait_idle
from lib.ui import glossary
from lib.ui import i18n

pytestmark = pytest.mark.browser


def _open(tab, url):
    tab.set_default_timeout(120_000)  # a shared, busy machine: screenshots of WebGL can be slow
    tab.goto(url)
    wait_idle(tab)
    assert tab.locator("[data-testid=stException]").count() == 0


def _charts_drawn(tab, at_least):
    """Plotly draws into .main-svg elements once a figure is really rendered."""
    tab.wait_for_function(
        "n => new Set(Array.from(document.querySelectorAll("
        "'[data-testid=stPlotlyChart] .main-svg'), e => e.closest('[data-testid=stPlotlyChart]')"
        ")).size >= n", arg=at_least, timeout=120_000)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_multiclass_regions_hover_and_sliders(page, app_url, lang):
    _open(page, f"{app_url}/multiclass?lang={lang}")
    assert i18n.t("multiclass.title", lang=lang) in page.locator("h1").first.inner_text()
    _charts_drawn(page, 3)
    screenshot(page, f"multiclass_{lang}")

    # Hovering over the plane shows every class's probability there.
    regions = page.locator("[data-testid=stPlotlyChart]").first
    regions.scroll_into_view_if_needed()
    box = regions.locator(".nsewdrag").first.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.04, box["y"] + box["height"] * 0.96)
    page.wait_for_function(
        "() => (document.querySelector('.hoverlayer') || {}).textContent?.includes('P(')",
        timeout=30_000)
    hover = page.locator(".hoverlayer").first.text_content()
    assert hover.count("P(") == 3 and i18n.t("multiclass.predicted", lang=lang) in hover

    # Four classes: the radio answers, the URL keeps it, every chart shows four classes.
    page.locator(".st-key-multiclass-k label").filter(has_text="4").click()
    wait_idle(page)
    _charts_drawn(page, 3)
    assert re.search(r"[?&]k=4", page.url), page.url
    legend = page.locator("[data-testid=stPlotlyChart]").first.locator(".legendtext")
    assert legend.count() == 5  # the boundaries and four classes

    # Move the points-per-class slider with the keyboard.
    thumb = page.locator(".st-key-multiclass-n input[type=range]")
    thumb.focus()
    for _ in range(5):
        thumb.press("ArrowRight")
    page.wait_for_url(re.compile(r"[?&]n=35"), timeout=60_000)  # 30 + 5 steps, in the URL
    wait_idle(page)
    assert page.locator("[data-testid=stException]").count() == 0
    screenshot(page, f"multiclass_{lang}_four_classes")


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_glossary_search_and_links(page, app_url, lang):
    _open(page, f"{app_url}/glossary?lang={lang}")
    assert i18n.t("glossary.title", lang=lang) in page.locator("h1").first.inner_text()
    terms = page.locator("[class*=st-key-glossary-term-]")
    assert terms.count() == len(glossary.TERMS)
    screenshot(page, f"glossary_{lang}")

    box = page.locator(".st-key-glossary-q input")
    box.fill("ソフトマックス" if lang == "en" else "softmax")  # the other language works too
    box.press("Enter")
    wait_idle(page)
    page.wait_for_function(
        "() => document.querySelectorAll('[class*=st-key-glossary-term-]').length === 1")
    screenshot(page, f"glossary_{lang}_search")

    page.locator(".st-key-glossary-term-softmax [data-testid=stPageLink] a").click()
    wait_idle(page)
    page.wait_for_url(re.compile(r"/multiclass"))
    assert i18n.t("multiclass.title", lang=lang) in page.locator("h1").first.inner_text()
