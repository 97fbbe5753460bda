"""Exercises of the logistic-regression page (slides 22–29), checked against the exact maths."""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from lib.core import datasets, maths
from lib.core.exercises.base import (NUMBER, PREDICT, REACH, Attempt, Exercise, Verdict,
                                     number_verdict, predicted, right, wrong)

GOAL_CORRECT = 29  # of the 35 textbook points: what the exact minimum of E itself gets
GOAL_E = 12.0  # the exact minimum is 10.53


@lru_cache(maxsize=1)
def _textbook():
    return datasets.textbook_points()


def is_textbook(points) -> bool:
    book = _textbook()
    return (points is not None and len(points) == len(book)
            and np.array_equal(points.x, book.x) and np.array_equal(points.t, book.t))


def weights(state) -> np.ndarray:
    return np.array([float(state["w0"]), float(state["w1"]), float(state["w2"])])


def f_of(w, points) -> np.ndarray:
    return maths.linear(*w, points.x[:, 0], points.x[:, 1])


def correct_count(w, points) -> int:
    return int(np.sum((f_of(w, points) > 0) == (points.t > 0.5)))


def energy(w, points) -> float:
    return maths.cross_entropy(f_of(w, points), points.t)


def best_scale(w, points) -> tuple[float, float]:
    """The factor s (0.05..40) that makes E(s·w) smallest, and that E: the same line, made
    softer or sharper."""
    scales = np.geomspace(0.05, 40.0, 400)
    values = [energy(s * w, points) for s in scales]
    best = int(np.argmin(values))
    return float(scales[best]), float(values[best])


def on_textbook(judge):
    """A check of the page's weights that holds on the textbook's 35 points only: judge(w,
    points) gives the verdict there; on other points the answer is "use the textbook data"."""
    def check(attempt: Attempt) -> Verdict:
        points = attempt.context.get("points")
        if not is_textbook(points):
            return wrong("not_textbook")
        return judge(weights(attempt.state), points)
    return check


@on_textbook
def check_classify(w, points) -> Verdict:
    n = correct_count(w, points)
    values = dict(n=n, total=len(points), goal=GOAL_CORRECT)
    if n >= GOAL_CORRECT:
        return right(**values)
    if n < len(points) - n:
        return wrong("flipped", **values)
    return wrong("few", **values)


@on_textbook
def check_energy(w, points) -> Verdict:
    e = energy(w, points)
    values = dict(e=e, goal=GOAL_E)
    if e < GOAL_E:
        return right(**values)
    scale, scaled = best_scale(w, points)
    if scaled < GOAL_E:  # the line is in a good place; only its steepness is off
        return wrong("sharper" if scale > 1 else "softer", scale=scale, **values)
    return wrong("line", **values)


def optimum_values(attempt: Attempt) -> dict:
    points = attempt.context.get("points") or _textbook()
    w, _ = maths.logistic_optimum(points.x, points.t)
    return dict(w0=w[0], w1=w[1], w2=w[2], e=energy(w, points), n=correct_count(w, points))


@lru_cache(maxsize=8)
def _descent(x_bytes: bytes, t_bytes: bytes, learning_rate: float, steps: int):
    """E along plain full-batch gradient descent on the mean loss from w = 0 (Keras' SGD)."""
    x = np.frombuffer(x_bytes).reshape(-1, 2)
    t = np.frombuffer(t_bytes, dtype=np.int64)
    w, values = np.zeros(3), []
    for _ in range(steps):
        w = w - learning_rate * maths.cross_entropy_gradient(w, x, t)
        values.append(maths.cross_entropy(maths.linear(*w, x[:, 0], x[:, 1]), t))
    return np.array(values)


def sgd_truth(attempt: Attempt) -> tuple[str, dict]:
    """SGD with learning rate 100: E leaps far above its start and never settles."""
    points = attempt.context.get("points") or _textbook()
    x = np.ascontiguousarray(points.x, dtype=float)
    t = np.ascontiguousarray(points.t, dtype=np.int64)
    values = _descent(x.tobytes(), t.tobytes(), 100.0, 5000)
    start = maths.cross_entropy(np.zeros(len(t)), t)
    last = values[-1000:]
    settled = last.max() - last.min() < 1e-3 * max(last.min(), 1.0)
    choice = "settles" if settled and values[-1] < start else "jumps"
    return choice, dict(start=start, low=float(last.min()), high=float(last.max()),
                        end=float(values[-1]))


def check_probability(attempt: Attempt) -> Verdict:
    v = attempt.variant
    f = v["w0"] + v["w1"] * v["x"] + v["w2"] * v["y"]
    p = float(maths.sigmoid(np.array([f]))[0])
    return number_verdict(attempt.answer, p, 0.005, {"gave_f": f, "complement": 1 - p}, f=f)


def probability_solution(attempt: Attempt) -> dict:
    v = attempt.variant
    f = v["w0"] + v["w1"] * v["x"] + v["w2"] * v["y"]
    return dict(f=f, p=float(maths.sigmoid(np.array([f]))[0]))


def probability_variant(rng) -> dict:
    """Parameters and a point whose f is at least 0.5 from 0: P and 1 − P must differ."""
    while True:
        w1, w2 = (float(rng.choice([0.1, 0.2, 0.3])) for _ in range(2))
        x, y = (int(rng.randint(5, 26)) for _ in range(2))
        if abs(-6.0 + w1 * x + w2 * y) >= 0.5:
            return dict(w0=-6.0, w1=w1, w2=w2, x=x, y=y)


EXERCISES = (
    Exercise("logistic.classify", REACH, "22", check_classify, optimum_values,
             feedback=("not_textbook", "flipped", "few")),
    Exercise("logistic.below12", REACH, "26", check_energy, optimum_values,
             feedback=("not_textbook", "sharper", "softer", "line")),
    Exercise("logistic.sgd100", PREDICT, "27–29", predicted(sgd_truth),
             choices=("faster", "settles", "jumps"), truth=sgd_truth,
             demo={"logistic.opt": "sgd", "logistic.lr": 100.0, "logistic.batch": 0}),
    Exercise("logistic.probability", NUMBER, "23–25", check_probability, probability_solution,
             feedback=("gave_f", "complement"), tolerance=0.005, variant=probability_variant),
)
