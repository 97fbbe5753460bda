"""One engine for every model: a fair queue, a bound and a result cache, in front of workers.

Every training of the app, the slides' linear models and MNIST's networks alike, goes through
`SCHEDULER.serve(key, compute, caller)`:
- Identical requests train once per server. A finished result sits in a small LRU cache; a
  request identical to one that waits or trains joins it and gets the same result.
- At most `slots` trainings run at once. The others wait in one queue, where each session
  (an opaque owner id given by the page) holds at most one waiting request: a newer request
  of the same session replaces its waiting one, whose call returns at once as "replaced".
- Short trainings go before long ones: light and heavy requests (by their estimated seconds)
  wait in two lanes that share the workers' time, and in each lane the shortest goes first,
  unless one has waited AGED times its length (lib/engine/fair_share.py). Sessions with no
  training running go before those with one. Nothing ranks by who asks: a student can open
  any number of fresh sessions (tabs), so a rule that favours new or little-used sessions
  favours a flood from fresh tabs.
- A waiting caller hears its place in the queue (Caller.on_wait), again every HEARTBEAT
  seconds, so a page that is rerun can stop waiting (Streamlit stops a script at its next call).
- A session whose page has gone (caller.alive() false: its tab closed) leaves the queue, so
  requests from closed tabs never make a live student wait.
compute() runs on the caller's thread, in its turn; it hands the training to a backend (local
worker processes, RQ workers, or this process: lib/engine/jobs.py) and relays its progress to
the caller's page. The bound is the backend's number of workers.
No TensorFlow here; the models are pooled where they train (lib/engine/pool.py).
"""
from __future__ import annotations

import itertools
import threading
import time
from collections import Counter

from lib.engine.callers import Caller, Outcome, Wait  # noqa: F401 - the scheduler's API
from lib.engine.fair_share import HEAVY_S, Estimates, Lanes, rank
from lib.engine.results import CACHE_BYTES, CACHE_ENTRIES, Results

MAX_CONCURRENT = 2  # this machine and Community Cloud have two cores
HEARTBEAT = 0.5  # seconds between two status calls to a waiting caller

QUEUED, GRANTED, RUNNING = "queued", "granted", "running"


class _Replaced(Exception):
    pass


class _Call:
    def __init__(self, caller: Caller):
        self.caller = caller
        self.owner = caller.owner if caller.owner is not None else self
        self.replaced = False
        self.job: _Job | None = None


class _Job:
    def __init__(self, key, place: tuple, runner: _Call, work=None, estimate: float = 0.0):
        self.key, self.runner = key, runner
        self.seq, self.asked = place  # its order and time of asking (kept by a replacement)
        self.kind = key[0] if isinstance(key, tuple) and key else None
        self.work, self.estimate = work, estimate
        self.heavy = estimate > HEAVY_S
        self.sharers: list[_Call] = []
        self.state = QUEUED
        self.granted_to = None  # the owner charged with the slot while granted or running
        self.done, self.result = False, None
        self.started = None  # when it began to train (its owner is charged the time)


