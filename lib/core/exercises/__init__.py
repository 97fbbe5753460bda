"""Checked exercises, one module per lesson: definitions and their checks in plain numpy.

A new exercise is a definition in its lesson's EXERCISES plus its check (and its texts in the
catalogs' [exercises] section). Nothing here imports Streamlit or TensorFlow.
"""
from __future__ import annotations

from lib.core.exercises import (cross_entropy, home, logistic, mnist, multiclass, regression,
                                sigmoid)
from lib.core.exercises.base import Exercise

# The lessons in the order of the lecture; the keys are the pages' names.
LESSONS = {
    "home": home.EXERCISES,
    "regression": regression.EXERCISES,
    "logistic": logistic.EXERCISES,
    "sigmoid": sigmoid.EXERCISES,
    "cross_entropy": cross_entropy.EXERCISES,
    "multiclass": multiclass.EXERCISES,
    "mnist": mnist.EXERCISES,
}
ALL: dict[str, Exercise] = {e.id: e for lesson in LESSONS.values() for e in lesson}
assert len(ALL) == sum(len(lesson) for lesson in LESSONS.values()), "exercise ids must differ"


def for_lesson(lesson: str) -> tuple[Exercise, ...]:
    return LESSONS.get(lesson, ())
