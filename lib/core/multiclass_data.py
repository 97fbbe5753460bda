"""Data for the linear multiclass page: points of K classes, generated or read from a CSV.

Classes are numbered 0, 1, …, K − 1. Every generator takes its own
`np.random.RandomState(seed)`: sessions run in threads, so the global numpy seed is never touched.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lib.core import csv_table
from lib.core.csv_table import DataError
from lib.core.datasets import MAX_ABS_COORD, MAX_POINTS
from lib.core.samples import Samples

GENERATOR_CLASSES = (3, 4)  # the generator's choices; the slide speaks of "three or more"
MAX_CLASSES = 6  # an upload may hold 2..6 classes: one distinct marker shape each
CENTRE = 15.0  # the clouds sit in the textbook's 0..30 square (or cube)
RADIUS = 8.0  # distance of each class centre from the middle
AXES = ("x", "y", "z")
# The error codes whose messages are the multiclass page's own (the others are shared in [csv]).
OWN_CODES = ("csv_columns", "csv_labels", "csv_gap", "csv_one_class")


@dataclass(frozen=True, eq=False)
class ClassPoints(Samples):
    """Labelled points: x (n, d) float with d = 2 (plane) or 3 (space), c (n,) int in 0..k − 1."""

    c: np.ndarray
    k: int

    @property
    def dim(self) -> int:
        return self.x.shape[1]

    def onehot(self) -> np.ndarray:
        """The targets Keras' categorical cross-entropy wants: class 2 of 4 -> [0, 0, 1, 0]."""
        return np.eye(self.k, dtype=np.float32)[self.c]

    def counts(self) -> np.ndarray:
        return np.bincount(self.c, minlength=self.k)

    def to_csv(self) -> str:
        columns = {name: self.x[:, i] for i, name in enumerate(AXES[:self.dim])}
        columns["class"] = self.c
        return pd.DataFrame(columns).to_csv(index=False, float_format="%.6g")

    def extent(self, margin: float = 0.08):
        """Axis ranges holding every point: the 0..30 box, widened when the points leave it."""
        if len(self) == 0:
            return tuple((0.0, 30.0) for _ in range(self.dim))
        lo, hi = self.x.min(axis=0), self.x.max(axis=0)
        if lo.min() >= -10 and hi.max() <= 40:
            lo, hi = np.minimum(lo - 1, 0).round(), np.maximum(hi + 1, 30).round()
        else:
            span = np.maximum(hi - lo, 1e-9)
            lo, hi = lo - margin * span, hi + margin * span
        return tuple((float(a), float(b)) for a, b in zip(lo, hi))


def class_centres(k: int, dim: int = 2) -> np.ndarray:
    """k centres RADIUS from the middle of the box: a regular polygon in the plane, and in space
    the corners of a regular tetrahedron (k = 4) or three of them (k = 3)."""
    if dim == 2:
        angles = np.pi / 2 + 2 * np.pi * np.arange(k) / k
        return CENTRE + RADIUS * np.column_stack([np.cos(angles), np.sin(angles)])
    corners = np.array([[1, 1, 1], [1, -1, -1], [-1, 1, -1], [-1, -1, 1]], dtype=float)
    return CENTRE + RADIUS / np.sqrt(3) * corners[:k]


def generated_points(k: int, n_per_class: int, spread: float, seed: int,
                     dim: int = 2) -> ClassPoints:
    """k round clouds of n_per_class points each; spread is each cloud's standard deviation."""
    rng = np.random.RandomState(seed)
    centres = class_centres(k, dim)
    x = np.vstack([rng.normal(centre, spread, size=(n_per_class, dim)) for centre in centres])
    return ClassPoints(x, np.repeat(np.arange(k), n_per_class), k)


def template_csv() -> str:
    """A small CSV with the expected columns, for students to fill in."""
    return ("x,y,class\n6.0,8.0,0\n8.5,6.0,0\n22.0,9.0,1\n24.0,7.5,1\n"
            "14.0,23.0,2\n16.5,25.0,2\n")


def parse_classes_csv(raw: bytes, max_points: int = MAX_POINTS) -> ClassPoints:
    """Read uploaded bytes as a CSV with columns x, y, class; raise DataError saying what is wrong.

    Classes are whole numbers 0, 1, …, K − 1 with none left out (2 ≤ K ≤ MAX_CLASSES).
    """
    xy, labels = csv_table.read_labelled_points(raw, "class", max_points, MAX_ABS_COORD)
    valid = (labels == np.round(labels)) & (labels >= 0) & (labels < MAX_CLASSES)
    if not valid.all():
        row = int(np.flatnonzero(~valid)[0]) + 2
        raise DataError("csv_labels", row=row, top=MAX_CLASSES - 1)
    if len(labels) < 2:
        raise DataError("csv_too_few")
    labels = labels.astype(int)
    k = int(labels.max()) + 1
    absent = [str(c) for c in range(k) if not np.any(labels == c)]
    if absent:
        raise DataError("csv_gap", absent=", ".join(absent), k=k)
    if k < 2:
        raise DataError("csv_one_class")
    return ClassPoints(xy, labels, k)
