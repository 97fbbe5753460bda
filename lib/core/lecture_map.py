"""The lecture, item by item, and where the app makes each item touchable.

Each item's title and text live in the catalogs under home.map.i<N> and home.map.i<N>_text;
`pages` names the pages that show it (their names in lib/ui/pages.py), `figure` names a small
figure drawn on the home page instead where no page fits.
DECK_PAGES gives each item's pages in the deck, numbered as printed on the slides: when the app
says "slide 27", it means the deck's page 27.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Item:
    number: int
    pages: tuple = ()
    figure: str | None = None


PART1 = (
    Item(1, figure="fields"),
    Item(2, figure="spam"),
    Item(3),
    Item(4, ("mnist",)),
    Item(5, ("regression",)),
    Item(6, ("regression", "logistic")),
    Item(7),
    Item(8, figure="kinds"),
    Item(9, ("logistic", "regression")),
    Item(10, ("regression",)),
)
PART2 = (
    Item(11, ("logistic",)),
    Item(12, ("logistic",)),
    Item(13, ("logistic",)),
    Item(14, ("logistic", "sigmoid")),
    Item(15, ("sigmoid",)),
    Item(16, ("sigmoid",)),
    Item(17, ("cross_entropy",)),
    Item(18, ("logistic",)),
    Item(19, ("multiclass",)),
    Item(20, ("mnist",)),
    Item(21, ("mnist",)),
)

# The deck's own page numbers of every item, as printed on the slides (p.15 introduces
# classification and regression, p.17 the classification of images that Part 2 details).
DECK_PAGES = {
    1: (5,), 2: (6,), 3: (7,), 4: (8, 9), 5: (10,), 6: (11,), 7: (12,), 8: (13, 14),
    9: (15, 17), 10: (16,),
    11: (19, 20), 12: (21,), 13: (22,), 14: (23,), 15: (24,), 16: (25,), 17: (26,),
    18: (27, 28, 29), 19: (30,), 20: (31, 32), 21: (33,),
}
TITLE_PAGES = (1, 2, 3, 4, 18)  # the title, the sign-language terms, the two part titles
# Items a page recalls without showing them (the multiclass page starts from logistic
# regression): its text may name their slides; the home map does not link them to it.
RECALLS = {
    "logistic": (15, 16, 17),
    "multiclass": (11, 12, 13, 14, 15, 16, 17, 18, 20),
    "mnist": (17, 19),
    "sigmoid": (13, 17),
    "cross_entropy": (14, 16, 18),
    "regression": (9,),
}


def page_label(item: Item) -> str:
    """The item's deck pages as the app prints them: "27–29", "8–9", "15, 17" or "25"."""
    pages, runs = DECK_PAGES[item.number], []
    for page in pages:
        if runs and page == runs[-1][1] + 1:
            runs[-1][1] = page
        else:
            runs.append([page, page])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in runs)


def lesson_pages(page: str) -> set[int]:
    """The deck pages an app page (its name in lib/ui/pages.py) shows or recalls: the slides
    its text may name."""
    pages = set()
    for item in PART1 + PART2:
        if page in item.pages or item.number in RECALLS.get(page, ()):
            pages.update(DECK_PAGES[item.number])
    return pages
