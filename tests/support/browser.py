"""The real app in headless Chromium: fresh tabs, waiting for the app's runs, reading what a
page shows, and screenshots kept as artifacts.

Waits are for events, never fixed sleeps: the app root's `data-test-script-state` says whether
the page's script runs, an observer installed in every tab counts the runs it saw finish, and
Playwright's `expect` (or `wait_for_url`) waits for what an action should change.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from . import ROOT

ARTIFACTS = ROOT / "test-artifacts"
# Debian's headless shell when installed: the same engine without the desktop browser's
# extra processes, a tenth less of the machine for the same pages. Else Debian's Chromium.
CHROMIUM = (os.environ.get("CHROMIUM") or shutil.which("chromium-headless-shell")
            or shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync",
                 "--disable-quic"]
VIEWPORT = {"width": 1400, "height": 1000}
# A shared, busy machine: a first training or a WebGL surface can take a minute.
TIMEOUT_MS = int(os.environ.get("BROWSER_TIMEOUT_MS", "120000"))
# How often a wait_for_function looks again. Playwright's default, every animation frame,
# makes a waiting headless tab draw 60 frames a second: the suite's two cores were busy
# drawing frames nobody looked at.
POLL_MS = 50

EXCEPTION = "[data-testid=stException]"
ARROWS = {"ArrowRight": 1, "ArrowUp": 1, "ArrowLeft": -1, "ArrowDown": -1}
# Counts the script runs that finished (the state left "running") in window.__stDone.
COUNT_RUNS = """
window.__stDone = 0; window.__stSeen = 0;
new MutationObserver(records => {
    for (const r of records) if (r.oldValue === 'running') window.__stDone++;
}).observe(document, {subtree: true, attributes: true, attributeOldValue: true,
                      attributeFilter: ['data-test-script-state']});
"""
IDLE = ("document.querySelector('[data-testid=stApp]')?.getAttribute('data-test-script-state')"
        " === 'notRunning'")


def new_tab(browser, **options):
    """A tab in a fresh context (own cookies, own Streamlit session), counting the app's runs."""
    context = browser.new_context(**{"viewport": dict(VIEWPORT), **options})
    context.add_init_script(COUNT_RUNS)
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


def wait_idle(tab, timeout_ms: int = TIMEOUT_MS, grace_ms: int = 500) -> None:
    """Wait until the script has run and is not running. After an action, a run seen to finish
    since the last wait_idle ends the wait at once; otherwise the wait allows `grace_ms` for one
    to start (a run so short that React never showed it as running is not seen). To wait for
    an action's result, wait for what it changes: the URL, a metric (`expect`)."""
    from playwright.sync_api import TimeoutError as Timeout

    tab.wait_for_function(f"() => {IDLE}", timeout=timeout_ms, polling=POLL_MS)
    try:
        tab.wait_for_function(f"() => window.__stDone > window.__stSeen && {IDLE}",
                              timeout=grace_ms, polling=POLL_MS)
    except Timeout:  # no run seen: the page is as it was, and idle
        tab.wait_for_function(f"() => {IDLE}", timeout=timeout_ms, polling=POLL_MS)
    tab.evaluate("window.__stSeen = window.__stDone")


