"""A shared link shows the same view: for every page, a link with settings other than the
defaults is opened in two fresh browsers; both show those settings and the same results, and
the tab a student opened is part of the view a link reproduces."""
import functools
import re
import urllib.parse

import pytest

from conftest import wait_idle
from lib.ui import pages
from test_fuzz import page_params

pytestmark = pytest.mark.browser

APP_WIDE = {"lang", "lecture"}
# What a view is made of: every metric, and what every control shows.
VIEW = """() => {
    const main = document.querySelector('[data-testid=stMain]');
    const texts = selector => Array.from(main.querySelectorAll(selector), e => e.innerText.trim());
    return {
        elements: main.querySelectorAll('[data-testid=stElementContainer]').length,
        tabs: texts('[role=tab][aria-selected=true]'),
        metrics: texts('[data-testid=stMetricValue]'),
        sliders: texts('[data-testid=stSliderThumbValue]'),
        choices: texts('[data-testid=stSelectbox] [data-baseweb=select] > div'),
        numbers: Array.from(main.querySelectorAll('[data-testid=stNumberInput] input'),
                            e => e.value),
        checked: Array.from(main.querySelectorAll('input[type=radio]:checked, '
                                                  + 'input[type=checkbox]:checked'),
                            e => e.closest('label') ? e.closest('label').innerText.trim() : ''),
    };
}"""


@functools.lru_cache(maxsize=None)
def prepared_settings(page: str) -> dict:
    """Up to three of the page's own settings, each moved off its default to another valid
    value: options of its selectors (never an upload, which a link cannot carry) and seeds."""
    chosen = {}
    for name, param in page_params(page):
        if name in APP_WIDE or len(chosen) == 3:
            continue
        if param.choices:
            others = [c for c in param.choices if c != param.default and c != "upload"]
            if others:
                chosen[name] = others[len(others) // 2]
        elif "seed" in name and param.kind == "int":
            chosen[name] = int(param.default) + 7
    if not chosen:  # a page of plain sliders: a quarter of the way along the first ones
        for name, param in page_params(page):
            if name not in APP_WIDE and param.kind == "float" and len(chosen) < 2:
                chosen[name] = round(param.lo + (param.hi - param.lo) / 4, 1)
    return chosen


def _settled(tab, patience_s: int = 120) -> dict:
    """The view once the page is idle and stays the same for a second (fragments included)."""
    before = None
    for _ in range(patience_s):
        wait_idle(tab)
        assert tab.locator("[data-testid=stException]").count() == 0
        now = tab.evaluate(VIEW)
        if now == before and now["elements"]:
            return now
        before = now
        tab.wait_for_timeout(1000)
    raise AssertionError(f"the view did not settle: {before}")


def _view(browser, url: str) -> tuple[dict, str]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    try:
        tab.goto(url)
        return _settled(tab), tab.url
    finally:
        context.close()


@pytest.mark.parametrize("name", pages.NAMES)
def test_a_shared_link_opens_the_same_view_in_a_fresh_browser(browser, app_url, name):
    settings = prepared_settings(name)
    if not settings and name not in ("home", "glossary"):
        pytest.fail(f"the {name} page has no setting a link can move")
    link = f"{app_url}/{pages.BY_NAME[name].url_path}?" + urllib.parse.urlencode({"lang": "en",
                                                                           **settings})
    first, first_url = _view(browser, link)
    second, second_url = _view(browser, link)
    for view in (first, second):
        view.pop("elements")  # layout containers may differ while a chart draws; not the view
    assert first == second
    # The page took every value of the link and keeps it in its address (nothing refused).
    kept = urllib.parse.parse_qs(urllib.parse.urlsplit(first_url).query)
    params = dict(page_params(name))
    for key, value in settings.items():
        assert key in kept, (key, first_url)
        assert params[key].parse(kept[key][0]) == (value, None), (key, value, first_url)
    assert second_url == first_url


# A page, the tab a student opens there (its label's start, in the link's language), and the
# name and value the link then carries.
OPENED_TABS = [
    ("logistic", "en", "③", "tab", "training"),
    ("mnist", "en", "②", "tab", "training"),
    ("mnist", "ja", "③", "tab", "draw"),
    ("regression", "en", "③", "tab", "training"),
    ("home", "en", "", "kind", "reinforcement"),
    ("cross_entropy", "en", "Why", "view", "compare"),  # tabs inside a fragment
]


@pytest.mark.parametrize("name, lang, label, setting, value", OPENED_TABS,
                         ids=[f"{c[0]}-{c[1]}-{c[4]}" for c in OPENED_TABS])
def test_a_link_reopens_the_tab_the_student_opened(browser, app_url, name, lang, label,
                                                  setting, value):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    try:
        tab.goto(f"{app_url}/{pages.BY_NAME[name].url_path}?lang={lang}")
        wait_idle(tab)
        tabs = tab.locator("[role=tab]")
        target = tabs.filter(has_text=label).first if label else tabs.last
        opened = target.inner_text().strip()
        target.click()
        wait_idle(tab)
        expect(target).to_have_attribute("aria-selected", "true")
        expect(tab).to_have_url(re.compile(rf"[?&]{setting}={value}(&|$)"))
        link = tab.url
    finally:
        context.close()
    view, url = _view(browser, link)
    assert opened in view["tabs"], (opened, view["tabs"])
    assert url == link
