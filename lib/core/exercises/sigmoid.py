"""Exercises of the sigmoid page (slides 23–25): σ(a), and P(x, y) = σ(f(x, y))."""
from __future__ import annotations

import math

import numpy as np

from lib.core import maths, sigmoid
from lib.core.exercises.base import (NUMBER, PREDICT, REACH, Attempt, Exercise, Verdict,
                                     number_verdict, predicted, right, wrong)

SCALE = 5.0  # "multiply w0, w1 and w2 by 5"
# The centres of the textbook's two clouds: ◦ (t = 1) around (18, 20), × around (10, 11).
CIRCLE_CENTRE, CROSS_CENTRE = (18.0, 20.0), (10.0, 11.0)
SURE = 0.9


def probability(w, point) -> float:
    return float(maths.sigmoid(np.array([maths.linear(*w, point[0], point[1])]))[0])


def check_zero(attempt: Attempt) -> Verdict:
    return number_verdict(attempt.answer, 0.5, 0.001, {"zero": 0.0, "one": 1.0})


def check_inverse(attempt: Attempt) -> Verdict:
    p = attempt.variant["p"]
    a = math.log(p / (1 - p))
    return number_verdict(attempt.answer, a, 0.02, {"sign": -a, "gave_p": p})


def inverse_solution(attempt: Attempt) -> dict:
    p = attempt.variant["p"]
    return dict(p=p, q=1 - p, a=math.log(p / (1 - p)))


def weights(state) -> tuple:
    return tuple(float(state[name]) for name in ("w0", "w1", "w2"))


def scale_truth(attempt: Attempt) -> tuple[str, dict]:
    """Scaling all three parameters keeps the line f = 0 and divides the band's width."""
    w = weights(attempt.state)
    scaled = tuple(SCALE * v for v in w)
    before = sigmoid.transition_width(w[1], w[2])
    after = sigmoid.transition_width(scaled[1], scaled[2])
    if math.isinf(before):
        return "same_narrower", dict(before=before, after=after, scale=SCALE)
    choice = "same_narrower" if after < before else "same_wider"
    return choice, dict(before=before, after=after, scale=SCALE)


def check_sharp(attempt: Attempt) -> Verdict:
    w = weights(attempt.state)
    at_circle, at_cross = probability(w, CIRCLE_CENTRE), probability(w, CROSS_CENTRE)
    values = dict(circle=at_circle, cross=at_cross, sure=SURE)
    if at_circle >= SURE and at_cross <= 1 - SURE:
        return right(**values)
    if at_circle < at_cross:
        return wrong("reversed", **values)
    if at_circle > 0.5 > at_cross:
        return wrong("soft", **values)
    return wrong("line", **values)


def sharp_solution(attempt: Attempt) -> dict:
    # The line halfway between the centres, across the segment joining them, made steep enough.
    direction = np.subtract(CIRCLE_CENTRE, CROSS_CENTRE)
    middle = (np.add(CIRCLE_CENTRE, CROSS_CENTRE)) / 2
    w12 = 0.1 * direction
    return dict(w0=float(-w12 @ middle), w1=float(w12[0]), w2=float(w12[1]))


def scale_demo(state) -> dict:
    """The page's own sliders at 5 × their values (inside the sliders' ranges)."""
    bounds = {"w0": 30.0, "w1": 2.0, "w2": 2.0}
    return {f"sigmoid.{name}": float(np.clip(SCALE * float(state[name]), -bound, bound))
            for name, bound in bounds.items()}


EXERCISES = (
    Exercise("sigmoid.zero", NUMBER, "25", check_zero, lambda attempt: dict(value=0.5),
             feedback=("zero", "one"), tolerance=0.001),
    Exercise("sigmoid.inverse", NUMBER, "25", check_inverse, inverse_solution,
             feedback=("sign", "gave_p"), tolerance=0.02,
             variant=lambda rng: dict(p=float(rng.choice([0.7, 0.75, 0.8, 0.9, 0.95, 0.99])))),
    Exercise("sigmoid.scale", PREDICT, "24–25", predicted(scale_truth),
             choices=("moves", "same_narrower", "same_wider"), truth=scale_truth,
             demo=scale_demo),
    Exercise("sigmoid.sharp", REACH, "23–25", check_sharp, sharp_solution,
             feedback=("reversed", "soft", "line")),
)
