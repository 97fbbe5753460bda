"""The linear multiclass page and the glossary in headless Chromium.

Screenshots of every step are kept in test-artifacts/screenshots/.
"""
import re

import pytest

from lib.ui import glossary
from lib.ui import i18n
from support.browser import charts_drawn, expect, no_exception, open_page, press, \
    screenshot, title, wait_idle

pytestmark = pytest.mark.browser
# One language per page's steps (they alternate across pages): the steps are the same in both,
# and every page is drawn and titled in both languages by test_browser_lecture.py.


@pytest.mark.parametrize("lang", ["ja"])
def test_multiclass_regions_hover_and_sliders(page, app_url, lang):
    open_page(page, f"{app_url}/multiclass?lang={lang}")
    assert i18n.t("multiclass.title", lang=lang) in title(page)
    charts_drawn(page, 3)
    screenshot(page, f"multiclass_{lang}")

    # Hovering over the plane shows every class's probability there.
    regions = page.locator("[data-testid=stPlotlyChart]").first
    regions.scroll_into_view_if_needed()
    box = regions.locator(".nsewdrag").first.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.04, box["y"] + box["height"] * 0.96)
    hover = page.locator(".hoverlayer").first
    expect(hover).to_contain_text("P(")
    text = hover.text_content()
    assert text.count("P(") == 3 and i18n.t("multiclass.predicted", lang=lang) in text

    # Four classes: the radio answers, the URL keeps it, every chart shows four classes.
    page.locator(".st-key-multiclass-k label").filter(has_text="4").click()
    page.wait_for_url(re.compile(r"[?&]k=4"))
    wait_idle(page)
    charts_drawn(page, 3)
    legend = page.locator("[data-testid=stPlotlyChart]").first.locator(".legendtext")
    expect(legend).to_have_count(5)  # the boundaries and four classes

    # Move the points-per-class slider with the keyboard.
    press(page, "multiclass-n", "ArrowRight", times=5)
    page.wait_for_url(re.compile(r"[?&]n=35"))  # 30 + 5 steps, in the URL
    wait_idle(page)  # the run that wrote n=35 into the URL has finished
    no_exception(page)
    screenshot(page, f"multiclass_{lang}_four_classes")


@pytest.mark.parametrize("lang", ["en"])
def test_glossary_search_and_links(page, app_url, lang):
    open_page(page, f"{app_url}/glossary?lang={lang}")
    assert i18n.t("glossary.title", lang=lang) in title(page)
    terms = page.locator("[class*=st-key-glossary-term-]")
    assert terms.count() == len(glossary.TERMS)
    screenshot(page, f"glossary_{lang}")

    box = page.locator(".st-key-glossary-q input")
    box.fill("ソフトマックス" if lang == "en" else "softmax")  # the other language works too
    box.press("Enter")
    expect(terms).to_have_count(1)
    screenshot(page, f"glossary_{lang}_search")

    page.locator(".st-key-glossary-term-softmax [data-testid=stPageLink] a").click()
    page.wait_for_url(re.compile(r"/multiclass"))
    expect(page.locator("h1").first).to_contain_text(i18n.t("multiclass.title", lang=lang))
