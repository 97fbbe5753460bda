"""Exercises of the home page's kinds of learning (slides 13–16)."""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from lib.core import home as kinds
from lib.core.exercises.base import (NUMBER, PICTURE, PREDICT, REACH, Attempt, Exercise,
                                     Verdict, number_verdict, predicted, right, wrong)

CLUSTERS = 3  # the example's points come from three groups
LEARNED_EPISODES = 100
# Which kind of learning each scenario is (a per-student variant picks one).
SCENARIOS = {"amount": "regression", "target": "classification", "groups": "clustering",
             "spam": "classification", "price": "regression", "shoppers": "clustering"}
KIND_CHOICES = ("classification", "regression", "clustering")


@lru_cache(maxsize=16)
def _centres_moved(k: int, step: int) -> float:
    """How far the centres still move in the k-means step after `step`."""
    history = kinds.kmeans_history(kinds.cluster_points(), k, step + 1)
    return float(np.abs(history[step][0] - history[step + 1][0]).max())


def check_kmeans(attempt: Attempt) -> Verdict:
    k, step = int(attempt.state["k"]), int(attempt.state["kstep"])
    if k != CLUSTERS:
        return wrong("k", k=k)
    moved = _centres_moved(k, step)
    if moved > 1e-9:
        return wrong("moving", step=step, moved=moved)
    return right(step=step)


def kmeans_solution(attempt: Attempt) -> dict:
    first = next(s for s in range(9) if _centres_moved(CLUSTERS, s) <= 1e-9)
    return dict(k=CLUSTERS, step=first)


def untrained_truth(attempt: Attempt) -> tuple[str, dict]:
    """With 0 episodes every Q-value is 0: the agent takes the first action (up) for ever."""
    grid = kinds.Grid()
    q, _ = kinds.q_learning(grid, 0)
    path = kinds.greedy_path(grid, q)
    end = tuple(int(v) for v in path[-1])
    choice = "goal" if end == grid.goal else ("pit" if end in grid.pits else "stuck")
    return choice, dict(steps=len(path) - 1, row=end[0], col=end[1])


@lru_cache(maxsize=1)
def learned_steps() -> int:
    grid = kinds.Grid()
    q, _ = kinds.q_learning(grid, LEARNED_EPISODES)
    return len(kinds.greedy_path(grid, q)) - 1


def check_steps(attempt: Attempt) -> Verdict:
    steps = learned_steps()
    return number_verdict(attempt.answer, steps, 0.0, {"cells": steps + 1})


def check_kind(attempt: Attempt) -> Verdict:
    truth = SCENARIOS[attempt.variant["scenario"]]
    if attempt.answer == truth:
        return right(kind=truth)
    return wrong(str(attempt.answer), kind=truth)


EXERCISES = (
    Exercise("home.kmeans", REACH, "14", check_kmeans, kmeans_solution,
             feedback=("k", "moving")),
    Exercise("home.untrained", PREDICT, "14", predicted(untrained_truth),
             choices=("goal", "pit", "stuck"), truth=untrained_truth,
             demo={"home.episodes": 0}),
    Exercise("home.steps", NUMBER, "14", check_steps,
             lambda attempt: dict(steps=learned_steps(), episodes=LEARNED_EPISODES),
             feedback=("cells",)),
    Exercise("home.kind", PICTURE, "13–16", check_kind,
             lambda attempt: dict(kind=SCENARIOS[attempt.variant["scenario"]]),
             feedback=KIND_CHOICES, choices=KIND_CHOICES,
             variant=lambda rng: dict(scenario=str(rng.choice(sorted(SCENARIOS))))),
)
