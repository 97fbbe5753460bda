"""Lecture mode, every page in both languages, on a 1920 × 1080 projector.

Each page is opened plain, then in lecture mode in the same tab: its title in its language,
larger lettering in the text and in the charts, long explanations folded away, no exception.
Then each of the page's views (its tabs) is measured where the lecture shows it: everything a
student reads is lettered at 18 px or more (text, table cells, select boxes, captions, chart
ticks and titles, colour bars, legends, animation titles, 3-D scenes); on every view that
trains or draws, the main chart and the controls that move it are in the first screen
together, without scrolling, and the chart's drawing spans at least 60 % of the main column.
The full page of both looks and the first screen of every view are kept as screenshots.
"""
import os
import re

import pytest

from lib.core import mnist
from lib.ui import i18n
from support.browser import charts_drawn, expect, keep_screen, no_exception, open_page, \
    screenshot, title, wait_idle
from support.pages import PAGES, PATHS

pytestmark = pytest.mark.browser
os.environ.setdefault(mnist.OFFLINE_ENV, "1")  # the app server inherits it: offline digits

WIDTH, HEIGHT = 1920, 1080
MINIMUM_PX = 18
CHART_SHARE = 0.6

TITLE_PREFIX = {"cross_entropy": "xent"}  # catalog prefixes other than the page's name
LOOK = """() => {
    const main = document.querySelector('[data-testid=stMain]');
    const size = e => e ? parseFloat(getComputedStyle(e).fontSize) : null;
    const ticks = document.querySelector('[data-testid=stPlotlyChart] .xtick text');
    return {
        text: size(main.querySelector('[data-testid=stMarkdownContainer] p')),
        metric: size(main.querySelector('[data-testid=stMetricValue]')),
        ticks: ticks ? parseFloat(ticks.style.fontSize) : null,
        expanders: main.querySelectorAll('[data-testid=stExpander]').length,
        openExplanations: main.querySelectorAll('details[open]').length,
    };
}"""


# The projector's views of a page in lecture mode: (case, page, tab to open (its position) or
# None, the first screen's check or None, the lettering check or None).
# The first screen: the main chart's key, its controls' keys, and whether the chart must span
# CHART_SHARE of the column (a 28 x 28 picture stays square).
# The lettering: a chart key that shows the view is drawn, and the kinds of lettering it must
# have (tables, select boxes, galleries, animations, 3-D scenes) besides paragraphs, labels,
# ticks and axis titles.
VIEWS = [
    ("logistic_manual", "logistic", None,
     ("logistic.manual_chart", ["logistic.w0", "logistic.w1", "logistic.w2"], True), None),
    ("logistic_training", "logistic", 1,
     ("logistic.animation", ["logistic.opt", "logistic.lr", "logistic.epochs", "logistic.batch",
                             "logistic.test", "logistic.iseed"], True),
     ("logistic.animation", {"table cell", "figure title", "colour bar", "select box",
                             "slider"})),
    ("regression_hand", "regression", None,
     ("regression.hand_chart", ["regression.slope", "regression.icpt"], True), None),
    ("regression_training", "regression", 1,
     ("regression.fit_chart", ["regression.deg", "regression.opt", "regression.lr",
                               "regression.epochs", "regression.batch", "regression.iseed"],
      True),
     ("regression.animation", {"figure title", "legend", "select box"})),
    ("sigmoid", "sigmoid", None,
     ("sigmoid.curve_chart", ["sigmoid.a", "sigmoid.deriv", "sigmoid.step", "sigmoid.tanh"],
      True),
     ("sigmoid.surface_chart", {"3-D scene", "legend", "caption"})),
    ("cross_entropy", "cross_entropy", None, ("xent.cost_curves", ["xent.p"], True), None),
    ("cross_entropy_surface", "cross_entropy", 1, None,
     ("xent.surface3d", {"3-D scene", "colour bar", "select box", "caption"})),
    ("multiclass", "multiclass", None,
     ("multiclass.regions", ["multiclass.opt", "multiclass.lr", "multiclass.epochs",
                             "multiclass.batch", "multiclass.test", "multiclass.iseed"], True),
     ("multiclass.space", {"table cell", "3-D scene", "annotation"})),
    ("mnist_digit", "mnist", None, ("mnist.digit_numbers", ["mnist.idx"], False), None),
    ("mnist_training", "mnist", 1,
     ("mnist.curves", ["mnist.opt", "mnist.lr", "mnist.epochs", "mnist.batch", "mnist.size",
                       "mnist.layers"], True),
     ("mnist.examples", {"annotation", "select box", "caption"})),
    ("home", "home", None, None, ("home.supervised", {"annotation", "legend"})),
]

