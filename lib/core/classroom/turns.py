"""Turns: one holder at a time, first come first served.

When the lecturer changes the view, every following student's page reruns in full at about the
same moment. Python runs one thread at a time, and sixty runs sharing it in slices all end
late, near the end of the burst. Taken in turns, the first follower is done after one run,
the next after two, and the process's event loop gets its share to send each page on.

Unlike threading.Semaphore, a release hands the turn to the longest waiter: a newcomer cannot
barge in ahead of those already waiting, so no waiter is passed over.
"""
from __future__ import annotations

import threading
from collections import deque
from contextlib import contextmanager


class Turns:
    def __init__(self):
        self._lock = threading.Lock()
        self._busy = False
        self._waiting: deque[threading.Event] = deque()

    def acquire(self, timeout: float) -> bool:
        """Wait for the turn at most timeout seconds; True when it is this caller's."""
        with self._lock:
            if not self._busy:
                self._busy = True
                return True
            handed = threading.Event()
            self._waiting.append(handed)
        if handed.wait(timeout):
            return True
        with self._lock:
            if handed.is_set():  # handed over between the timeout and this lock
                return True
            self._waiting.remove(handed)
            return False

    def release(self) -> None:
        with self._lock:
            if self._waiting:
                self._waiting.popleft().set()  # the turn passes on, still busy
            else:
                self._busy = False

    @property
    def waiting(self) -> int:
        with self._lock:
            return len(self._waiting)

    @contextmanager
    def turn(self, timeout: float):
        """Hold the turn for the block; after timeout the block runs anyway, out of turn."""
        held = self.acquire(timeout)
        try:
            yield held
        finally:
            if held:
                self.release()
