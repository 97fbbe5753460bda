"""What only a browser can check: shading reaches the plot frame, 3-D scenes fit their column,
labels are not cut, plotly's toolbar leaves legends alone on a phone, and the MNIST canvas has
visible, translated undo and clear buttons. Laptop (1280 × 800) and phone (390 × 844) views,
both languages; screenshots are kept in test-artifacts/screenshots/."""
import os
import time

import pytest

from conftest import screenshot, wait_idle
from support.browser import POLL_MS, TIMEOUT_MS, charts_settled, expect, new_tab, open_page, \
    keep_screen
from lib.core import mnist
from lib.ui import fit, i18n

os.environ.setdefault(mnist.OFFLINE_ENV, "1")  # the app server inherits it: offline digits
pytestmark = pytest.mark.browser

LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}

# Every visible chart with a shade (heatmap or contour) and a frame: where the shade's picture
# lies, and where plotly drew the frame's lines (all in the page's pixels).
SHADES = """() => Array.from(document.querySelectorAll('[data-testid=stPlotlyChart] .js-plotly-plot'))
  .filter(gd => gd.offsetParent && gd._fullData
          && gd._fullData.some(t => t.type === 'heatmap' || t.type === 'contour'))
  .map(gd => {
    const box = gd.getBoundingClientRect(), L = gd._fullLayout;
    const xa = L.xaxis, ya = L.yaxis;
    const layer = gd.querySelector('.heatmaplayer image, .contourlayer .contour');
    const s = layer.getBoundingClientRect();
    return {framed: !!(xa.showline && ya.showline && xa.mirror && ya.mirror),
            shade: [s.left - box.left, s.top - box.top, s.right - box.left, s.bottom - box.top],
            frame: [ya._mainLinePosition, xa._mainMirrorPosition,
                    ya._mainMirrorPosition, xa._mainLinePosition]};
  })"""

# Text that does not fit its box: inputs (select boxes) and page-link labels.
CUT = """() => Array.from(document.querySelectorAll(
    '[data-testid=stSelectbox] input, [data-testid=stPageLink] a span, '
    + '[data-testid=stPageLink] a p, .nested-fields div'))
  .filter(e => e.offsetParent && e.scrollWidth > e.clientWidth + 1)
  .map(e => (e.value || e.innerText).slice(0, 60))"""


def _open(browser, url, viewport=LAPTOP):
    mobile = viewport["width"] < 500
    tab = new_tab(browser, viewport=viewport, is_mobile=mobile, has_touch=mobile)
    open_page(tab, url)
    return tab


def _drawn(tab, at_least=1):
    wait_idle(tab)
    charts_settled(tab, at_least)


def _check_shades(tab, expected):
    shades = [s for s in tab.evaluate(SHADES) if s["framed"]]
    assert len(shades) >= expected, shades
    for shade in shades:
        left, top, right, bottom = shade["shade"]
        f_left, f_top, f_right, f_bottom = shade["frame"]
        # The frame lines lie on the shade (within a pixel): no white band inside the frame.
        assert left <= f_left + 1 and top <= f_top + 1, shade
        assert right >= f_right - 1 and bottom >= f_bottom - 1, shade


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_shade_reaches_the_frame(browser, app_url, lang):
    tab = _open(browser, f"{app_url}/logistic?lang={lang}")
    _drawn(tab)
    _check_shades(tab, 1)
    screenshot(tab, f"fit_logistic_{lang}")
    open_page(tab, f"{app_url}/cross_entropy?lang={lang}")
    _drawn(tab, 3)
    _check_shades(tab, 1)  # the shares map
    tab.locator("[data-testid=stTab]").nth(1).click()
    wait_idle(tab)
    _drawn(tab, 4)
    _check_shades(tab, 1)  # the contour map beside the 3-D surface
    tab.context.close()


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_no_select_box_or_link_is_cut_at_1280(browser, app_url, lang):
    tab = _open(browser, f"{app_url}/cross_entropy?lang={lang}")
    tab.locator("[data-testid=stTab]").nth(1).click()
    wait_idle(tab)
    assert tab.locator("[data-testid=stSelectbox] input").count() >= 2
    assert tab.evaluate(CUT) == []
    open_page(tab, f"{app_url}/glossary?lang={lang}")
    expect(tab.locator("[data-testid=stPageLink]").nth(20)).to_be_attached()
    assert tab.evaluate(CUT) == []
    screenshot(tab, f"fit_glossary_{lang}")
    tab.context.close()


@pytest.mark.parametrize("viewport, ratio", [(LAPTOP, fit.SCENE_RATIO),
                                             (PHONE, fit.PHONE_SCENE_RATIO)])
