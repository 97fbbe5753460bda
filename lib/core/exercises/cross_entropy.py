"""Exercises of the cross-entropy page (slide 26): one point's cost, the shares of E, the
landscape."""
from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from lib.core import cross_entropy as loss, datasets, maths
from lib.core.exercises.base import (NUMBER, PICTURE, PREDICT, Attempt, Exercise, Verdict,
                                     number_verdict, predicted, right, wrong)

WRONG_SIDE = (-0.3, -0.3)  # the page's "every point on the wrong side" (w1, w2)
SEPARABLE = dict(n=20, sep=30.0, spread=2.0, seed=1)  # two clouds a line separates


def weights(state) -> np.ndarray:
    return np.array([float(state[name]) for name in ("w0", "w1", "w2")])


def check_cost(attempt: Attempt) -> Verdict:
    p = attempt.variant["p"]
    return number_verdict(attempt.answer, -math.log(p), 0.01,
                          {"log10": -math.log10(p), "sign": math.log(p),
                           "cross": -math.log(1 - p)})


def check_biggest(attempt: Attempt) -> Verdict:
    points = attempt.context.get("points")
    if points is None or len(points) == 0:
        return wrong("missing")
    terms = loss.xent_terms(weights(attempt.state), points.x, points.t)
    try:
        chosen = int(attempt.answer)
    except (TypeError, ValueError):
        return wrong("missing")
    if not 0 <= chosen < len(terms):
        return wrong("missing")
    values = dict(number=chosen + 1, term=float(terms[chosen]), most=float(terms.max()),
                  best=int(np.argmax(terms)) + 1)
    if terms[chosen] >= terms.max() - 1e-12:
        return right(**values)
    return wrong("right_side" if terms[chosen] < math.log(2) else "smaller", **values)


def biggest_solution(attempt: Attempt) -> dict:
    points = attempt.context["points"]
    terms = loss.xent_terms(weights(attempt.state), points.x, points.t)
    best = int(np.argmax(terms))
    return dict(best=best + 1, term=float(terms[best]), share=float(terms[best] / terms.sum()))


@lru_cache(maxsize=1)
def separable_points():
    s = SEPARABLE
    return datasets.generated_points(s["n"], s["sep"], s["spread"], s["seed"])


def separable_truth(attempt: Attempt) -> tuple[str, dict]:
    """On separable data Newton's method finds no minimum: E only falls as w grows."""
    points = separable_points()
    _, converged = maths.logistic_optimum(points.x, points.t)
    line = np.array([-30.0, 1.0, 1.0])  # x + y = 30 separates the two clouds
    values = [loss.xent(s * line, points.x, points.t) for s in (0.1, 1.0, 10.0)]
    falling = values[0] > values[1] > values[2]
    choice = "infinity" if falling and not converged else "at_line"
    return choice, dict(e1=values[0], e2=values[1], e3=values[2])


def flat_truth(attempt: Attempt) -> tuple[str, dict]:
    """Far on the wrong side the sigmoid is flat: the squared error's slope vanishes, E's not."""
    points = attempt.context.get("points") or datasets.textbook_points()
    w = np.array([float(attempt.state.get("w0", -6.0)), *WRONG_SIDE])
    n = max(len(points), 1)
    g_xent = float(np.linalg.norm(loss.xent_gradient(w, points.x, points.t)) / n)
    g_mse = float(np.linalg.norm(loss.mse_gradient(w, points.x, points.t)))
    if g_mse < 1e-3 * g_xent:
        choice = "xent"
    elif g_xent < 1e-3 * g_mse:
        choice = "mse"
    else:
        choice = "both"
    return choice, dict(xent=g_xent, mse=g_mse)


EXERCISES = (
    Exercise("cross_entropy.cost", NUMBER, "26", check_cost,
             lambda attempt: dict(p=attempt.variant["p"], cost=-math.log(attempt.variant["p"])),
             feedback=("log10", "sign", "cross"), tolerance=0.01,
             variant=lambda rng: dict(p=float(rng.choice([0.05, 0.1, 0.2, 0.25, 0.4, 0.6])))),
    Exercise("cross_entropy.biggest", PICTURE, "26", check_biggest, biggest_solution,
             feedback=("right_side", "smaller")),
    Exercise("cross_entropy.separable", PREDICT, "26", predicted(separable_truth),
             choices=("at_line", "infinity", "zero"), truth=separable_truth,
             demo={"data.src": "generated", "data.n": SEPARABLE["n"],
                   "data.sep": SEPARABLE["sep"], "data.spread": SEPARABLE["spread"],
                   "data.dseed": SEPARABLE["seed"]}),
    Exercise("cross_entropy.flat", PREDICT, "26", predicted(flat_truth),
             choices=("xent", "mse", "both"), truth=flat_truth,
             demo={"xent.w1": WRONG_SIDE[0], "xent.w2": WRONG_SIDE[1]}),
)
