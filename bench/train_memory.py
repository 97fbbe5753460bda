"""Memory over many trainings in one process: the engine must not grow with their number.

    python bench/train_memory.py [TRAININGS] [--threads]

Runs TRAININGS (default 300) trainings with varied optimizers, learning rates, epochs, batch
sizes, seeds and data sizes, bypassing the result cache so that every one really trains.
With --threads every training runs on a fresh thread followed by keras.backend.clear_session(),
as on the app server, where each script run has a thread of its own and Streamlit clears Keras'
session after it. Resident memory is read after a warm-up (TensorFlow loaded, one model per optimizer built)
and at the end. Last line: {"trainings": 300, "rss_growth_mb": ..., ...}
"""
import json
import os
import sys
import threading
import time
from pathlib import Path

import psutil

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lib.engine import training  # noqa: E402
from lib.core.datasets import generated_points, textbook_points  # noqa: E402

OPTIMIZERS = ("rmsprop", "adam", "sgd")
RATES = (0.0003, 0.001, 0.01, 0.1)
EPOCHS = (50, 200, 500, 1000)
BATCHES = (0, 0, 8, 32)


def settings(i: int):
    points = textbook_points() if i % 3 == 0 else generated_points(5 + i % 40, 8, 4, i)
    return training.TrainSpec(points.x, points.t, optimizer=OPTIMIZERS[i % 3],
                              learning_rate=RATES[i % 4], epochs=EPOCHS[(i // 3) % 4],
                              batch_size=BATCHES[(i // 4) % 4], seed=i)


def rss_mb() -> float:
    return psutil.Process().memory_info().rss / 1e6


def train(i: int, threads: bool) -> None:
    if not threads:
        training.train(settings(i), use_cache=False)
        return
    worker = threading.Thread(target=training.train, args=(settings(i),),
                              kwargs={"use_cache": False})
    worker.start()
    worker.join()
    import keras

    keras.backend.clear_session()


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    threads = "--threads" in sys.argv
    count = int(args[0]) if args else 300
    for i in range(12):  # warm-up: every optimizer, full and mini-batch
        train(i, threads)
    start = rss_mb()
    started = time.perf_counter()
    samples = []
    for i in range(count):
        train(12 + i, threads)
        if i % 50 == 49:
            samples.append(round(rss_mb() - start, 1))
    end = rss_mb()
    print(f"RSS after warm-up {start:.0f} MB, after {count} trainings {end:.0f} MB; "
          f"growth every 50: {samples}; {time.perf_counter() - started:.0f} s")
    print(json.dumps({"trainings": count, "threads": threads, "rss_growth_mb": round(end - start, 1),
                      "rss_start_mb": round(start), "rss_end_mb": round(end),
                      "models_built": training.POOL.created}))


if __name__ == "__main__":
    main()
