"""The glossary: every lecture term in both languages, search, and links only to real pages."""

import pytest

from conftest import app_test, assert_clean
from lib.ui import glossary
from lib.ui import i18n
from lib.ui import pages

# The glossary of the lecture's opening slides (LECTURE.md), word for word.
LECTURE_TERMS = ("機械学習", "ディープラーニング", "深層学習", "ニューラルネットワーク", "教師あり学習",
                 "教師なし学習", "強化学習", "クラスタリング", "入力値", "出力値", "変数", "パラメーター",
                 "構造化データ", "非構造化データ", "分類アルゴリズム", "回帰分析", "確率", "予測", "グラフ")
LECTURE_TERMS_EN = ("machine learning", "deep learning", "neural network", "supervised learning",
                    "unsupervised learning", "reinforcement learning", "clustering",
                    "input values", "output values", "variables", "parameters", "structured data",
                    "unstructured data", "classification algorithm", "regression analysis",
                    "probability", "prediction", "chart", "graph")
VIEWS = {glossary.HOME, glossary.LOGISTIC, glossary.REGRESSION, glossary.SIGMOID,
         glossary.CROSS_ENTROPY, glossary.MNIST, glossary.MULTICLASS}


def registered_pages() -> dict[str, str]:
    """The pages the app registers: page name -> URL path ("" for the default page)."""
    return {page.name: page.url_path for page in pages.PAGES}


def test_every_lecture_term_is_there_in_both_languages():
    names = {lang: [term.name(lang) for term in glossary.TERMS if term.group == "lecture"]
             for lang in ("ja", "en")}
    for word in LECTURE_TERMS:
        assert any(word in name for name in names["ja"]), word
    for word in LECTURE_TERMS_EN:
        assert any(word in name for name in names["en"]), word


def test_every_term_has_a_one_line_text_in_both_languages():
    ids = [term.id for term in glossary.TERMS]
    assert len(ids) == len(set(ids))
    for term in glossary.TERMS:
        assert term.group in glossary.GROUPS
        for lang in ("ja", "en"):
            for text in (term.name(lang), term.explanation(lang)):
                assert text and not text.startswith("glossary.") and "\n" not in text
                assert len(text) < 200
        assert term.pages and set(term.pages) <= VIEWS, term.id


def test_search_looks_in_both_languages_and_folds_width_and_case():
    def ids(query):
        return [term.id for term in glossary.search(query)]

    assert len(ids("")) == len(glossary.TERMS) == len(ids("   "))
    assert "probability" in ids("確率") and "probability" in ids("PROBABILITY")
    assert ids("ＳＯＦＴＭＡＸ") == ["softmax"] == ids("ソフトマックス")
    assert "softmax" in ids("probabilities add")  # every word, anywhere in the texts
    assert ids("softmax 学習率") == []
    assert ids("<script>alert(1)</script>") == [] and ids("[x](y)") == []
    assert ids("学習率" + " " * 200 + "zzz") == ids("学習率") != []  # long queries are cut


def _links(at):
    return [element.proto for element in at.get("page_link")]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_page_links_only_to_registered_pages(lang):
    at = app_test("glossary", {"lang": lang})
    assert_clean(at)
    assert at.title[0].value == i18n.t("glossary.title", lang=lang)
    registered = registered_pages()
    links = _links(at)
    # One link per term that has a registered page; each to a page the app registers.
    expected = [term for term in glossary.TERMS if set(term.pages) & set(registered)]
    assert len(links) == len(expected)
    for proto in links:
        assert proto.page_script_hash and proto.page in registered.values(), proto
    # Each term links to the first of its pages that the app has.
    for term, proto in zip(expected, links):
        first = next(page for page in term.pages if page in registered)
        assert proto.page == registered[first], term.id
    missing = len(glossary.TERMS) - len(expected)
    assert sum(c.value == i18n.t("glossary.no_page", lang=lang) for c in at.caption) == missing


def test_search_filters_and_shows_the_query_literally():
    at = app_test("glossary", {"lang": "en"})
    at.text_input(key="glossary.q").set_value("softmax").run()
    assert_clean(at)
    shown = [m.value for m in at.markdown if m.value.startswith("**")]
    assert shown == ["**softmax function**  \nソフトマックス関数"]
    assert any(c.value == i18n.t("glossary.count", lang="en", shown=1,
                                 total=len(glossary.TERMS)) for c in at.caption)
    hostile = "[x](javascript:alert(1)) <img src=x onerror=alert(1)> **bold**"
    at.text_input(key="glossary.q").set_value(hostile).run()
    assert_clean(at)
    notice = at.info[0].value
    assert "`[x](javascript:alert(1)) <img src=x onerror=alert(1)> **bold**`" in notice
    assert not _links(at)
