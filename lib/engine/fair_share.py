"""How much training each session used lately: the queue serves light users first.

Plain round-robin gives a session that keeps a training waiting at all times (a flood, or a
student replaying heavy MNIST runs) a turn in every round, so with ten of them an ordinary
student waits ten trainings for each of theirs. Ranking waiting sessions by the training time
they used recently, decayed with a half-life, serves a student who trains now and then before
those who train without pause; among sessions of the same level the round-robin order holds.
"""
from __future__ import annotations

import time
from collections import OrderedDict

HALF_LIFE_S = 60.0  # used seconds count half as much a minute later
LEVEL_S = 5.0  # sessions within the same 5 s of recent use share one level (round-robin)
REMEMBERED = 4096  # sessions remembered (the least recently charged are forgotten)


class Usage:
    def __init__(self, clock=time.monotonic):
        self._clock = clock
        self._used: OrderedDict = OrderedDict()  # owner -> (decayed seconds, when)

    def _decayed(self, owner, now: float) -> float:
        seconds, when = self._used.get(owner, (0.0, now))
        return seconds * 0.5 ** ((now - when) / HALF_LIFE_S)

    def charge(self, owner, seconds: float) -> None:
        """owner trained for this many seconds, just now."""
        now = self._clock()
        self._used[owner] = (self._decayed(owner, now) + max(0.0, seconds), now)
        self._used.move_to_end(owner)
        if len(self._used) > REMEMBERED:
            self._used.popitem(last=False)

    def level(self, owner) -> int:
        """0 for a session that trained little lately; one more per LEVEL_S of recent use."""
        return int(self._decayed(owner, self._clock()) // LEVEL_S)
