"""The common shape of the pages' data sets: n examples held as arrays, one row per example."""
from __future__ import annotations

from dataclasses import dataclass, fields, replace

import numpy as np


@dataclass(frozen=True, eq=False)
class Samples:
    """Examples whose inputs `x` have one row each; a kind adds its targets (labels, sales).

    Every array field runs over the examples; any other field (a class count) describes the
    whole set and is kept as it is by `take`.
    """

    x: np.ndarray

    def __len__(self) -> int:
        return len(self.x)

    def take(self, index):
        """The examples at `index` (positions or a boolean mask), as a set of the same kind."""
        return replace(self, **{field.name: getattr(self, field.name)[index]
                                for field in fields(self)
                                if isinstance(getattr(self, field.name), np.ndarray)})
