"""Waiting for the lecturer: a follower's poll that returns as soon as the class moves.

A following student's page polls on a timer. A poll that looked once and returned would find
the lecturer's change up to a whole interval late; a poll that waits here for most of its
interval returns at once when the class moves. The lecturer's session in this process pokes the
watch when it publishes; a change published by another replica is read from the store, once
per READ_S for each class, however many followers wait on it.
"""
from __future__ import annotations

import threading
import time
from typing import Callable, Hashable

READ_S = 0.1  # how stale a class's pulse may be when the change came from another process


class Watch:
    """read(code) -> the class's pulse: any value that changes when the lecturer publishes."""

    def __init__(self, read: Callable[[str], Hashable], every: float = READ_S,
                 clock: Callable[[], float] = time.monotonic):
        self._read, self._every, self._clock = read, every, clock
        self._changed = threading.Condition()
        self._pokes = 0
        self._reading = threading.Lock()
        self._pulses: dict[str, tuple[float, Hashable]] = {}  # code -> (read at, pulse)

    def poke(self, code: str) -> None:
        """The class's pulse has just changed in this process: wake its waiters now."""
        with self._reading:  # after a read in progress, which may hold the old pulse
            self._pulses.pop(code, None)
        with self._changed:
            self._pokes += 1
            self._changed.notify_all()

    def pulse(self, code: str) -> Hashable:
        """The class's pulse, read from the store at most once per `every` seconds."""
        with self._reading:
            read_at, pulse = self._pulses.get(code, (None, None))
            if read_at is None or self._clock() - read_at >= self._every:
                pulse = self._read(code)
                self._pulses[code] = (self._clock(), pulse)
                if len(self._pulses) > 1000:  # ended classes: forget the oldest
                    self._pulses.pop(next(iter(self._pulses)))
            return pulse

    def wait(self, code: str, known: Hashable, timeout: float,
             interrupted: Callable[[], bool] = lambda: False) -> bool:
        """Wait at most timeout seconds for the pulse to differ from known; return early when
        interrupted() (the session has something else to do). True when it changed."""
        deadline = self._clock() + timeout
        while True:
            with self._changed:
                pokes = self._pokes
            if self.pulse(code) != known:
                return True
            remaining = deadline - self._clock()
            if remaining <= 0 or interrupted():
                return False
            with self._changed:
                if self._pokes == pokes:  # no poke since the read above: sleep until one
                    self._changed.wait(min(self._every, remaining))
