"""Tiny live examples of the three kinds of learning (slides 13–14), in plain numpy.

- supervised: the same points read two ways — a class to predict (classification) or a number
  to predict (regression);
- unsupervised: k-means clustering of unlabelled points, step by step;
- reinforcement: an agent learning by Q-learning in a small grid.

No TensorFlow here: the home page must open fast.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# --- supervised ------------------------------------------------------------------------------


def supervised_points(n: int = 40, seed: int = 3):
    """Advertising spend x, sales y (a number), and whether sales beat a target (a class)."""
    rng = np.random.RandomState(seed)
    spend = rng.uniform(1, 10, n)
    sales = 2.0 * spend + 5 + rng.normal(0, 2.0, n)
    target = 15.0
    return spend, sales, (sales > target).astype(int), target


def least_squares_line(x, y):
    """Slope and intercept minimising the squared error (np.polyfit of degree 1)."""
    slope, intercept = np.polyfit(np.asarray(x, float), np.asarray(y, float), 1)
    return float(slope), float(intercept)


# --- unsupervised: k-means ------------------------------------------------------------------


def cluster_points(n_per_group: int = 40, seed: int = 0):
    """Three unlabelled groups of points; the labels are kept only to tell the story."""
    rng = np.random.RandomState(seed)
    centres = np.array([[3.0, 3.0], [8.0, 4.0], [5.0, 8.5]])
    return np.vstack([rng.normal(c, 1.1, (n_per_group, 2)) for c in centres])


def kmeans_history(points, k: int, steps: int, seed: int = 0):
    """Centres and assignments after each k-means step (step 0: random points as centres).

    Returns a list of (centres (k, 2), labels (n,)) with steps + 1 entries.
    """
    points = np.asarray(points, float)
    rng = np.random.RandomState(seed)
    centres = points[rng.choice(len(points), k, replace=False)].copy()
    history = []
    for _ in range(steps + 1):
        distances = ((points[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
        labels = distances.argmin(axis=1)
        history.append((centres.copy(), labels))
        for j in range(k):
            if np.any(labels == j):  # an empty cluster keeps its centre
                centres[j] = points[labels == j].mean(axis=0)
    return history


# --- reinforcement: Q-learning in a grid -------------------------------------------------------

ACTIONS = np.array([[-1, 0], [1, 0], [0, -1], [0, 1]])  # up, down, left, right (row, column)
ARROWS = ("↑", "↓", "←", "→")


@dataclass(frozen=True)
class Grid:
    """A small world: start, goal (+10), pits (−10), walls; every step costs −1."""

    rows: int = 4
    cols: int = 5
    start: tuple = (3, 0)
    goal: tuple = (0, 4)
    pits: tuple = ((1, 3), (3, 3))
    walls: tuple = ((1, 1), (2, 1))

    def step(self, state, action):
        r, c = state
        nr, nc = r + ACTIONS[action][0], c + ACTIONS[action][1]
        if not (0 <= nr < self.rows and 0 <= nc < self.cols) or (nr, nc) in self.walls:
            nr, nc = r, c  # bumping into the edge or a wall: stay
        if (nr, nc) == self.goal:
            return (nr, nc), 10.0, True
        if (nr, nc) in self.pits:
            return (nr, nc), -10.0, True
        return (nr, nc), -1.0, False


def q_learning(grid: Grid, episodes: int, seed: int = 0, alpha: float = 0.5,
               gamma: float = 0.95, epsilon: float = 0.2, max_steps: int = 100):
    """Q-values after `episodes` episodes of ε-greedy Q-learning, and each episode's return."""
    rng = np.random.RandomState(seed)
    q = np.zeros((grid.rows, grid.cols, len(ACTIONS)))
    returns = []
    for _ in range(episodes):
        state, total = grid.start, 0.0
        for _ in range(max_steps):
            if rng.rand() < epsilon:
                action = rng.randint(len(ACTIONS))
            else:  # ties broken at random so an untrained agent wanders
                best = np.flatnonzero(q[state] == q[state].max())
                action = int(rng.choice(best))
            nxt, reward, done = grid.step(state, action)
            target = reward if done else reward + gamma * q[nxt].max()
            q[state][action] += alpha * (target - q[state][action])
            state, total = nxt, total + reward
            if done:
                break
        returns.append(total)
    return q, np.array(returns)


def greedy_path(grid: Grid, q, max_steps: int = 30):
    """The cells the agent visits when it always takes its best-valued action."""
    state, path = grid.start, [grid.start]
    for _ in range(max_steps):
        state, _, done = grid.step(state, int(np.argmax(q[state])))
        path.append(state)
        if done:
            break
    return path
