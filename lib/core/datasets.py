"""Data for the pages: the author's textbook points, a generator, and CSV upload/download.

Every generator takes its own `np.random.RandomState(seed)`: sessions run in threads, so the
global numpy seed is never touched.
"""
from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
import pandas as pd

TEXTBOOK_SEED = 20190220
# Limits for uploaded or generated data: enough for teaching, small enough for a shared server.
MAX_POINTS = 5000
MAX_ABS_COORD = 1e6


@dataclass(frozen=True, eq=False)
class Points:
    """Labelled points in the plane: x (n, 2) float, t (n,) int in {0, 1} (1 = ◦, 0 = ×)."""

    x: np.ndarray
    t: np.ndarray

    def __len__(self) -> int:
        return len(self.t)

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


class DataError(ValueError):
    """A problem with user data; `code` names a message in the locale catalogs, `detail` fills it."""

    def __init__(self, code: str, **detail):
        super().__init__(code)
        self.code = code
        self.detail = detail


def parse_points_csv(raw: bytes, max_points: int = MAX_POINTS) -> Points:
    """Read uploaded bytes as a CSV with columns x, y, t; raise DataError saying what is wrong."""
    if not raw or not raw.strip():
        raise DataError("csv_empty")
    if b"\x00" in raw[:4096]:
        raise DataError("csv_binary")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataError("csv_encoding") from None
    try:
        frame = pd.read_csv(io.StringIO(text), sep=None, engine="python", dtype=str,
                            skipinitialspace=True)
    except Exception:  # pandas raises many kinds of parser errors; all mean "not a table"
        raise DataError("csv_unreadable") from None
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    missing = [c for c in ("x", "y", "t") if c not in frame.columns]
    if missing:
        shown = ", ".join(str(c)[:20] for c in list(frame.columns)[:6])
        raise DataError("csv_columns", missing=", ".join(missing), found=shown or "-")
    if len(frame) == 0:
        raise DataError("csv_empty")
    if len(frame) > max_points:
        raise DataError("csv_too_many", rows=len(frame), limit=max_points)
    numbers = {}
    for column in ("x", "y", "t"):
        values = pd.to_numeric(frame[column].str.strip(), errors="coerce")
        bad = values.isna() & frame[column].notna()
        if bad.any() or values.isna().any():
            row = int(np.flatnonzero((bad | values.isna()).to_numpy())[0]) + 2  # +2: header, 1-based
            raise DataError("csv_not_number", column=column, row=row)
        arr = values.to_numpy(dtype=float)
        if not np.all(np.isfinite(arr)):
            row = int(np.flatnonzero(~np.isfinite(arr))[0]) + 2
            raise DataError("csv_not_finite", column=column, row=row)
        numbers[column] = arr
    if np.abs(np.r_[numbers["x"], numbers["y"]]).max() > MAX_ABS_COORD:
        raise DataError("csv_too_large", limit=f"{MAX_ABS_COORD:g}")
    t = numbers["t"]
    if not np.all(np.isin(t, (0, 1))):
        row = int(np.flatnonzero(~np.isin(t, (0, 1)))[0]) + 2
        raise DataError("csv_labels", row=row)
    if len(t) < 2:
        raise DataError("csv_too_few")
    if len(np.unique(t)) < 2:
        raise DataError("csv_one_class")
    return Points(np.column_stack([numbers["x"], numbers["y"]]), t.astype(int))


def train_test_split(n: int, test_fraction: float, seed: int):
    """Indices of a stratification-free random split; test is empty when test_fraction is 0."""
    rng = np.random.RandomState(seed)
    order = rng.permutation(n)
    n_test = int(round(n * test_fraction))
    if test_fraction > 0:
        n_test = min(max(n_test, 1), n - 2)  # keep at least two training points
    return np.sort(order[n_test:]), np.sort(order[:n_test])
