"""A shared link shows the same view: for every page, a link with settings other than the
defaults is opened in two fresh browsers; both show those settings and the same results, and
the tab a student opened is part of the view a link reproduces."""
import functools
import json
import re
import time
import urllib.parse

import pytest

from support.apptest import page_params
from support.browser import IDLE, TIMEOUT_MS, no_exception
from support.pages import PAGES, PATHS

pytestmark = pytest.mark.browser

APP_WIDE = {"lang", "lecture"}
QUIET_MS = 1000  # a view is settled once it stayed the same this long (fragments included)
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
        tabs: texts('[role=tab][aria-selected=true]'),
        numbers: Array.from(main.querySelectorAll('[data-testid=stNumberInput] input'),
                            e => e.value),
        checked: Array.from(main.querySelectorAll('input[type=radio]:checked, '
                                                  + 'input[type=checkbox]:checked'),
                            e => e.closest('label') ? e.closest('label').innerText.trim() : ''),
    };
}"""
# Resolves to the view (as JSON) once the script is idle and the view stayed the same QUIET_MS.
SETTLED = f"""quiet => {{
    const now = {IDLE} ? JSON.stringify(({VIEW})()) : null;
    const seen = window.__view || (window.__view = {{json: null, since: 0}});
    if (now === null || now !== seen.json) {{
        seen.json = now; seen.since = performance.now(); return false;
    }}
    return performance.now() - seen.since >= quiet && JSON.parse(now).elements > 0 && now;
}}"""
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


def _settled(tab) -> dict:
    view = json.loads(tab.wait_for_function(SETTLED, arg=QUIET_MS, polling=100,
                                            timeout=TIMEOUT_MS).json_value())
    no_exception(tab)
    view.pop("elements")  # layout containers may differ while a chart draws; not the view
    return view


@pytest.mark.parametrize("name", PAGES)
def test_a_shared_link_opens_the_same_view_in_a_fresh_browser(fresh_tab, app_url, name):
    settings = prepared_settings(name)
    if not settings and name not in ("home", "glossary"):
        pytest.fail(f"the {name} page has no setting a link can move")
    link = f"{app_url}/{PATHS[name]}?" + urllib.parse.urlencode({"lang": "en", **settings})
    first, second = fresh_tab(), fresh_tab()
    first.goto(link)
    view = _settled(first)
    second.goto(link)  # once the first has its view: a link opened later, as when shared
    shown = _settled(second)
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    # On a busy machine a tab may settle before its results came: look again at both.
    while shown != view and time.monotonic() < deadline:
        second.wait_for_timeout(QUIET_MS)  # a poll: each look waits for a quiet view anyway
        view, shown = _settled(first), _settled(second)
    assert shown == view
    # The page took every value of the link and keeps it in its address (nothing refused).
    kept = urllib.parse.parse_qs(urllib.parse.urlsplit(first.url).query)
    params = dict(page_params(name))
    for key, value in settings.items():
        assert key in kept, (key, first.url)
        assert params[key].parse(kept[key][0]) == (value, None), (key, value, first.url)
    assert second.url == first.url


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
def test_a_link_reopens_the_tab_the_student_opened(fresh_tab, app_url, name, lang, label,
                                                  setting, value):
    from playwright.sync_api import expect

    tab = fresh_tab()
    tab.goto(f"{app_url}/{PATHS[name]}?lang={lang}")
    _settled(tab)
    tabs = tab.locator("[role=tab]")
    target = tabs.filter(has_text=label).first if label else tabs.last
    opened = target.inner_text().strip()
    target.click()
    expect(target).to_have_attribute("aria-selected", "true")
    expect(tab).to_have_url(re.compile(rf"[?&]{setting}={value}(&|$)"))
    link = tab.url
    again = fresh_tab()
    again.goto(link)
    view = _settled(again)
    assert opened in view["tabs"], (opened, view["tabs"])
    assert again.url == link
