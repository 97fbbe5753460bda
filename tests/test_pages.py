"""The page registry (lib/ui/pages.py) is the app's one list of pages: every view file is in it,
every page another module names is in it, and the running app navigates by it."""
from conftest import ROOT, app_test, assert_clean
from lib.core import lecture_map
from lib.ui import glossary, i18n, pages


def test_every_view_file_is_a_registered_page_and_back():
    files = sorted(path.stem for path in (ROOT / "views").glob("*.py"))
    assert sorted(pages.NAMES) == files
    for page in pages.PAGES:
        assert (ROOT / page.view).is_file()
        assert page.section in pages.SECTIONS
        for lang in i18n.LANGUAGES:
            assert not i18n.t(page.title_key, lang=lang).startswith(page.title_key.split(".")[0] + ".")
    paths = [page.url_path for page in pages.PAGES]
    assert len(set(paths)) == len(paths) and paths.count("") == 1
    assert pages.BY_NAME[pages.HOME].url_path == ""


def test_the_lecture_map_and_the_glossary_name_registered_pages():
    for item in lecture_map.PART1 + lecture_map.PART2:
        assert set(item.pages) <= set(pages.NAMES), item.number
    for term in glossary.TERMS:
        assert set(term.pages) <= set(pages.NAMES), term.id


def test_the_app_navigates_by_the_registry():
    """The running app's navigation: the registry's pages, in its order, with its titles."""
    at = app_test("glossary", {"lang": "en"})
    assert_clean(at)
    registered = list(at._registered_pages.values())  # what st.navigation received
    assert [info["url_pathname"] for info in registered] == [p.url_path for p in pages.PAGES]
    assert [info["page_name"] for info in registered] == [
        i18n.t(page.title_key, lang="en") for page in pages.PAGES]
    assert [info["script_path"] for info in registered] == [
        str(ROOT / page.view) for page in pages.PAGES]