# Boxes (page coordinates, scroll included) of the chart, of what it draws, of its controls and
# of the main column's content.
MEASURE = """([chart, controls]) => {
    const key = k => document.querySelector('.st-key-' + k.replace(/[^a-zA-Z0-9_-]/g, '-'));
    const box = e => { const r = e.getBoundingClientRect();
                       return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };
    const main = document.querySelector('[data-testid=stMainBlockContainer]');
    const style = getComputedStyle(main), outer = box(main);
    const column = {left: outer.left + parseFloat(style.paddingLeft),
                    right: outer.right - parseFloat(style.paddingRight)};
    const element = key(chart);
    // The drawing: plot areas, 3-D scenes, colour bars, legends, tick labels, axis titles.
    const parts = Array.from(element.querySelectorAll(
        '.draglayer .nsewdrag, .gl-container, .colorbar, .legend, .xtick text, .ytick text, ' +
        '.g-xtitle text, .g-ytitle text'))
        .map(box).filter(b => b.right > b.left);
    const drawn = {left: Math.min(...parts.map(b => b.left)),
                   right: Math.max(...parts.map(b => b.right))};
    return {chart: box(element), drawn, column,
            controls: controls.map(k => [k, key(k) ? box(key(k)) : null]),
            viewport: {width: innerWidth, height: innerHeight}, scrollY: scrollY};
}"""

# Computed sizes of what a student reads, wherever it is on the page: [what, size px, text].
LETTERING = """() => {
    const main = document.querySelector('[data-testid=stMain]');
    const found = [];
    const add = (what, selector, svg) => main.querySelectorAll(selector).forEach(e => {
        const text = (e.textContent || '').trim();
        if (!text) return;
        const size = svg ? parseFloat(e.style.fontSize || getComputedStyle(e).fontSize)
                         : parseFloat(getComputedStyle(e).fontSize);
        found.push([what, size, text.slice(0, 40)]);
    });
    add('paragraph', '[data-testid=stMarkdownContainer] p', false);
    add('caption', '[data-testid=stCaptionContainer]', false);
    add('label', '[data-testid=stWidgetLabel] p', false);
    add('table cell', '[data-testid=stTable] td, [data-testid=stTable] th', false);
    main.querySelectorAll('[data-testid=stSelectbox] input').forEach(e => found.push(
        ['select box', parseFloat(getComputedStyle(e).fontSize), e.value.slice(0, 40)]));
    add('metric', '[data-testid=stMetricValue]', false);
    add('tab', 'button[role=tab] p', false);
    const chart = '[data-testid=stPlotlyChart] ';
    add('tick', `${chart}.xtick text, ${chart}.ytick text`, true);
    add('axis title', `${chart}.g-xtitle text, ${chart}.g-ytitle text`, true);
    add('colour bar', `${chart}.colorbar text`, true);
    add('legend', `${chart}.legendtext`, true);
    add('annotation', `${chart}.annotation-text`, true);
    add('figure title', `${chart}.gtitle`, true);
    add('slider', `${chart}.slider-label, ${chart}.slider-group text`, true);
    // 3-D scenes letter their axes in WebGL: their sizes as plotly resolved them.
    main.querySelectorAll('.js-plotly-plot').forEach(plot => {
        const layout = plot._fullLayout || {};
        Object.keys(layout).filter(name => /^scene\d*$/.test(name)).forEach(name => {
            ['xaxis', 'yaxis', 'zaxis'].forEach(axis => {
                const settings = layout[name][axis];
                if (!settings || settings.visible === false) return;
                found.push(['3-D scene', settings.tickfont.size, `${name}.${axis} ticks`]);
                if (settings.title && settings.title.text)
                    found.push(['3-D scene', settings.title.font.size, settings.title.text]);
            });
        });
    });
    return found;
}"""


def _chart(view, key: str):
    chart = view.locator(".st-key-" + re.sub(r"[^a-zA-Z0-9_-]", "-", key))
    expect(chart.locator(".main-svg").first).to_be_attached(timeout=120_000)
    return chart


