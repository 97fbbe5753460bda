"""Who trains next: short trainings before long ones, and light users before heavy ones.

Two measures decide, besides the round-robin order of lib/engine/scheduler.py:
- Lanes. A training estimated to take more than HEAVY_S seconds is heavy (MNIST's deep
  networks, a linear model with 100,000 mini-batch steps); the others are light (the slides'
  runs, a fraction of a second). Light and heavy trainings wait in two lanes that share the
  workers' time, LIGHT_SHARE for light ones whenever both lanes wait. Without them, ten tabs
  replaying the heaviest MNIST run, each a fresh session (new in every round-robin), kept an
  ordinary student's 0.1 s training waiting for minutes; with them, it waits for at most the
  heavy training that runs now. With two workers or more, heavy trainings never hold them all.
- Recent use. Ranking waiting sessions by the training time they used recently, decayed with
  a half-life, serves a student who trains now and then before one who trains without pause.
The estimate is the training's work (optimizer steps, or MNIST's epochs × images × parameters)
times the seconds per unit of work its kind took lately on this server (Estimates).
"""
from __future__ import annotations

import time
from collections import OrderedDict

HALF_LIFE_S = 60.0  # used seconds count half as much a minute later
LEVEL_S = 5.0  # sessions within the same 5 s of recent use share one level (round-robin)
REMEMBERED = 4096  # sessions remembered (the least recently charged are forgotten)

HEAVY_S = 2.0  # a training estimated longer than this waits in the heavy lane
LIGHT_SHARE = 0.75  # the workers' time light trainings get while both lanes wait
# Seconds per unit of work on this machine's cores (one worker): a linear model's optimizer
# step (about 100 µs in compiled chunks), and MNIST's epochs × images × parameters (the
# heaviest offline run, 2.9e10, takes about 6 s). Learned anew from every finished training.
START_RATES = {"dense": 1e-4, "mnist": 2e-10}
LEARNING = 0.3  # weight of the newest training in the learned rate
MIN_LEARN_S = 0.2  # shorter trainings are mostly overhead: they teach nothing about the rate


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


class Estimates:
    """How long a training will take: its work times the seconds per unit its kind took lately."""

    def __init__(self, rates: dict | None = None):
        self._rates = dict(START_RATES if rates is None else rates)

    def seconds(self, kind, work: float | None) -> float:
        """0 for a training of unknown work or kind (it counts as light)."""
        if not work or kind not in self._rates:
            return 0.0
        return float(work) * self._rates[kind]

    def learn(self, kind, work: float | None, seconds: float) -> None:
        if not work or kind not in self._rates or seconds < MIN_LEARN_S:
            return
        rate = seconds / float(work)
        self._rates[kind] = (1 - LEARNING) * self._rates[kind] + LEARNING * rate


def share(heavy: bool) -> float:
    return 1 - LIGHT_SHARE if heavy else LIGHT_SHARE


def next_lane(used: dict, light_waits: bool, heavy_waits: bool) -> bool | None:
    """Which lane trains next (True: heavy), from each lane's time used, divided by its share;
    None when neither waits. A lane with nobody waiting is brought up to the other's time
    (in `used`), so it saves no credit for a burst later."""
    if not heavy_waits:
        used[True] = max(used[True], used[False])
    if not light_waits:
        used[False] = max(used[False], used[True])
    if not (light_waits or heavy_waits):
        return None
    if light_waits and heavy_waits:
        return used[True] < used[False]
    return heavy_waits


class Lanes:
    """The time each lane used, divided by its share (the lane that used less goes next)."""

    def __init__(self):
        self.used = {False: 0.0, True: 0.0}

    def charge(self, heavy: bool, seconds: float) -> None:
        self.used[heavy] += max(0.0, seconds) / share(heavy)

    def next(self, light_waits: bool, heavy_waits: bool) -> bool | None:
        return next_lane(self.used, light_waits, heavy_waits)

    def order(self, light: list, heavy: list, estimate) -> list:
        """The waiting trainings in the order they will train if nothing else comes: `light`
        and `heavy` each in their lane's order, estimate(job) in seconds."""
        used, light, heavy, ranked = dict(self.used), list(light), list(heavy), []
        while True:
            lane = next_lane(used, bool(light), bool(heavy))
            if lane is None:
                return ranked
            job = (heavy if lane else light).pop(0)
            used[lane] += estimate(job) / share(lane)
            ranked.append(job)