def test_3d_scenes_are_as_tall_as_their_column_is_wide(browser, app_url, viewport, ratio):
    """plotly scales a 3-D scene by its height: a fixed height cut it in a narrow column."""
    for path, tab_index, keys in (("sigmoid", None, ["sigmoid-surface_chart"]),
                                  ("cross_entropy", 1, ["xent-surface3d", "xent-contour"])):
        tab = _open(browser, f"{app_url}/{path}?lang=ja", viewport)
        if tab_index is not None:
            tab.locator("[data-testid=stTab]").nth(tab_index).click()
            wait_idle(tab)
        _drawn(tab, 2)
        for key in keys:
            box = tab.locator(f".st-key-scene-{key}")
            chart = box.locator("[data-testid=stPlotlyChart]").bounding_box()
            column = box.locator("xpath=..").bounding_box()
            assert chart["width"] >= 0.95 * column["width"]
            assert chart["height"] == pytest.approx(chart["width"] * ratio[1] / ratio[0], rel=0.03)
        tab.context.close()


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_on_a_phone_the_toolbar_leaves_the_legend_and_boxes_hold_their_text(
        browser, app_url, lang):
    tab = _open(browser, f"{app_url}/logistic?lang={lang}", PHONE)
    _drawn(tab)
    chart = tab.locator("[data-testid=stPlotlyChart]").first
    chart.scroll_into_view_if_needed()
    chart.tap()
    tab.wait_for_timeout(500)
    toolbar = chart.locator(".modebar").bounding_box()
    legend = chart.locator(".legend").bounding_box()
    assert toolbar is not None and legend is not None
    assert toolbar["y"] + toolbar["height"] <= legend["y"] + 1, (toolbar, legend)
    keep_screen(tab, f"fit_logistic_phone_{lang}")
    open_page(tab, f"{app_url}/?lang={lang}")
    assert tab.locator(".nested-fields").count() == 1
    assert tab.evaluate(CUT) == []
    tab.context.close()


def _ink(tab) -> int:
    """Dark pixels on the canvas (a locator: the component's canvas is in a shadow root)."""
    return tab.locator(".st-key-mnist-canvas canvas").evaluate_all(
        "(canvases) => Math.max(...canvases.map(c => {"
        " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
        " let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && d[i] < 128) n++;"
        " return n; }))")


def _wait_ink(tab, low: int, high: int) -> int:
    """Wait until the canvas, redrawn after the rerun, shows low..high dark pixels."""
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while not low <= (ink := _ink(tab)) <= high:
        assert time.monotonic() < deadline, (ink, low, high)
        tab.wait_for_timeout(100)  # a poll of the condition, not a fixed wait
    return ink


def _stroke(tab, shift):
    canvas = tab.locator(".st-key-mnist-canvas canvas").last
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    x, top = box["x"] + box["width"] * 0.35 + shift, box["y"] + box["height"] * 0.15
    tab.mouse.move(x, top)
    tab.mouse.down()
    for step in range(1, 21):
        tab.mouse.move(x + step * 0.5, top + step * box["height"] * 0.035)
    tab.mouse.up()
    wait_idle(tab)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_mnist_canvas_has_visible_translated_undo_and_clear(browser, app_url, lang):
    tab = _open(browser, f"{app_url}/mnist?lang={lang}")
    tab.locator("[data-testid=stTab]").nth(2).click()
    wait_idle(tab)
    undo = tab.locator(".st-key-mnist-canvas-undo button").first
    clear = tab.locator(".st-key-mnist-canvas-clear button").first
    tab.mouse.move(1, 1)  # not hovering over the canvas: the buttons show all the same
    assert i18n.t("mnist.canvas_undo", lang=lang) in undo.inner_text()
    assert i18n.t("mnist.canvas_clear", lang=lang) in clear.inner_text()
    assert undo.is_disabled() and clear.is_disabled()  # nothing drawn yet

    prefix = i18n.t("mnist.prediction", lang=lang, digit=0, p=0.0).split("**")[0].strip()
    predicted = ("(prefix) => Array.from(document.querySelectorAll("
                 "'[data-testid=stMarkdownContainer]')).some(e => e.innerText.startsWith(prefix))")
    _stroke(tab, 0)
    _stroke(tab, 60)
    tab.wait_for_function(predicted, arg=prefix, timeout=60_000, polling=POLL_MS)
    assert not undo.is_disabled() and not clear.is_disabled()
    two = _ink(tab)
    undo.click()
    _wait_ink(tab, 1, two - 1)  # the last stroke is gone, the first is still there
    wait_idle(tab)
    tab.wait_for_function(predicted, arg=prefix, timeout=60_000,
                          polling=POLL_MS)  # and it is still read
    screenshot(tab, f"fit_mnist_undo_{lang}")
    clear.click()
    _wait_ink(tab, 0, 0)
    wait_idle(tab)
    expect(tab.get_by_text(i18n.t("mnist.empty_drawing", lang=lang))).to_be_visible()
    expect(undo).to_be_disabled()
    expect(clear).to_be_disabled()
    tab.wait_for_function(f"prefix => !({predicted})(prefix)", arg=prefix, polling=POLL_MS)
    assert _ink(tab) == 0
    tab.context.close()
