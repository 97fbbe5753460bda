"""Exercises of the MNIST page (slides 31–33): 784 numbers, 7,850 parameters, templates and
mistakes of the trained model."""
from __future__ import annotations

import numpy as np

from lib.core.exercises.base import (NUMBER, PICTURE, REACH, Attempt, Exercise, Verdict,
                                     number_verdict, right, wrong)

SIDE, CLASSES = 28, 10
PIXELS = SIDE * SIDE
LETTERS = tuple("ABCDEFGHIJ")  # the templates' names in a student's shuffled order
WIDTHS = (0, 16, 32, 64, 128, 256)  # 0: the slide's Dense(10) alone


def parameter_count(hidden: int) -> int:
    """Dense(10) on 784 inputs, after a hidden Dense(hidden) when hidden > 0: weights + biases."""
    if hidden == 0:
        return PIXELS * CLASSES + CLASSES
    return PIXELS * hidden + hidden + hidden * CLASSES + CLASSES


def model_variant(hidden: int) -> dict:
    """The model as the Keras code reads (the same in every language)."""
    last = "Dense(10, activation='softmax')"
    model = last if hidden == 0 else f"Dense({hidden}, activation='relu') → {last}"
    return dict(hidden=hidden, model=model)


def check_pixels(attempt: Attempt) -> Verdict:
    return number_verdict(attempt.answer, PIXELS, 0.0, {"side": SIDE, "double": 2 * SIDE})


def check_parameters(attempt: Attempt) -> Verdict:
    h = attempt.variant["hidden"]
    mistakes = {"no_bias": PIXELS * CLASSES if h == 0 else PIXELS * h + h * CLASSES}
    if h:
        mistakes["no_hidden"] = parameter_count(0)
    return number_verdict(attempt.answer, parameter_count(h), 0.0, mistakes)


def trained(attempt: Attempt):
    """(run, data) when the page has a finished model, else None."""
    run, data = attempt.context.get("run"), attempt.context.get("data")
    return None if run is None or data is None else (run, data)


def check_zero(attempt: Attempt) -> Verdict:
    if trained(attempt) is None:
        return wrong("no_model")
    if len(attempt.context["run"].weights) != 1:
        return wrong("deep")
    order = attempt.variant["order"]
    if attempt.answer not in LETTERS:
        return wrong("missing")
    letter = str(attempt.answer)
    chosen = LETTERS.index(letter)
    if order[chosen] == 0:
        return right(letter=letter)
    return wrong("other", letter=letter, digit=order[chosen])


def zero_variant(rng) -> dict:
    return dict(order=[int(v) for v in rng.permutation(CLASSES)])


def confusion(labels, predicted) -> np.ndarray:
    counts = np.zeros((CLASSES, CLASSES), dtype=int)
    np.add.at(counts, (np.asarray(labels, int), np.asarray(predicted, int)), 1)
    return counts


def worst_mistake(run, data) -> tuple[int, int, int]:
    """(true, predicted, count) of the most frequent wrong answer on the test set."""
    counts = confusion(data.test_y, run.test_pred)
    np.fill_diagonal(counts, -1)
    true, pred = np.unravel_index(int(np.argmax(counts)), counts.shape)
    return int(true), int(pred), int(counts[true, pred])


def check_confused(attempt: Attempt) -> Verdict:
    if trained(attempt) is None:
        return wrong("no_model")
    run, data = attempt.context["run"], attempt.context["data"]
    true, pred = int(attempt.state["true"]), int(attempt.state["pred"])
    worst = worst_mistake(run, data)
    count = int(confusion(data.test_y, run.test_pred)[true, pred])
    values = dict(true=true, pred=pred, count=count, most=worst[2])
    if true == pred:
        return wrong("diagonal", **values)
    if count >= worst[2]:
        return right(**values)
    return wrong("not_most", **values)


def confused_solution(attempt: Attempt) -> dict:
    found = trained(attempt)
    if found is None:
        return dict(true="?", pred="?", count=0)
    true, pred, count = worst_mistake(*found)
    return dict(true=true, pred=pred, count=count)


EXERCISES = (
    Exercise("mnist.pixels", NUMBER, "31", check_pixels, lambda attempt: dict(count=PIXELS),
             feedback=("side", "double")),
    Exercise("mnist.parameters", NUMBER, "31–33", check_parameters,
             lambda attempt: dict(hidden=attempt.variant["hidden"],
                                  count=parameter_count(attempt.variant["hidden"])),
             feedback=("no_bias", "no_hidden"),
             variant=lambda rng: model_variant(int(rng.choice(WIDTHS)))),
    Exercise("mnist.zero", PICTURE, "31–33", check_zero,
             lambda attempt: dict(letter=LETTERS[attempt.variant["order"].index(0)]),
             feedback=("no_model", "deep", "other"), choices=LETTERS,
             variant=zero_variant),
    Exercise("mnist.confused", REACH, "33", check_confused, confused_solution,
             feedback=("no_model", "diagonal", "not_most")),
)
