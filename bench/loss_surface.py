"""How long the cross-entropy page's numbers take: the 100 × 100 surface for 1,000 points.

Run: python bench/loss_surface.py
The last line is one JSON object (milliseconds, median of several runs; the machine is shared,
so the CPU time and the best run are given beside the main figure).

- surface_ms: E and M on a 100 × 100 grid of (w1, w2) over the sliders' full ranges, 1,000
  points in the textbook's 0..30 square (the target is < 100 ms).
- surface_view_ms: the same on the page's default view.
- surface_large_coords_ms: data with coordinates up to 30,000, where the direct formula takes
  over (the slow, always safe path).
- surface_5000_points_ms: the largest upload (5,000 points) on the smaller grid the page uses.
- slider_move_ms: what moving a parameter slider costs in lib/ once the grid is cached: the
  point shares, the gradient, and the figures serialised to JSON as the page sends them.
"""
from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lib.figures import cross_entropy as charts_loss
from lib.figures import cross_entropy_surfaces as surfaces
from lib.core import cross_entropy as loss_surface  # noqa: E402

N_POINTS = 1000
GRID = 100
REPEATS = 7


def points(scale: float = 1.0):
    rng = np.random.RandomState(0)
    x0 = rng.multivariate_normal([10, 11], 20 * np.eye(2), N_POINTS // 2)
    x1 = rng.multivariate_normal([18, 20], 22 * np.eye(2), N_POINTS - N_POINTS // 2)
    x = np.vstack([x0, x1]) * scale
    t = np.r_[np.zeros(len(x0), dtype=int), np.ones(len(x1), dtype=int)]
    return x, t


def median_ms(function, repeats: int = REPEATS) -> float:
    """Median wall-clock time; the machine is shared, so the CPU time is printed beside it."""
    function()  # warm up (allocations, caches)
    wall, cpu = [], []
    for _ in range(repeats):
        started, started_cpu = time.perf_counter(), time.process_time()
        function()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    median_ms.cpu = round(statistics.median(cpu), 1)
    median_ms.best = round(min(wall), 1)  # the least disturbed run on a shared machine
    return round(statistics.median(wall), 1)


def slider_move(x, t, surface, w):
    labels = {k: k for k in ("circle", "cross", "x", "y", "line", "term", "rank", "rank_axis",
                             "cumulative", "xent_short", "mse_short", "path", "start",
                             "trained", "minimum", "current", "descent")}
    shares = loss_surface.shares(w, x, t)
    gradient = loss_surface.xent_gradient(w, x, t)
    step = loss_surface.descent_arrow(gradient[[1, 2]], (-0.5, 1.5), (-0.5, 1.5))
    figures = [
        charts_loss.shares_map_figure(x, t, w, shares, (0, 30), (0, 30), labels),
        charts_loss.shares_bar_figure(x, t, w, shares, labels),
        surfaces.contour_figure(surface, "xent", labels, current=w, arrow=step),
        surfaces.surface_figure(surface, "xent", labels, current=w,
                                   current_z=loss_surface.xent(w, x, t)),
        surfaces.surface_figure(surface, "mse", labels, current=w,
                                   current_z=loss_surface.mse(w, x, t)),
    ]
    return [figure.to_json() for figure in figures]


def main() -> None:
    x, t = points()
    full = median_ms(lambda: loss_surface.surface(x, t, "w1w2", -6.0, (-2, 2), (-2, 2), GRID))
    full_cpu, full_best = median_ms.cpu, median_ms.best
    print(f"surface {GRID}x{GRID}, {N_POINTS} points, full slider ranges: {full} ms "
          f"(CPU {full_cpu} ms, best {full_best} ms)")
    view = median_ms(lambda: loss_surface.surface(x, t, "w1w2", -6.0, (-0.5, 1.5), (-0.5, 1.5),
                                                  GRID))
    print(f"surface {GRID}x{GRID}, {N_POINTS} points, default view: {view} ms "
          f"(CPU {median_ms.cpu} ms)")
    big_x = points(1000.0)[0]
    large = median_ms(lambda: loss_surface.surface(big_x, t, "w1w2", -6.0, (-2, 2), (-2, 2), GRID),
                      repeats=3)
    print(f"surface {GRID}x{GRID}, {N_POINTS} points, coordinates x1000 (direct formula): "
          f"{large} ms")
    big_n = 5000  # the largest upload the app accepts, at the page's reduced grid
    size = loss_surface.grid_size(big_n)
    xs, ts = np.tile(x, (big_n // N_POINTS, 1)), np.tile(t, big_n // N_POINTS)
    upload = median_ms(lambda: loss_surface.surface(xs, ts, "w1w2", -6.0, (-2, 2), (-2, 2), size),
                       repeats=3)
    print(f"surface {size}x{size}, {big_n} points (largest upload): {upload} ms "
          f"(CPU {median_ms.cpu} ms)")
    surface = loss_surface.surface(x, t, "w1w2", -6.0, (-0.5, 1.5), (-0.5, 1.5), GRID)
    w = np.array([-6.0, 0.2, 0.2])
    move = median_ms(lambda: slider_move(x, t, surface, w), repeats=5)
    print(f"slider move (shares, gradient, 5 figures to JSON), {N_POINTS} points: {move} ms "
          f"(CPU {median_ms.cpu} ms)")
    print(json.dumps({"points": N_POINTS, "grid": GRID, "surface_ms": full,
                      "surface_cpu_ms": full_cpu, "surface_best_ms": full_best,
                      "surface_view_ms": view, "surface_large_coords_ms": large,
                      "surface_5000_points_ms": upload,
                      "slider_move_ms": move}))


if __name__ == "__main__":
    main()
