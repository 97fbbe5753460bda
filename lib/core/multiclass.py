"""The linear multiclass classifier (slide 30) in numpy: softmax, regions, boundaries.

K classes, one linear function per class: f_k(p) = b_k + Σ_i W[i, k]·p_i, i.e. the logits of
Keras' Dense(K). The softmax turns the K values into probabilities; the predicted class is the
one with the largest f. Two classes i and j meet where f_i = f_j — a straight line in the plane,
a plane in space — but only where no third class beats both: each class's region is convex,
and the boundaries are pieces (segments, polygons) of those lines and planes.

Weights follow Keras' layout: kernel W (d, K), bias b (K,).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lib.core import maths
from lib.core.datasets import train_test_split
from lib.core.multiclass_data import ClassPoints
from lib.core.requests import TrainSpec

EPS = 1e-9
CURVE_CHUNK = 2_000_000  # numbers per block when computing the curves over many epochs


# ---------------------------------------------------------------------------------------------
# Softmax, cross-entropy, accuracy.


def logits(kernel, bias, x) -> np.ndarray:
    """f_k for every point: (n, K) from x (n, d), kernel (d, K), bias (K,)."""
    return np.asarray(x, dtype=float) @ np.asarray(kernel, dtype=float) \
        + np.asarray(bias, dtype=float)


def log_softmax(f, axis: int = -1) -> np.ndarray:
    """log P_k = f_k − log Σ_j e^(f_j), computed without overflow."""
    f = np.asarray(f, dtype=float)
    top = f.max(axis=axis, keepdims=True)
    return f - top - np.log(np.exp(f - top).sum(axis=axis, keepdims=True))


def softmax(f, axis: int = -1) -> np.ndarray:
    """P_k = e^(f_k) / Σ_j e^(f_j): K numbers between 0 and 1 that add up to 1."""
    return np.exp(log_softmax(f, axis))


def cross_entropy(f, c, reduction: str = "sum") -> float:
    """The categorical cross-entropy E = −Σ_n log P_{c_n}(x_n) (sum) or its mean (Keras' loss)."""
    f = np.asarray(f, dtype=float)
    if f.size == 0:
        return 0.0
    terms = -log_softmax(f)[np.arange(len(f)), np.asarray(c)]
    return float(terms.sum() if reduction == "sum" else terms.mean())


def accuracy(f, c) -> float:
    """Share of points whose largest f_k is the function of their own class."""
    f = np.asarray(f, dtype=float)
    return float(np.mean(f.argmax(axis=1) == np.asarray(c))) if f.size else float("nan")


def curves(kernels, biases, x, c):
    """Mean cross-entropy and accuracy for every epoch's weights (kernels (E, d, K), biases (E, K)).

    Blocks of epochs keep the (epochs, n, K) logits within CURVE_CHUNK numbers.
    """
    kernels, biases = np.asarray(kernels, dtype=float), np.asarray(biases, dtype=float)
    epochs = len(kernels)
    if len(x) == 0:
        nan = np.full(epochs, np.nan)
        return nan, nan
    x, c = np.asarray(x, dtype=float), np.asarray(c)
    per_block = max(1, CURVE_CHUNK // (len(x) * kernels.shape[2]))
    loss, acc = np.empty(epochs), np.empty(epochs)
    rows = np.arange(len(x))
    for start in range(0, epochs, per_block):
        stop = min(epochs, start + per_block)
        f = np.einsum("nd,edk->enk", x, kernels[start:stop]) + biases[start:stop, None, :]
        loss[start:stop] = -log_softmax(f)[:, rows, c].mean(axis=1)
        acc[start:stop] = (f.argmax(axis=2) == c).mean(axis=1)
    return loss, acc


# ---------------------------------------------------------------------------------------------
# Regions and boundaries.


def region_grid(kernel, bias, xs, ys):
    """The predicted class (len(ys), len(xs)) and every class's probability (…, K) on a grid."""
    gx, gy = np.meshgrid(np.asarray(xs, dtype=float), np.asarray(ys, dtype=float))
    probabilities = softmax(logits(kernel, bias, np.column_stack([gx.ravel(), gy.ravel()])))
    shape = gx.shape
    return (probabilities.argmax(axis=1).reshape(shape),
            probabilities.reshape(shape + (probabilities.shape[1],)))


def difference(kernel, bias, i: int, j: int) -> np.ndarray:
    """f_i − f_j as (constant, coefficients…): zero on the line (plane) where i and j tie."""
    kernel, bias = np.asarray(kernel, dtype=float), np.asarray(bias, dtype=float)
    return np.r_[bias[i] - bias[j], kernel[:, i] - kernel[:, j]]


def pairs(k: int):
    return [(i, j) for i in range(k) for j in range(i + 1, k)]


def tie_lines(kernel, bias, x_range, y_range):
    """The whole lines f_i = f_j inside the box, for every pair: [(i, j, ((xa, ya), (xb, yb)))]."""
    lines = []
    for i, j in pairs(np.shape(bias)[0]):
        segment = maths.boundary_segment(*difference(kernel, bias, i, j), x_range, y_range)
        if segment is not None:
            lines.append((i, j, segment))
    return lines


def boundary_segments(kernel, bias, x_range, y_range):
    """The region boundaries in the plane: where f_i = f_j and no other f_k is larger.

    Each is the part of the tie line where f_i − f_k ≥ 0 for every other k, which is linear
    along the line, so one interval per k: [(i, j, ((xa, ya), (xb, yb)))].
    """
    segments = []
    k = np.shape(bias)[0]
    for i, j, (a, b) in tie_lines(kernel, bias, x_range, y_range):
        a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
        lo, hi = 0.0, 1.0
        for other in range(k):
            if other in (i, j):
                continue
            g = difference(kernel, bias, i, other)
            at_a, at_b = g[0] + g[1:] @ a, g[0] + g[1:] @ b
            slope = at_b - at_a  # g along the segment: at_a + s·slope, s in [0, 1]
            scale = EPS * (1 + abs(at_a) + abs(at_b))
            if abs(slope) <= scale:
                if at_a < -scale:
                    lo, hi = 1.0, 0.0
            elif slope > 0:
                lo = max(lo, -at_a / slope)
            else:
                hi = min(hi, -at_a / slope)
        if hi - lo > 1e-9:
            segments.append((i, j, (tuple(a + lo * (b - a)), tuple(a + hi * (b - a)))))
    return segments


def clip_polygon(vertices: np.ndarray, g: np.ndarray) -> np.ndarray:
    """The part of a convex polygon (m, d) where g[0] + g[1:]·p ≥ 0 (Sutherland–Hodgman)."""
    if len(vertices) == 0:
        return vertices
    values = g[0] + vertices @ g[1:]
    kept = []
    for index in range(len(vertices)):
        p, q = vertices[index], vertices[(index + 1) % len(vertices)]
        vp, vq = values[index], values[(index + 1) % len(vertices)]
        if vp >= 0:
            kept.append(p)
        if (vp >= 0) != (vq >= 0):
            kept.append(p + vp / (vp - vq) * (q - p))
    return np.array(kept).reshape(-1, vertices.shape[1])


def plane_in_box(g: np.ndarray, box) -> np.ndarray:
    """The polygon where the plane g[0] + g[1:]·p = 0 cuts the box (empty when it misses it)."""
    normal = np.asarray(g[1:], dtype=float)
    size = np.linalg.norm(normal)
    if size < 1e-12:
        return np.zeros((0, 3))
    normal = normal / size
    lo, hi = np.array([b[0] for b in box], float), np.array([b[1] for b in box], float)
    middle = (lo + hi) / 2
    # The point of the plane nearest the box's middle, and two directions within the plane.
    origin = middle - (g[0] / size + normal @ middle) * normal
    u = np.cross(normal, np.eye(3)[np.argmin(np.abs(normal))])
    u /= np.linalg.norm(u)
    v = np.cross(normal, u)
    reach = 2 * np.linalg.norm(hi - lo) + 2 * np.linalg.norm(origin - middle)
    polygon = np.array([origin + reach * (su * u + sv * v)
                        for su, sv in ((1, 1), (-1, 1), (-1, -1), (1, -1))])
    for axis in range(3):
        polygon = clip_polygon(polygon, np.r_[-lo[axis], np.eye(3)[axis]])  # p ≥ lo
        polygon = clip_polygon(polygon, np.r_[hi[axis], -np.eye(3)[axis]])  # p ≤ hi
    return polygon


def boundary_faces(kernel, bias, box):
    """The region boundaries in space: the convex polygons where f_i = f_j ≥ every other f_k.

    box: ((x_lo, x_hi), (y_lo, y_hi), (z_lo, z_hi)). Returns [(i, j, vertices (m, 3))].
    """
    faces = []
    k = np.shape(bias)[0]
    for i, j in pairs(k):
        polygon = plane_in_box(difference(kernel, bias, i, j), box)
        for other in range(k):
            if other not in (i, j):
                polygon = clip_polygon(polygon, difference(kernel, bias, i, other))
        if len(polygon) >= 3 and _area(polygon) > 1e-9:
            faces.append((i, j, polygon))
    return faces


def _area(polygon: np.ndarray) -> float:
    total = np.zeros(3)
    for index in range(1, len(polygon) - 1):
        total += np.cross(polygon[index] - polygon[0], polygon[index + 1] - polygon[0])
    return float(np.linalg.norm(total) / 2)


def region_centres(predicted: np.ndarray, xs, ys, k: int):
    """The middle of each class's region on the grid (None where a class wins nowhere)."""
    gx, gy = np.meshgrid(xs, ys)
    centres = []
    for cls in range(k):
        mask = predicted == cls
        centres.append((float(gx[mask].mean()), float(gy[mask].mean())) if mask.any() else None)
    return centres


# ---------------------------------------------------------------------------------------------
# Training requests and curves (the engine trains them).


def split(points: ClassPoints, test_fraction: float, seed: int):
    train_index, test_index = train_test_split(len(points), test_fraction, seed)
    return points.take(train_index), points.take(test_index)


def make_spec(train: ClassPoints, optimizer: str, learning_rate: float, epochs: int,
              batch_size: int, seed: int) -> TrainSpec:
    return TrainSpec(train.x, train.onehot(), loss="categorical", optimizer=optimizer,
                     learning_rate=learning_rate, epochs=epochs, batch_size=batch_size, seed=seed)


def thin(n: int, most: int = 1000) -> np.ndarray:
    """At most `most` evenly spread indices of range(n), always including the last."""
    if n <= most:
        return np.arange(n)
    return np.unique(np.r_[np.linspace(0, n - 1, most).round().astype(int), n - 1])


def run_curves(result, train_part: ClassPoints, test_part: ClassPoints):
    """The epochs shown (at most about 1000) and the loss and accuracy there, on both parts."""
    shown = thin(len(result.kernels))
    kernels, biases = result.kernels[shown], result.biases[shown]
    found = {"train": curves(kernels, biases, train_part.x, train_part.c)}
    if len(test_part):
        found["test"] = curves(kernels, biases, test_part.x, test_part.c)
    return shown, found
