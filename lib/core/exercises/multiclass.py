"""Exercises of the linear multiclass page (slide 30): K linear functions and the softmax."""
from __future__ import annotations

import numpy as np

from lib.core.exercises.base import (NUMBER, PREDICT, Attempt, Exercise, Verdict,
                                     number_verdict, predicted)

SHIFT = 5.0  # "add 5 to every linear function"


def check_parameters(attempt: Attempt) -> Verdict:
    k, d = attempt.variant["k"], attempt.variant["d"]
    return number_verdict(attempt.answer, k * (d + 1), 0.0,
                          {"no_bias": k * d, "one_function": d + 1})


def softmax(f) -> np.ndarray:
    f = np.asarray(f, dtype=float)
    e = np.exp(f - f.max())
    return e / e.sum()


def shift_truth(attempt: Attempt) -> tuple[str, dict]:
    """The softmax of f and of f + 5 on an example's linear values."""
    f = np.array([2.0, 1.0, -0.5])
    before, after = softmax(f), softmax(f + SHIFT)
    change = float(np.abs(after - before).max())
    choice = "same" if change < 1e-12 else "changes"
    return choice, dict(p1=before[0], p2=before[1], p3=before[2], q1=after[0], q2=after[1],
                        q3=after[2], change=change)


def check_pairs(attempt: Attempt) -> Verdict:
    k = attempt.variant["k"]
    return number_verdict(attempt.answer, k * (k - 1) // 2, 0.0,
                          {"classes": k, "ordered": k * (k - 1)})


EXERCISES = (
    Exercise("multiclass.parameters", NUMBER, "30", check_parameters,
             lambda attempt: dict(attempt.variant, count=attempt.variant["k"]
                                  * (attempt.variant["d"] + 1)),
             feedback=("no_bias", "one_function"),
             variant=lambda rng: dict(k=int(rng.choice([3, 4, 5, 6, 10])),
                                      d=int(rng.choice([2, 3, 4])))),
    Exercise("multiclass.shift", PREDICT, "30", predicted(shift_truth),
             choices=("same", "changes"), truth=shift_truth),
    Exercise("multiclass.pairs", NUMBER, "30", check_pairs,
             lambda attempt: dict(k=attempt.variant["k"],
                                  count=attempt.variant["k"] * (attempt.variant["k"] - 1) // 2),
             feedback=("classes", "ordered"),
             variant=lambda rng: dict(k=int(rng.choice([3, 4, 5, 6])))),
)
