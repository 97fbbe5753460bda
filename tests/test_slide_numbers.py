"""Every slide number the app prints is a page of the deck, and the right one for its page.

The deck's page numbers per lecture item live in lib/core/lecture_map.py (DECK_PAGES); this
test reads every catalog string, the README's page table and the generated scripts'
docstrings, and checks each "slide N" / "スライド N" against that map.
"""
import re
import tomllib
from pathlib import Path

import numpy as np
import pytest

from lib.core import lecture_map
from lib.core.datasets import textbook_points

ROOT = Path(__file__).resolve().parent.parent
# "slide 26", "slides 27–29", "slides 5, 6 and 9", "スライド 19〜29", "スライド 15、17"
MENTION = re.compile(r"(?:slides?|スライド)\s*(\d+(?:\s*(?:[–〜,、-]|and|と)\s*\d+)*)")
SECTION_VIEW = {"home": None, "logistic": "logistic", "regression": "regression",
                "sigmoid": "sigmoid", "xent": "cross_entropy", "multiclass": "multiclass",
                "mnist": "mnist"}
ALL_PAGES = {page for pages in lecture_map.DECK_PAGES.values() for page in pages}


def slide_numbers(text: str) -> list[int]:
    pages = []
    for match in MENTION.finditer(text):
        numbers = [int(n) for n in re.findall(r"\d+", match.group(1))]
        ranges = re.split(r"\s*(?:,|、|and|と)\s*", match.group(1))
        for part in ranges:
            bounds = [int(n) for n in re.findall(r"\d+", part)]
            pages.extend(range(bounds[0], bounds[-1] + 1))
        assert numbers, match.group(0)
    return pages


def _strings(table, path=()):
    for key, value in table.items():
        if isinstance(value, dict):
            yield from _strings(value, path + (key,))
        elif isinstance(value, str):
            yield path + (key,), value


def _catalog(lang: str) -> dict:
    return tomllib.loads((ROOT / "lib/ui/locales" / f"{lang}.toml").read_text(encoding="utf-8"))


def _check(where: str, pages: list[int], view: str | None) -> None:
    assert set(pages) <= ALL_PAGES, f"{where}: {sorted(set(pages) - ALL_PAGES)} not in the map"
    assert not set(pages) & set(lecture_map.TITLE_PAGES), f"{where}: names a title page"
    if view:
        allowed = lecture_map.lesson_pages(view)
        assert set(pages) <= allowed, f"{where}: {sorted(set(pages) - allowed)} not {view}'s"


def test_the_map_is_the_deck():
    items = lecture_map.PART1 + lecture_map.PART2
    assert sorted(lecture_map.DECK_PAGES) == [item.number for item in items]
    pages = [page for item in items for page in lecture_map.DECK_PAGES[item.number]]
    assert not set(pages) & set(lecture_map.TITLE_PAGES)
    # Part 1 is p.5-17, Part 2 p.19-33; every content page of the deck belongs to an item.
    assert set(pages) == set(range(5, 18)) | set(range(19, 34))
    part1 = {page for item in lecture_map.PART1 for page in lecture_map.DECK_PAGES[item.number]}
    assert max(part1) < 18 < min(lecture_map.DECK_PAGES[lecture_map.PART2[0].number])
    assert lecture_map.page_label(items[17]) == "27–29"
    assert lecture_map.page_label(items[8]) == "15, 17"


def test_the_pages_named_by_the_issue():
    """The slides a lecturer points at: the Keras code, the sigmoid, E, multiclass, MNIST."""
    assert {27, 28} <= lecture_map.lesson_pages("logistic")
    assert 25 in lecture_map.lesson_pages("sigmoid")
    assert 26 in lecture_map.lesson_pages("cross_entropy")
    assert 30 in lecture_map.lesson_pages("multiclass")
    assert {31, 32, 33} <= lecture_map.lesson_pages("mnist")
    assert {15, 16} <= lecture_map.lesson_pages("regression")


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_catalog_slide_numbers_are_deck_pages_of_their_page(lang):
    found = 0
    for path, text in _strings(_catalog(lang)):
        pages = slide_numbers(text)
        found += len(pages)
        _check(f"{lang}: {'.'.join(path)}", pages, SECTION_VIEW.get(path[0]))
    assert found > 30  # the explanations do name their slides


def test_both_languages_name_the_same_slides():
    english = dict(_strings(_catalog("en")))
    for path, text in _strings(_catalog("ja")):
        assert sorted(set(slide_numbers(text))) == sorted(set(slide_numbers(english[path]))), path


def test_a_mention_is_read_whole():
    assert slide_numbers("(slides 27–29) and slide 5") == [27, 28, 29, 5]
    assert slide_numbers("スライド 15、17 と スライド 8〜9") == [15, 17, 8, 9]


def test_readme_page_table_uses_the_deck_pages():
    rows = re.findall(r"^\| ([^|]+?) \| ([^|]+?) \|", (ROOT / "README.md").read_text("utf-8"),
                      re.M)
    views = {"Home": None, "Regression": "regression", "Logistic regression": "logistic",
             "Sigmoid function": "sigmoid", "Cross-entropy surface": "cross_entropy",
             "Linear multiclass classifier": "multiclass", "MNIST digit classifier": "mnist",
             "Glossary": None}
    checked = 0
    for name, slides in rows:
        name = name.split(" (")[0]
        if name in views and slides != "all":
            _check(f"README {name}", slide_numbers("slides " + slides), views[name])
            checked += 1
    assert checked == 6


def test_generated_scripts_name_their_slides():
    from lib.core import multiclass_data, regression, regression_data
    from lib.core.mnist import Settings
    from lib.core.requests import TrainSpec
    from lib.scripts import logistic, mnist, multiclass
    from lib.scripts import regression as regression_script

    points = textbook_points()
    classes = multiclass_data.generated_points(3, 5, 3.0, 1)
    data = regression_data.generated(10, 3.0, 10.0, 3.0, 1)
    spend = np.asarray(data.x, dtype=float)
    scripts = {
        "logistic": logistic.scripts(TrainSpec(points.x, points.t, epochs=1)),
        "multiclass": multiclass.scripts(TrainSpec(classes.x, np.eye(3)[classes.c],
                                                   loss="categorical", epochs=1)),
        "regression": regression_script.scripts(
            TrainSpec(spend[:, None], data.y, loss="mse", epochs=1), spend, data.y, 1,
            regression.Scaling()),
        "mnist": mnist.scripts(Settings(), "keras", 60_000),
    }
    for lesson, both in scripts.items():
        for form, text in both.forms.items():
            pages = slide_numbers(text)
            assert pages, (lesson, form)
            _check(f"{lesson} script ({form})", pages, lesson)


def test_docstrings_name_their_slides():
    for folder in ("views", "lib/core", "lib/engine", "lib/figures", "lib/scripts"):
        for path in sorted((ROOT / folder).glob("*.py")):
            text = path.read_text("utf-8")
            lesson = path.stem if (ROOT / "views" / f"{path.stem}.py").exists() else None
            _check(str(path.relative_to(ROOT)), slide_numbers(text),
                   None if lesson in (None, "home", "glossary") else lesson)
