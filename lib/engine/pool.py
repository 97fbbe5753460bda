"""The model pool: compiled Keras models reused run after run, in the process that trains.

Building and compiling a Keras model per training leaks about 3 MB each time; re-using a
compiled model (weights, optimizer slots and learning rate reset) leaks nothing. No TensorFlow
here: the pool holds whatever a trainer builds.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager


class ModelPool:
    """Idle models by kind, reused run after run. At most a few train at once, so each
    kind holds at most that many: with the few kinds the pages offer, memory is bounded."""

    def __init__(self):
        self._lock = threading.Lock()
        self._idle: dict = {}
        self.created = 0

    @contextmanager
    def model(self, kind: tuple, build):
        with self._lock:
            idle = self._idle.setdefault(kind, [])
            if idle:
                model = idle.pop()
            else:
                model = build()  # under the lock: Keras' per-thread name counters stay tidy
                self.created += 1
        try:
            yield model
        finally:
            with self._lock:
                self._idle[kind].append(model)


POOL = ModelPool()