class Scheduler:
    def __init__(self, slots: int = MAX_CONCURRENT, entries: int = CACHE_ENTRIES,
                 max_bytes: int = CACHE_BYTES):
        self.slots = slots
        self._cond = threading.Condition()
        self._results = Results(entries, max_bytes)
        self._inflight: dict = {}  # key -> _Job waiting for a slot or training
        self._queue: list[_Job] = []
        self._busy = 0
        self._running: Counter = Counter()  # owner -> trainings granted or running
        self._lanes, self._estimates = Lanes(), Estimates()
        self._heavy_busy = 0  # heavy trainings granted or running
        self._waiting: dict = {}  # owner -> its waiting _Call
        self._seq = itertools.count()

    # -- the one entry point ------------------------------------------------------------------

    def serve(self, key, compute, caller: Caller | None = None, use_cache: bool = True,
              shared=None, work: float | None = None):
        """(result, Outcome): compute() run on this thread in its turn, or a shared result.

        result is None when the call was replaced. Errors of compute() reach its caller; callers
        sharing that training then train it themselves, in the same place in the queue.
        shared(): a result another process trained (the deployment's cache on Redis), or None;
        asked before the queue, so a result that exists never waits for a turn.
        work: the training's work, in the units of its kind (key[0]: lib/engine/tasks.py), from
        which its length is estimated; None: unknown (a light training).
        """
        caller = caller or Caller()
        call = _Call(caller)
        found = shared() if use_cache and shared is not None and self.peek(key) is None \
            else None
        with self._cond:
            place = self._replace(call.owner)  # a replaced request hands on its place
            if found is not None:
                self._results.store(key, found)
            if use_cache and key in self._results:
                return self._finish(caller, self._results.get(key), Outcome(cached=True))
            job = self._inflight.get(key) if use_cache else None
            if job is None:
                kind = key[0] if isinstance(key, tuple) and key else None
                place = place or (next(self._seq), time.monotonic())
                job = _Job(key, place, call, work, self._estimates.seconds(kind, work))
                if use_cache:
                    self._inflight[key] = job
                self._queue.append(job)
                self._dispatch()
            else:
                job.sharers.append(call)
            call.job = job
            waited = job.state == QUEUED or job.runner is not call
            if caller.owner is not None:
                self._waiting[call.owner] = call
        try:
            self._wait(call)
        except _Replaced:
            return self._finish(caller, None, Outcome(replaced=True))
        except BaseException:  # the page stopped waiting (a rerun): leave the queue
            with self._cond:
                if not call.replaced:
                    self._leave(call)
            raise
        job = call.job
        if job.done:
            return self._finish(caller, job.result, Outcome(shared=True))
        return self._run(call, compute, use_cache, waited)

    def peek(self, key):
        """The cached result for key, or None."""
        with self._cond:
            return self._results.get(key)

    def clear(self):
        with self._cond:
            self._results.clear()

    def queued(self) -> int:
        """How many trainings wait for a slot now."""
        with self._cond:
            return len(self._queue)

    # -- inside ---------------------------------------------------------------------------------

    def _finish(self, caller: Caller, result, outcome: Outcome):
        caller.outcome = outcome
        return result, outcome

    def _wait(self, call: _Call) -> None:
        """Until call may train (its job granted to it) or its job is done; tells the caller."""
        last, beat = None, 0.0
        while True:
            with self._cond:
                if call.replaced:
                    raise _Replaced
                job = call.job
                if job.done or (job.runner is call and job.state == GRANTED):
                    return
                if not call.caller.alive():  # its page has gone: it waits no longer
                    call.replaced = True
                    self._leave(call)
                    raise _Replaced
                status = Wait(self._place(job), shared=job.runner is not call,
                              heavy=job.heavy)
                now = time.monotonic()
                if status == last and now < beat:
                    self._cond.wait(beat - now)
                    continue
            if call.caller.on_wait is not None:
                call.caller.on_wait(status)  # outside the lock: it may raise (a page rerun)
            last, beat = status, time.monotonic() + HEARTBEAT

    def _run(self, call: _Call, compute, use_cache: bool, waited: bool):
        job = call.job
        with self._cond:
            if not call.replaced and not call.caller.alive():  # its page went meanwhile
                call.replaced = True
                self._leave(call)
            if call.replaced:  # replaced after its turn came, before it began: it gave it up
                return self._finish(call.caller, None, Outcome(replaced=True))
            job.state, job.started = RUNNING, time.monotonic()
            self._forget(call)
        try:
            result = compute()
        except BaseException:
            with self._cond:
                self._release(job)
                if job.sharers:  # they still want it: the first of them trains it instead
                    self._promote(job)
                else:
                    self._inflight.pop(job.key, None)
                self._dispatch()
            raise
        with self._cond:
            self._estimates.learn(job.kind, job.work, time.monotonic() - job.started)
            self._release(job)
            if use_cache:
                self._results.store(job.key, result)
                self._inflight.pop(job.key, None)
            job.done, job.result = True, result
            self._dispatch()
        return self._finish(call.caller, result, Outcome(waited=waited))

    def _lanes_of(self, queue) -> tuple[list, list]:
        """The waiting (light, heavy) jobs, each in its lane's order."""
        now = time.monotonic()
        ranked = sorted(queue, key=lambda job: (
            self._running[job.runner.owner] > 0, *rank(job.estimate, now - job.asked),
            job.seq))
        return [j for j in ranked if not j.heavy], [j for j in ranked if j.heavy]

    def _place(self, job: _Job) -> int:
        if job.state != QUEUED:
            return 0
        light, heavy = self._lanes_of(self._queue)
        return self._lanes.order(light, heavy, lambda j: j.estimate).index(job) + 1

    def _next(self) -> _Job | None:
        """The job to grant a slot to now, or None (only heavy ones wait, and they hold all
        the slots they may: with two slots or more, one is kept for light trainings)."""
        light, heavy = self._lanes_of(self._queue)
        if self._heavy_busy >= max(1, self.slots - 1):
            heavy = []
        lane = self._lanes.next(bool(light), bool(heavy))
        return None if lane is None else (heavy if lane else light)[0]

    def _drop_gone(self) -> None:
        """Requests whose page has gone leave the queue (their threads return as replaced)."""
        for job in list(self._queue):
            for call in [c for c in job.sharers if not c.caller.alive()]:
                call.replaced = True
                self._forget(call)
                job.sharers.remove(call)
            while job in self._queue and not job.runner.caller.alive():
                job.runner.replaced = True
                self._forget(job.runner)
                self._queue.remove(job)
                if job.sharers:
                    self._promote(job)
                elif self._inflight.get(job.key) is job:
                    del self._inflight[job.key]

    def _dispatch(self) -> None:
        self._drop_gone()
        while self._busy < self.slots and self._queue:
            job = self._next()
            if job is None:
                break
            self._queue.remove(job)
            job.state, job.granted_to = GRANTED, job.runner.owner
            self._busy += 1
            self._heavy_busy += job.heavy
            self._running[job.granted_to] += 1
        self._cond.notify_all()

    def _release(self, job: _Job) -> None:
        self._busy -= 1
        self._heavy_busy -= job.heavy
        if job.started is not None:
            self._lanes.charge(job.heavy, time.monotonic() - job.started)
            job.started = None
        self._running[job.granted_to] -= 1
        if self._running[job.granted_to] <= 0:
            del self._running[job.granted_to]

    def _promote(self, job: _Job) -> None:
        job.runner = job.sharers.pop(0)
        job.state = QUEUED
        self._queue.append(job)

    def _forget(self, call: _Call) -> None:
        if self._waiting.get(call.owner) is call:
            del self._waiting[call.owner]

    def _replace(self, owner):
        """Replace owner's waiting call; the place (seq, time asked) it held, if it held one."""
        previous = self._waiting.get(owner)
        if previous is None:
            return None
        previous.replaced = True
        job = previous.job
        held = (job.seq, job.asked) if job.runner is previous and job.state == QUEUED else None
        self._leave(previous)
        return held

    def _leave(self, call: _Call) -> None:
        """A waiting call gives up: its job goes on for its sharers, or leaves the queue."""
        self._forget(call)
        job = call.job
        if call in job.sharers:
            job.sharers.remove(call)
        elif job.runner is call and not job.done:
            if job.state == GRANTED:  # granted, never started: hand the slot back
                self._release(job)
            elif job.state == QUEUED:
                self._queue.remove(job)
            if job.sharers:
                self._promote(job)
            elif self._inflight.get(job.key) is job:
                del self._inflight[job.key]
            self._dispatch()
        self._cond.notify_all()



def _slots() -> int:
    from lib.engine import jobs

    return jobs.slots()


SCHEDULER = Scheduler(_slots())
