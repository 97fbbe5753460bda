"""The app's pages, declared once: app.py's navigation, the home map, the glossary, links and
the tests all read this list.

A page's name is its lesson name (the same in core/, engine/, figures/, scripts/) and the stem
of its view file; its URL path is its name, except for the home page at the root.
"""
from __future__ import annotations

from dataclasses import dataclass

# The navigation's sections, in order: the title key of each ("" is the untitled first one).
SECTIONS = {"top": "", "part1": "home.part1_title", "part2": "home.part2_title",
            "glossary": "glossary.nav"}


@dataclass(frozen=True)
class Page:
    name: str
    icon: str
    title_key: str
    section: str  # a key of SECTIONS
    deck_pages: tuple[int, ...] = ()  # the deck's printed page numbers the page shows

    @property
    def view(self) -> str:
        """The view file, relative to the app's folder (what st.Page and st.page_link take)."""
        return f"views/{self.name}.py"

    @property
    def url_path(self) -> str:
        return "" if self.name == HOME else self.name


HOME = "home"
# In the order of the lecture: Part 1, then Part 2 slide by slide.
PAGES: tuple[Page, ...] = (
    Page(HOME, "🏠", "nav.home", "top"),
    Page("regression", "📉", "regression.nav", "part1", (15, 16)),
    Page("logistic", "📈", "nav.logistic", "part2", (21, 22, 23, 24, 26, 27, 28)),
    Page("sigmoid", "〰️", "sigmoid.nav", "part2", (25,)),
    Page("cross_entropy", "⛰️", "xent.nav", "part2", (26,)),
    Page("multiclass", "🔺", "multiclass.nav", "part2", (30,)),
    Page("mnist", "🔢", "mnist.nav", "part2", (31, 32, 33)),
    Page("glossary", "📖", "glossary.nav", "glossary"),
)
BY_NAME = {page.name: page for page in PAGES}
NAMES = tuple(BY_NAME)


def view(name: str) -> str:
    """The view file of the page called `name` (KeyError for a page the app does not have)."""
    return BY_NAME[name].view


def navigation(translate) -> dict[str, list]:
    """st.navigation's argument: section title -> st.Page objects, titles in this language."""
    import streamlit as st

    sections: dict[str, list] = {}
    for page in PAGES:
        heading = translate(SECTIONS[page.section]) if SECTIONS[page.section] else ""
        options = {"default": True} if page.name == HOME else {"url_path": page.url_path}
        sections.setdefault(heading, []).append(
            st.Page(page.view, title=translate(page.title_key), icon=page.icon, **options))
    return sections
