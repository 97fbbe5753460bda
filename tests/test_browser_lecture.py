"""Every page in both languages: its title, and lecture mode readable from the back (larger
lettering in the text and in the charts, long explanations folded away), no exception.
Screenshots of both looks are kept as artifacts."""
import pytest

from lib.ui import i18n
from support.browser import charts_drawn, open_page, screenshot, title
from support.pages import PAGES, PATHS

pytestmark = pytest.mark.browser

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


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("name", PAGES)
def test_lecture_mode_is_readable_from_the_back(page, app_url, name, lang):
    url = f"{app_url}/{PATHS[name]}?lang={lang}"
    plain = _look(page, url)
    key = f"{TITLE_PREFIX.get(name, name)}.title"
    if i18n.t(key, lang=lang) != key:  # a page with a catalog title shows it in its language
        assert i18n.t(key, lang=lang) in title(page)
    if name == "home":  # the other pages' plain looks are kept by their own browser tests
        screenshot(page, f"home_{lang}")
    lecture = _look(page, url + "&lecture=1", plain)
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
