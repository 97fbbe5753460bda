"""The slide's model.fit loop against the app's engine, on the textbook data, in one process.

    python bench/train_speed.py [EPOCHS]

Both train the slide's model (Dense(1) with a sigmoid, binary cross-entropy, RMSprop, the
whole set per step) for the same number of epochs from the same initial weights. The engine is
timed warm (after one run), as a lecturer meets it after the first training; medians of 5.
Last line: {"epochs": N, "slide_fit_s": ..., "app_s": ..., "ratio": ...}
"""
import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lib.engine import training  # noqa: E402
from lib.core.datasets import textbook_points  # noqa: E402


def slide_fit_seconds(points, epochs: int) -> float:
    import keras

    kernel, bias = training.initial_weights(2, 1, 1)
    model = keras.Sequential([keras.Input(shape=(2,)),
                              keras.layers.Dense(1, activation="sigmoid",
                                                 name="logistic_regression")])
    model.set_weights([kernel, bias])
    model.compile(loss="binary_crossentropy")  # RMSprop, Keras' default, as on the slide
    x, t = points.x.astype("float32"), points.t.astype("float32").reshape(-1, 1)
    started = time.perf_counter()
    model.fit(x, t, batch_size=len(x), epochs=epochs, verbose=0)
    return time.perf_counter() - started


def app_seconds(points, epochs: int, repeats: int = 5) -> float:
    spec = training.TrainSpec(points.x, points.t, optimizer="rmsprop", learning_rate=0.001,
                              epochs=epochs, seed=1)
    training.train(spec, use_cache=False)  # warm-up: TensorFlow import, model build, tracing
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        training.train(spec, use_cache=False)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main():
    epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    points = textbook_points()
    app = app_seconds(points, epochs)
    default_run = app_seconds(points, 5000, repeats=3)
    slide = slide_fit_seconds(points, epochs)
    print(f"slide model.fit, {epochs} epochs: {slide:.2f} s; engine: {app * 1000:.1f} ms; "
          f"engine, the default 5000 epochs: {default_run * 1000:.0f} ms")
    print(json.dumps({"epochs": epochs, "slide_fit_s": round(slide, 3), "app_s": round(app, 4),
                      "ratio": round(slide / app, 1),
                      "app_default_5000_s": round(default_run, 3)}))


if __name__ == "__main__":
    main()