def _first_screen(view, case: str, lang: str, chart: str, controls: list, wide: bool) -> None:
    """The chart and the controls that move it in the first screen, the chart wide enough."""
    _chart(view, chart)
    wait_idle(view)
    keep_screen(view, f"projector_{case}_{lang}")
    seen = view.evaluate(MEASURE, [chart, controls])
    assert seen["scrollY"] == 0
    box = seen["chart"]
    assert 0 <= box["top"] and box["bottom"] <= HEIGHT, ("chart", box)
    for name, control in seen["controls"]:
        assert control is not None, f"{name} is not drawn"
        assert 0 <= control["top"] and control["bottom"] <= HEIGHT, (name, control)
    column = seen["column"]["right"] - seen["column"]["left"]
    if wide:
        drawn = seen["drawn"]["right"] - seen["drawn"]["left"]
        assert drawn >= CHART_SHARE * column, (drawn, column)
    else:  # a picture: the chart's column holds it, beside its controls
        assert box["right"] - box["left"] >= CHART_SHARE * column, (box, column)


def _lettering(view, drawn: str, expected: set) -> None:
    """Everything a student reads on the view is at least MINIMUM_PX, of every expected kind."""
    _chart(view, drawn)
    wait_idle(view)
    found = view.evaluate(LETTERING)
    kinds = {what for what, _, _ in found}
    small = [(what, size, text) for what, size, text in found if size < MINIMUM_PX]
    assert not small, small
    assert {"paragraph", "label", "tick", "axis title"} <= kinds, kinds
    assert expected <= kinds, (expected - kinds, kinds)


def _look(tab, url: str, plain: dict | None = None) -> dict:
    """Sizes and amounts of text once the page is drawn (what the plain look had drawn, for
    the lecture look)."""
    open_page(tab, url)
    if tab.locator("[data-testid=stPlotlyChart]").count() or (plain and plain["ticks"]):
        charts_drawn(tab, 1)
    if plain and plain["ticks"]:
        tab.wait_for_selector("[data-testid=stPlotlyChart] .xtick text", state="attached")
    if plain and plain["metric"]:
        tab.wait_for_selector("[data-testid=stMetricValue]", state="attached")
    return tab.evaluate(LOOK)


def test_every_page_is_covered():
    assert {"home", "logistic", "regression", "sigmoid", "cross_entropy", "multiclass", "mnist",
            "glossary"} <= set(PAGES)
    assert {page for _, page, *_ in VIEWS} == set(PAGES) - {"glossary"}


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("name", PAGES)
def test_lecture_mode_on_the_projector(fresh_tab, app_url, name, lang):
    view = fresh_tab(viewport={"width": WIDTH, "height": HEIGHT})
    url = f"{app_url}/{PATHS[name]}?lang={lang}"
    plain = _look(view, url)
    key = f"{TITLE_PREFIX.get(name, name)}.title"
    if i18n.t(key, lang=lang) != key:  # a page with a catalog title shows it in its language
        assert i18n.t(key, lang=lang) in title(view)
    if name == "home":  # the other pages' plain looks are kept by their own browser tests
        screenshot(view, f"home_{lang}")
    lecture = _look(view, url + "&lecture=1", plain)

    assert lecture["text"] >= plain["text"] * 1.15
    if plain["metric"] is not None:
        assert lecture["metric"] > plain["metric"]
    if plain["ticks"] is not None:
        assert lecture["ticks"] >= plain["ticks"] * 1.3
    # Long explanations fold away into expanders (shown in full otherwise), none left open.
    assert lecture["expanders"] >= plain["expanders"]
    if name not in ("glossary",):  # the glossary is a table of terms: nothing to fold
        assert lecture["expanders"] > plain["expanders"]
    assert lecture["openExplanations"] == 0

    # Each view as the lecture shows it, its first screen before anything scrolled; the
    # full page is kept once its first view is measured.
    views = [v for v in VIEWS if v[1] == name]
    if all(tab is not None for _, _, tab, _, _ in views):
        screenshot(view, f"lecture_{name}_{lang}")
    for case, _, tab, first_screen, lettering in views:
        if tab is not None:
            view.locator("[data-testid=stTab]").nth(tab).click()
            wait_idle(view)
        no_exception(view)
        if first_screen:
            _first_screen(view, case, lang, *first_screen)
        if lettering:
            _lettering(view, *lettering)
        if tab is None:
            screenshot(view, f"lecture_{name}_{lang}")
