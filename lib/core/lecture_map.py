"""The lecture, item by item (LECTURE.md), and where the app makes each item touchable.

Each item's title and text live in the catalogs under home.map.i<N> and home.map.i<N>_text;
`pages` are the views that show it, `figure` names a small figure drawn on the home page
instead where no page fits.
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
    Item(4, ("views/mnist.py",)),
    Item(5, ("views/regression.py",)),
    Item(6, ("views/regression.py", "views/logistic.py")),
    Item(7),
    Item(8, figure="kinds"),
    Item(9, ("views/logistic.py", "views/regression.py")),
    Item(10, ("views/regression.py",)),
)
PART2 = (
    Item(11, ("views/logistic.py",)),
    Item(12, ("views/logistic.py",)),
    Item(13, ("views/logistic.py",)),
    Item(14, ("views/logistic.py", "views/sigmoid.py")),
    Item(15, ("views/sigmoid.py",)),
    Item(16, ("views/sigmoid.py",)),
    Item(17, ("views/cross_entropy.py",)),
    Item(18, ("views/logistic.py",)),
    Item(19, ("views/multiclass.py",)),
    Item(20, ("views/mnist.py",)),
    Item(21, ("views/mnist.py",)),
)
