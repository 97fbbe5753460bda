"""A busy server: at most MAX_CONCURRENT trainings run at once, the others wait and say so.

The trainings are held at their first step until every thread has asked for a slot, so the
overlap is certain, whatever the machine's speed: no timing is measured or assumed.
"""
import threading

import pytest

from conftest import app_test, assert_clean
from lib.core import datasets
from lib.ui import i18n
from lib.engine import training

EXTRA = 3  # trainings beyond the slots
PATIENCE = 300  # seconds a held thread waits for the others before giving up (a hang guard)


class Counter:
    """How many threads are inside a region now, and at most."""

    def __init__(self):
        self.lock = threading.Lock()
        self.now = self.most = 0

    def enter(self):
        with self.lock:
            self.now += 1
            self.most = max(self.most, self.now)

    def leave(self):
        with self.lock:
            self.now -= 1


@pytest.fixture
def held_until_all_asked(monkeypatch):
    """Count the threads that asked for a slot; hold every slot holder until all have asked.

    Returns (asked, release_when): release_when(n) arms the gate for n threads.
    """
    asked, gate, expected = set(), threading.Event(), [None]
    original = training._POOL.wait_for_slot

    def wait_for_slot():
        with lock:
            asked.add(threading.get_ident())
            if expected[0] is not None and len(asked) >= expected[0]:
                gate.set()
        return original()

    lock = threading.Lock()
    monkeypatch.setattr(training._POOL, "wait_for_slot", wait_for_slot)

    def release_when(n):
        expected[0] = n

    return asked, gate, release_when


def _run_threads(count, work):
    results, errors = [None] * count, []

    def target(i):
        try:
            results[i] = work(i)
        except Exception as error:  # reported below, with the thread's number
            errors.append((i, error))

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=PATIENCE * 2)
    assert not any(thread.is_alive() for thread in threads), "a training never finished"
    assert not errors, errors
    return results


def test_engine_runs_at_most_max_concurrent_and_the_others_wait(monkeypatch,
                                                                held_until_all_asked):
    asked, gate, release_when = held_until_all_asked
    count = training.MAX_CONCURRENT + EXTRA
    release_when(count)
    running = Counter()
    original_run = training._Trainer.run

    def run(self, *args):
        running.enter()
        try:
            gate.wait(PATIENCE)  # hold the slot until every thread has asked for one
            return original_run(self, *args)
        finally:
            running.leave()

    monkeypatch.setattr(training._Trainer, "run", run)
    points = datasets.textbook_points()

    def work(i):
        spec = training.TrainSpec(points.x, points.t, optimizer="adam", learning_rate=0.01,
                                  epochs=20, seed=1000 + i)
        return training.train(spec, use_cache=False)

    results = _run_threads(count, work)
    assert gate.is_set() and len(asked) == count
    assert running.most == training.MAX_CONCURRENT
    assert sorted(r.waited for r in results) == [False] * training.MAX_CONCURRENT + [True] * EXTRA
    assert all(r.epochs_done == 20 for r in results)


def test_training_slot_bounds_work_outside_the_engine(held_until_all_asked):
    """Pages that train with Keras' own fit take the same slots (training.training_slot)."""
    asked, gate, release_when = held_until_all_asked
    count = training.MAX_CONCURRENT + EXTRA
    release_when(count)
    inside = Counter()

    def work(_):
        with training.training_slot() as waited:
            inside.enter()
            gate.wait(PATIENCE)
            inside.leave()
        return waited

    waited = _run_threads(count, work)
    assert inside.most == training.MAX_CONCURRENT
    assert sorted(waited) == [False] * training.MAX_CONCURRENT + [True] * EXTRA


class _Refusals:
    """A stand-in for the pool's semaphore that tells when a slot was refused."""

    def __init__(self, semaphore):
        self.semaphore, self.refused = semaphore, threading.Event()

    def acquire(self, blocking=True, timeout=None):
        got = self.semaphore.acquire(blocking) if timeout is None \
            else self.semaphore.acquire(blocking, timeout)
        if not got:
            self.refused.set()
        return got

    def release(self):
        self.semaphore.release()


def test_the_page_says_its_training_waited_for_its_turn(monkeypatch):
    semaphore = training._POOL._slots
    spy = _Refusals(semaphore)
    monkeypatch.setattr(training._POOL, "_slots", spy)
    for _ in range(training.MAX_CONCURRENT):  # other sessions hold every slot...
        semaphore.acquire()

    def others_finish():  # ...until this page has been told to wait
        spy.refused.wait(PATIENCE)
        for _ in range(training.MAX_CONCURRENT):
            semaphore.release()

    releaser = threading.Thread(target=others_finish)
    releaser.start()
    query = {"lang": "en", "epochs": "10", "iseed": "31337"}  # settings nobody trained yet
    try:
        at = app_test("logistic", query)
    finally:
        releaser.join(PATIENCE)
    assert_clean(at)
    waited = i18n.t("train.waited", lang="en")
    assert any(info.value == waited for info in at.info)

    # Another session asking for the same settings gets the shared result at once: it
    # waited for nobody, and must not say so.
    again = app_test("logistic", query)
    assert_clean(again)
    assert not any(info.value == waited for info in again.info)
