"""The lecture, item by item (LECTURE.md), and where the app makes each item touchable.

Each item's title and text live in the catalogs under home.map.i<N> and home.map.i<N>_text;
`pages` names the pages that show it (their names in lib/ui/pages.py), `figure` names a small
figure drawn on the home page instead where no page fits.
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
