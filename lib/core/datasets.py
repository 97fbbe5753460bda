"""Data for the pages: the author's textbook points, a generator, and CSV upload/download.

Every generator takes its own `np.random.RandomState(seed)`: sessions run in threads, so the
global numpy seed is never touched.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lib.core import csv_table
from lib.core.csv_table import DataError  # noqa: F401  (the pages import it from here)
from lib.core.samples import Samples

TEXTBOOK_SEED = 20190220
# Limits for uploaded or generated data: enough for teaching, small enough for a shared server.
MAX_POINTS = 5000
MAX_ABS_COORD = 1e6


@dataclass(frozen=True, eq=False)
class Points(Samples):
    """Labelled points in the plane: x (n, 2) float, t (n,) int in {0, 1} (1 = ◦, 0 = ×)."""

    t: np.ndarray

    def to_csv(self) -> str:
        frame = pd.DataFrame({"x": self.x[:, 0], "y": self.x[:, 1], "t": self.t})
        return frame.to_csv(index=False, float_format="%.6g")

    def extent(self, margin: float = 0.08):
        """Axis ranges that hold every point; the textbook's 0..30 square, widened if needed."""
        if len(self) == 0:
            return (0.0, 30.0), (0.0, 30.0)
        lo, hi = self.x.min(axis=0), self.x.max(axis=0)
        if lo.min() >= -10 and hi.max() <= 40:
            lo, hi = np.minimum(lo - 1, 0).round(), np.maximum(hi + 1, 30).round()
            return (float(lo[0]), float(hi[0])), (float(lo[1]), float(hi[1]))
        span = np.maximum(hi - lo, 1e-9)
        lo, hi = lo - margin * span, hi + margin * span
        return (float(lo[0]), float(hi[0])), (float(lo[1]), float(hi[1]))


def textbook_points() -> Points:
    """The author's 35 training points (his Keras book, chapter 2), exactly as his notebook draws them."""
    rng = np.random.RandomState(TEXTBOOK_SEED)
    x0 = rng.multivariate_normal([10, 11], 20 * np.eye(2), 20)
    x1 = rng.multivariate_normal([18, 20], 22 * np.eye(2), 15)
    x = np.vstack([x0, x1])
    t = np.r_[np.zeros(20, dtype=int), np.ones(15, dtype=int)]
    return Points(x, t)


def generated_points(n_per_class: int, separation: float, spread: float, seed: int) -> Points:
    """Two round clouds centred on the textbook's picture, `separation` apart along the diagonal.

    n_per_class points of each class; spread is the standard deviation of each cloud.
    """
    rng = np.random.RandomState(seed)
    centre = np.array([15.0, 15.0])
    offset = separation / 2 / np.sqrt(2) * np.array([1.0, 1.0])
    x0 = rng.normal(centre - offset, spread, size=(n_per_class, 2))
    x1 = rng.normal(centre + offset, spread, size=(n_per_class, 2))
    x = np.vstack([x0, x1])
    t = np.r_[np.zeros(n_per_class, dtype=int), np.ones(n_per_class, dtype=int)]
    return Points(x, t)


def template_csv() -> str:
    """A small CSV with the expected columns, for students to fill in."""
    return "x,y,t\n5.0,8.0,0\n9.5,12.0,0\n20.0,18.5,1\n17.0,23.0,1\n"


def parse_points_csv(raw: bytes, max_points: int = MAX_POINTS) -> Points:
    """Read uploaded bytes as a CSV with columns x, y, t; raise DataError saying what is wrong."""
    xy, t = csv_table.read_labelled_points(raw, "t", max_points, MAX_ABS_COORD)
    if not np.all(np.isin(t, (0, 1))):
        row = int(np.flatnonzero(~np.isin(t, (0, 1)))[0]) + 2
        raise DataError("csv_labels", row=row)
    if len(t) < 2:
        raise DataError("csv_too_few")
    if len(np.unique(t)) < 2:
        raise DataError("csv_one_class")
    return Points(xy, t.astype(int))


def train_test_split(n: int, test_fraction: float, seed: int):
    """Indices of a stratification-free random split; test is empty when test_fraction is 0."""
    rng = np.random.RandomState(seed)
    order = rng.permutation(n)
    n_test = int(round(n * test_fraction))
    if test_fraction > 0:
        n_test = min(max(n_test, 1), n - 2)  # keep at least two training points
    return np.sort(order[n_test:]), np.sort(order[:n_test])
