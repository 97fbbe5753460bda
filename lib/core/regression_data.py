"""Regression data: advertising spend against sales, generated or read from a CSV.

The pairs (spend x, sales y) are in million yen. An uploaded table may have any columns: the
user picks the spend and the sales columns.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lib.core import csv_table
from lib.core.datasets import DataError
from lib.core.samples import Samples

MAX_POINTS = 5000
MAX_ABS_VALUE = 1e6
SPEND_RANGE = (0.5, 10.0)  # generated spend, million yen


@dataclass(frozen=True, eq=False)
class Sales(Samples):
    """Pairs (x, y): x the advertising spend, y the sales, both (n,) float arrays."""

    y: np.ndarray

    def to_csv(self, x_name: str = "spend", y_name: str = "sales") -> str:
        frame = pd.DataFrame({x_name: self.x, y_name: self.y})
        return frame.to_csv(index=False, float_format="%.10g")

    def extent(self, margin: float = 0.06):
        """Axis ranges (x, y) that hold every point, starting at 0 when the data are positive."""
        if len(self) == 0:
            return (0.0, 10.0), (0.0, 10.0)
        ranges = []
        for values in (self.x, self.y):
            low, high = float(values.min()), float(values.max())
            span = max(high - low, 1e-9 + 1e-6 * abs(high))
            lo, hi = low - margin * span, high + margin * span
            if 0 <= low < 0.5 * span:
                lo = 0.0  # spend and sales start at zero: show the origin when it is near
            ranges.append((lo, hi))
        return tuple(ranges)


def generated(n: int, slope: float, intercept: float, noise: float, seed: int) -> Sales:
    """n months of spend (uniform over SPEND_RANGE) and sales = intercept + slope·spend + noise.

    Values are rounded to 0.01 (ten thousand yen), as a spreadsheet would hold them. Every
    draw comes from its own RandomState(seed): sessions run in threads.
    """
    rng = np.random.RandomState(int(seed))
    x = np.round(rng.uniform(*SPEND_RANGE, size=int(n)), 2)
    y = intercept + slope * x + rng.normal(0.0, noise, size=int(n))
    return Sales(x, np.round(y, 2))


# ---------------------------------------------------------------------------------------------
# CSV upload: any table; the user picks the spend and the sales columns.


def read_table(raw: bytes, max_rows: int = MAX_POINTS) -> pd.DataFrame:
    """Uploaded bytes as a table of strings; DataError (codes of the "csv" catalog) if not."""
    frame = csv_table.read_table(raw)
    csv_table.check_rows(frame, max_rows)
    if frame.shape[1] < 2:
        raise DataError("csv_two_columns")
    return frame


def default_columns(columns) -> tuple[str, str]:
    """The columns to offer first: ones named like spend/x and sales/y, else the first two."""
    columns = list(columns)
    lower = [c.lower() for c in columns]

    def find(names, fallback):
        for name in names:
            if name in lower:
                return columns[lower.index(name)]
        return fallback

    x = find(("spend", "x", "広告費", "advertising"), columns[0])
    rest = [c for c in columns if c != x]
    y = find(("sales", "y", "売上", "売上高"), rest[0])
    if y == x:
        y = rest[0]
    return x, y


def pick_columns(frame: pd.DataFrame, x_column: str, y_column: str) -> Sales:
    """The chosen columns as numbers; DataError saying what is wrong, row numbers 1-based."""
    if x_column == y_column:
        raise DataError("csv_same_column")
    for column in (x_column, y_column):
        if column not in frame.columns:
            raise DataError("csv_unreadable")
    x, y = csv_table.numbers(frame, x_column), csv_table.numbers(frame, y_column)
    csv_table.check_magnitude((x, y), MAX_ABS_VALUE)
    if len(x) < 2:
        raise DataError("csv_too_few")
    if np.ptp(x) == 0:
        raise DataError("csv_constant_x")
    return Sales(x, y)


def template_csv() -> str:
    return "spend,sales\n1.5,14.2\n3.0,19.8\n4.5,23.1\n6.0,28.9\n8.0,33.5\n"
