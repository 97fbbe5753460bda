"""Lecture mode on a 1920 × 1080 projector, in both languages.

Everything a student reads is lettered at 18 px or more (text, table cells, select boxes,
captions, chart ticks and titles, colour bars, legends, animation titles, 3-D scenes); on
every page that trains or draws, the main chart and the controls that move it are in the
first screen together, without scrolling, and the chart's drawing spans at least 60 % of the
main column. The first screen of every case is kept in test-artifacts/screenshots/.
"""
import os
import re

import pytest
from playwright.sync_api import expect

from conftest import ARTIFACTS, wait_idle
from lib.core import mnist

pytestmark = pytest.mark.browser
os.environ.setdefault(mnist.OFFLINE_ENV, "1")  # the app server inherits it: offline digits

WIDTH, HEIGHT = 1920, 1080
MINIMUM_PX = 18
CHART_SHARE = 0.6

# (case, page, tab to open (its position) or None, the main chart's key, its controls' keys,
# whether the chart must span CHART_SHARE of the column: a 28 × 28 picture stays square.)
CASES = [
    ("logistic_manual", "logistic", None, "logistic.manual_chart",
     ["logistic.w0", "logistic.w1", "logistic.w2"], True),
    ("logistic_training", "logistic", 1, "logistic.animation",
     ["logistic.opt", "logistic.lr", "logistic.epochs", "logistic.batch", "logistic.test",
      "logistic.iseed"], True),
    ("regression_hand", "regression", None, "regression.hand_chart",
     ["regression.slope", "regression.icpt"], True),
    ("regression_training", "regression", 1, "regression.fit_chart",
     ["regression.deg", "regression.opt", "regression.lr", "regression.epochs",
      "regression.batch", "regression.iseed"], True),
    ("sigmoid", "sigmoid", None, "sigmoid.curve_chart",
     ["sigmoid.a", "sigmoid.deriv", "sigmoid.step", "sigmoid.tanh"], True),
    ("cross_entropy", "cross_entropy", None, "xent.cost_curves", ["xent.p"], True),
    ("multiclass", "multiclass", None, "multiclass.regions",
     ["multiclass.opt", "multiclass.lr", "multiclass.epochs", "multiclass.batch",
      "multiclass.test", "multiclass.iseed"], True),
    ("mnist_digit", "mnist", None, "mnist.digit_numbers", ["mnist.idx"], False),
    ("mnist_training", "mnist", 1, "mnist.curves",
     ["mnist.opt", "mnist.lr", "mnist.epochs", "mnist.batch", "mnist.size", "mnist.layers"],
     True),
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


def _open(browser, app_url, page: str, lang: str, tab: int | None):
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT})
    view = context.new_page()
    view.goto(f"{app_url}/{page}?lang={lang}&lecture=1")
    wait_idle(view)
    if tab is not None:
        view.locator("[data-testid=stTab]").nth(tab).click()
        wait_idle(view)
    expect(view.locator("[data-testid=stException]")).to_have_count(0)
    return context, view


def _chart(view, key: str):
    chart = view.locator(".st-key-" + re.sub(r"[^a-zA-Z0-9_-]", "-", key))
    expect(chart.locator(".main-svg").first).to_be_attached(timeout=120_000)
    return chart


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("case, page, tab, chart, controls, wide", CASES,
                         ids=[case[0] for case in CASES])
def test_the_chart_and_its_controls_fill_the_first_screen(browser, app_url, lang, case, page,
                                                          tab, chart, controls, wide):
    context, view = _open(browser, app_url, page, lang, tab)
    try:
        _chart(view, chart)
        wait_idle(view)
        folder = ARTIFACTS / "screenshots"
        folder.mkdir(parents=True, exist_ok=True)
        view.screenshot(path=str(folder / f"projector_{case}_{lang}.png"))
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
    finally:
        context.close()


# Pages and what to open so that their tables, select boxes, galleries, animations and 3-D
# scenes are drawn: (page, tab or None, a chart key that shows the page is drawn).
LETTERED = [
    ("logistic", 1, "logistic.animation"),  # comparison table, animation title, colour bar
    ("regression", 1, "regression.animation"),
    ("sigmoid", None, "sigmoid.surface_chart"),  # a 3-D scene
    ("cross_entropy", 1, "xent.surface3d"),  # 3-D surface, colour bars, select box
    ("multiclass", None, "multiclass.space"),  # parameters table, a 3-D scene
    ("mnist", 1, "mnist.examples"),  # the right/wrong grid's captions, select boxes
    ("home", None, "home.supervised"),
]


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("page, tab, drawn", LETTERED, ids=[case[0] for case in LETTERED])
def test_everything_a_student_reads_is_18_px_or_more(browser, app_url, lang, page, tab, drawn):
    context, view = _open(browser, app_url, page, lang, tab)
    try:
        _chart(view, drawn)
        wait_idle(view)
        found = view.evaluate(LETTERING)
        kinds = {what for what, _, _ in found}
        small = [(what, size, text) for what, size, text in found if size < MINIMUM_PX]
        assert not small, small
        assert {"paragraph", "label", "tick", "axis title"} <= kinds, kinds
        expected = {"logistic": {"table cell", "figure title", "colour bar", "select box",
                                 "slider"},
                    "regression": {"figure title", "legend", "select box"},
                    "sigmoid": {"3-D scene", "legend", "caption"},
                    "cross_entropy": {"3-D scene", "colour bar", "select box", "caption"},
                    "multiclass": {"table cell", "3-D scene", "annotation"},
                    "mnist": {"annotation", "select box", "caption"},
                    "home": {"annotation", "legend"}}[page]
        assert expected <= kinds, (expected - kinds, kinds)
    finally:
        context.close()
