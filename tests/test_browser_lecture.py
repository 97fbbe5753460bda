"""Lecture mode on every page, in both languages: larger lettering in the text and in the charts,
long explanations folded away, no exception. Screenshots of both looks are kept as artifacts."""
import pytest

from conftest import screenshot, wait_idle
from lib.ui import pages

pytestmark = pytest.mark.browser

PAGES = pages.NAMES
PATHS = {page.name: page.url_path for page in pages.PAGES}

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


def _look(tab, url: str, expect: dict | None = None) -> dict:
    """Sizes and amounts of text once the page is drawn (with what `expect` saw drawn)."""
    tab.goto(url)
    wait_idle(tab)
    assert tab.locator("[data-testid=stException]").count() == 0
    drawn = ["[data-testid=stPlotlyChart] .main-svg"] if expect is None or expect["ticks"] else []
    if expect is not None and expect["metric"]:
        drawn.append("[data-testid=stMetricValue]")
    for selector in drawn:
        if expect is not None or tab.locator(selector.split(" ")[0]).count():
            tab.wait_for_selector(selector, state="attached", timeout=60_000)
    wait_idle(tab)
    return tab.evaluate(LOOK)


def test_every_page_is_covered():
    assert {"home", "logistic", "regression", "sigmoid", "cross_entropy", "multiclass", "mnist",
            "glossary"} <= set(PAGES)


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("name", PAGES)
def test_lecture_mode_is_readable_from_the_back(page, app_url, name, lang):
    url = f"{app_url}/{PATHS.get(name, name)}?lang={lang}"
    plain = _look(page, url)
    lecture = _look(page, url + "&lecture=1", expect=plain)
    screenshot(page, f"lecture_{name}_{lang}")

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
