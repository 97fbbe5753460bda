"""Who trains next: short trainings before long ones, and no one kept back for ever.

- Lanes. A training estimated to take more than HEAVY_S seconds is heavy (MNIST's deep
  networks, a linear model with 100,000 mini-batch steps); the others are light (the slides'
  runs, a fraction of a second). Light and heavy trainings wait in two lanes that share the
  workers' time, LIGHT_SHARE for light ones whenever both lanes wait. With two workers or
  more, heavy trainings never hold them all.
- In each lane the shortest training goes first (rank), unless one has waited AGED times its
  own length: those go first, so the longest ones are not starved.
Nothing here ranks by who asks. Fair turns by session (round-robin, or by recent use) were
measured to make things worse: ten tabs replaying MNIST's heaviest run, each a fresh session,
new in every round and with no use on record, went before ordinary students, whose 0.1 s
trainings then waited up to four minutes behind a queue of 9 s runs.
The estimate is the training's work (optimizer steps, or MNIST's epochs × images × parameters)
times the seconds per unit of work its kind took lately on this server (Estimates).
"""
from __future__ import annotations

HEAVY_S = 2.0  # a training estimated longer than this waits in the heavy lane
LIGHT_SHARE = 0.75  # the workers' time light trainings get while both lanes wait
# Seconds per unit of work on this machine's cores (one worker): a linear model's optimizer
# step (about 100 µs in compiled chunks), and MNIST's epochs × images × parameters (the
# heaviest offline run, 2.9e10, takes about 6 s). Learned anew from every finished training.
START_RATES = {"dense": 1e-4, "mnist": 2e-10}
LEARNING = 0.3  # weight of the newest training in the learned rate
MIN_LEARN_S = 1.0  # shorter trainings are mostly overhead: they teach nothing about the rate
DRIFT = 3.0  # the learned rate stays within DRIFT times the starting one (a first training
# also loads data and compiles: one such run must not make every estimate wrong)
AGED = 20.0  # a training that waited this many times its own length goes first
MIN_ESTIMATE_S = 0.05  # the length assumed for a training of unknown or tiny work


def rank(estimate: float, waited: float) -> tuple:
    """A waiting training's order in its lane (smallest first): the aged ones first, the one
    that waited most times its own length first (so a flood of long runs that all aged keeps
    a shorter run back no longer than them, in proportion); then the others, shortest first."""
    length = max(estimate, MIN_ESTIMATE_S)
    return (0, -waited / length) if waited >= AGED * length else (1, length)


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
        start = START_RATES.get(kind, self._rates[kind])
        rate = min(DRIFT * start, max(start / DRIFT, seconds / float(work)))
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