def expect(actual, message: str | None = None):
    """Playwright's auto-waiting assertions (imported on use: without Playwright installed the
    browser fixture skips the browser tests instead of failing their collection)."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(actual, message)


def no_exception(tab) -> None:
    expect(tab.locator(EXCEPTION)).to_have_count(0)


def open_page(tab, url: str) -> None:
    """Go to the URL, wait for the page's first run and its content, and check it raised
    nothing. (On a busy machine the run was once seen to end before the page showed any of
    its elements.)"""
    tab.goto(url)
    wait_idle(tab)
    expect(tab.locator("[data-testid=stMain] [data-testid=stElementContainer]").first) \
        .to_be_attached()
    no_exception(tab)


def title(tab) -> str:
    return tab.locator("h1").first.inner_text()


def charts_drawn(tab, at_least: int, timeout_ms: int = TIMEOUT_MS) -> None:
    """Wait until at least this many plotly charts are really drawn (plotly's .main-svg)."""
    tab.wait_for_function(
        "n => new Set(Array.from(document.querySelectorAll("
        "'[data-testid=stPlotlyChart] .main-svg'), e => e.closest('[data-testid=stPlotlyChart]')"
        ")).size >= n", arg=at_least, timeout=timeout_ms, polling=POLL_MS)


# True once no drawn chart on screen moved or resized for `quiet` ms.
CHARTS_STILL = """quiet => {
    const svgs = Array.from(document.querySelectorAll('[data-testid=stPlotlyChart] .main-svg'));
    const boxes = svgs.filter(e => e.offsetParent).map(e => {
        const r = e.getBoundingClientRect(); return [r.x, r.y, r.width, r.height]; });
    const now = JSON.stringify(boxes), seen = window.__charts || (window.__charts = {});
    if (now !== seen.json) { seen.json = now; seen.since = performance.now(); }
    return performance.now() - seen.since >= quiet;
}"""


def charts_settled(tab, at_least: int, quiet_ms: int = 300) -> None:
    """Wait until at least this many charts are drawn and stayed where they are for
    `quiet_ms`: Streamlit gives a chart its column's width after plotly first drew it, and
    plotly draws again at that width."""
    charts_drawn(tab, at_least)
    tab.wait_for_function(CHARTS_STILL, arg=quiet_ms, timeout=TIMEOUT_MS,
                          polling=POLL_MS)


def metric(tab, label: str):
    """The value element of the first metric whose text contains `label` (a locator: use it
    with expect to wait for a value)."""
    return tab.locator("[data-testid=stMetric]", has_text=label).first.locator(
        "[data-testid=stMetricValue]")


def metric_value(tab, label: str) -> str:
    return metric(tab, label).inner_text()


def wait_changed(tab, label: str, before: str) -> str:
    """Wait until the metric no longer shows `before`; its new value."""
    expect(metric(tab, label)).not_to_have_text(before)
    return metric_value(tab, label)


def press(tab, key: str, button: str, times: int = 1) -> None:
    """Move the slider with widget key `key` with the keyboard, as a user would after clicking
    its thumb. Home/End reach the ends whatever the reruns in between. An arrow press made
    while a rerun redraws the slider can be lost, so the thumb's value is read back once the
    app is idle, and what is missing is pressed again, as a user watching the slider would."""
    thumb = tab.locator(f".st-key-{key} input[type=range]")
    thumb.focus()
    if button not in ARROWS:
        thumb.press(button)
        return
    step = float(thumb.get_attribute("step") or 1) * ARROWS[button]
    goal = float(thumb.input_value()) + times * step
    for _ in range(5):
        for _ in range(times):
            thumb.press(button)
        wait_idle(tab)
        times = round((goal - float(thumb.input_value())) / step)
        if times <= 0:
            return
    raise AssertionError(f"the slider {key} stayed {times} steps short of {goal}")


def _shot_path(name: str) -> Path:
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{name}.png"


def keep_screen(tab, name: str) -> Path:
    """The viewport as it is (the first screen), kept in test-artifacts/screenshots/."""
    path = _shot_path(name)
    tab.screenshot(path=str(path))
    return path


def screenshot(tab, name: str) -> Path:
    """A full-length screenshot kept in test-artifacts/screenshots/ (the CI artifact).
    Streamlit scrolls inside its main container, so the viewport is made as tall as the page
    for the picture, and then given back its size."""
    path = _shot_path(name)
    height = tab.evaluate(
        "() => Math.max(...Array.from(document.querySelectorAll('[data-testid=stMain], "
        "[data-testid=stAppViewContainer], section.main, body'), e => e.scrollHeight))")
    size = dict(tab.viewport_size)
    tab.set_viewport_size({"width": size["width"],
                           "height": min(max(int(height), size["height"]), 12000)})
    # The new layout painted: two animation frames after the resize.
    tab.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    tab.screenshot(path=str(path), full_page=True)
    tab.set_viewport_size(size)
    return path
