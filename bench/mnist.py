"""Benchmark of the MNIST page's default model: accuracy, seconds per epoch, process memory.

    python bench/mnist.py

Trains the slide's linear classifier with the author's options (Adam, batch 128, 10 epochs)
on the data the app would use here: the full MNIST when keras can download it, else the
5,000 offline digits. The epoch time is always measured over 60,000 training images — the
full set, or where that is unreachable 60,000 synthetic 28×28 uint8 images of the same shape —
as the median of a few epochs after a warm-up. The last line is one JSON object:
{"source", "train_images", "test_accuracy", "epoch_s", "rss_mb"}.
Targets: accuracy ≥ 92 % on the full MNIST (≥ 85 % offline), epoch ≤ 1.0 s, RSS ≤ 1.3 GB.
"""
from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import psutil  # noqa: E402

from lib.core import mnist  # noqa: E402
from lib.engine import mnist as mnist_engine  # noqa: E402

TIMED_EPOCHS = 3


def epoch_seconds(data: mnist.Digits) -> float:
    """Median wall time of one epoch over all of data's training images (after a warm-up)."""
    times = []
    last = [time.perf_counter()]

    def progress(done, loss, accuracy):
        if done == int(done):  # an epoch ended
            now = time.perf_counter()
            times.append(now - last[0])
            last[0] = now

    settings = mnist.Settings(epochs=TIMED_EPOCHS + 1, seed=2)
    mnist_engine._train_now(data, settings, progress)
    return statistics.median(times[1:])  # the first epoch also builds the graph


def main() -> None:
    started = time.perf_counter()
    data = mnist.load()
    run, _ = mnist_engine.train(data, mnist.Settings())
    print(f"data: {data.source} ({data.n_train} training, {data.n_test} test images)"
          f"{' - ' + data.problem if data.problem else ''}", file=sys.stderr)
    print(f"default model: test accuracy {run.test_accuracy:.4f} in {run.seconds:.1f} s",
          file=sys.stderr)
    timed = data if data.n_train >= 60_000 else mnist.synthetic()
    epoch = epoch_seconds(timed)
    print(f"epoch over {timed.n_train} {timed.source} images: {epoch:.3f} s; "
          f"total {time.perf_counter() - started:.1f} s", file=sys.stderr)
    rss = psutil.Process().memory_info().rss / 2**20
    print(json.dumps({"source": data.source, "train_images": data.n_train,
                      "test_accuracy": round(run.test_accuracy, 4), "epoch_s": round(epoch, 3),
                      "rss_mb": round(rss, 1)}))


if __name__ == "__main__":
    main()
