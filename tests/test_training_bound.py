"""A busy server: at most MAX_CONCURRENT trainings run at once, the others wait and say so.

Real trainings through the real engine, held at their first compiled step until every thread
has either started or been told its place in the queue, so the overlap is certain whatever the
machine's speed: no timing is measured or assumed.
"""
import threading

from conftest import app_test, assert_clean
from lib.core import datasets
from lib.core.mnist import Settings, load_offline
from lib.engine import mnist as mnist_engine
from lib.engine import training
from lib.engine.scheduler import SCHEDULER, Caller
from lib.ui import i18n
from lib.ui import training_run

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


class Arrivals:
    """Counts the threads that trained or heard their place; opens a gate once all did."""

    def __init__(self, expected: int):
        self.lock, self.seen, self.gate = threading.Lock(), set(), threading.Event()
        self.expected = expected

    def arrived(self):
        with self.lock:
            self.seen.add(threading.get_ident())
            if len(self.seen) >= self.expected:
                self.gate.set()


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


def test_engine_runs_at_most_max_concurrent_and_the_others_wait(monkeypatch):
    count = training.MAX_CONCURRENT + EXTRA
    arrivals, running = Arrivals(count), Counter()
    original_run = training._Trainer.run

    def run(self, *args):
        running.enter()
        arrivals.arrived()
        try:
            arrivals.gate.wait(PATIENCE)  # hold the slot until every thread has arrived
            return original_run(self, *args)
        finally:
            running.leave()

    monkeypatch.setattr(training._Trainer, "run", run)
    points = datasets.textbook_points()

    def work(i):
        places = []

        def on_wait(status):
            places.append(status.place)
            arrivals.arrived()

        caller = Caller(owner=f"session {i}", on_wait=on_wait)
        spec = training.TrainSpec(points.x, points.t, optimizer="adam", learning_rate=0.01,
                                  epochs=20, seed=1000 + i)
        return training.train(spec, use_cache=False, caller=caller), caller.outcome, places

    results = _run_threads(count, work)
    assert arrivals.gate.is_set()
    assert running.most == training.MAX_CONCURRENT
    waited = sorted(outcome.waited for _, outcome, _ in results)
    assert waited == [False] * training.MAX_CONCURRENT + [True] * EXTRA
    told = sorted(places[0] for _, _, places in results if places)
    assert told == list(range(1, EXTRA + 1))  # each waiting session heard its own place
    assert all(result.epochs_done == 20 for result, _, _ in results)


def test_mnist_waits_in_the_same_queue_as_every_other_training(monkeypatch):
    """One engine: an MNIST training queues behind linear ones, and hears its place."""
    arrivals = Arrivals(training.MAX_CONCURRENT)
    release = threading.Event()
    original_run = training._Trainer.run

    def held(self, *args):
        arrivals.arrived()
        release.wait(PATIENCE)
        return original_run(self, *args)

    monkeypatch.setattr(training._Trainer, "run", held)
    points = datasets.textbook_points()
    holders = [threading.Thread(target=training.train, kwargs=dict(
        spec=training.TrainSpec(points.x, points.t, epochs=5, seed=2000 + i), use_cache=False))
        for i in range(training.MAX_CONCURRENT)]
    for holder in holders:
        holder.start()
    assert arrivals.gate.wait(PATIENCE)  # every slot is taken by a linear training
    places = []

    def on_wait(status):
        places.append(status.place)
        release.set()  # the MNIST request waits in the queue: let the others finish

    caller = Caller(owner="mnist session", on_wait=on_wait)
    run, outcome = mnist_engine.train(load_offline(), Settings(epochs=1, train_size=200, seed=9),
                                      caller=caller)
    for holder in holders:
        holder.join(PATIENCE)
    assert places[0] == 1 and outcome.waited and run.epochs_done == 1
    assert SCHEDULER.peek(("mnist",) + mnist_engine.run_key(load_offline(), run.settings)) is run


def test_the_page_says_its_training_waited_for_its_turn_and_its_place(monkeypatch):
    """Other sessions hold every slot until this page has been told its place in the queue."""
    heard = []
    told = threading.Event()
    original_wait = training_run._Bar.wait

    def wait(self, status):
        heard.append(status)
        told.set()
        return original_wait(self, status)

    monkeypatch.setattr(training_run._Bar, "wait", wait)
    release = threading.Event()

    def hold():
        release.wait(PATIENCE)
        return "held"

    holders = [threading.Thread(target=SCHEDULER.serve, args=(("held", i), hold),
                                kwargs={"use_cache": False})
               for i in range(training.MAX_CONCURRENT)]
    for holder in holders:
        holder.start()

    def others_finish():  # ...until this page has been told to wait
        told.wait(PATIENCE)
        release.set()

    releaser = threading.Thread(target=others_finish)
    releaser.start()
    query = {"lang": "en", "epochs": "10", "iseed": "31337"}  # settings nobody trained yet
    try:
        at = app_test("logistic", query)
    finally:
        release.set()
        releaser.join(PATIENCE)
        for holder in holders:
            holder.join(PATIENCE)
    assert_clean(at)
    assert heard and heard[0].place == 1 and not heard[0].shared
    waited = i18n.t("train.waited", lang="en")
    assert any(info.value == waited for info in at.info)

    # Another session asking for the same settings gets the cached result at once: it
    # waited for nobody, and must not say so.
    again = app_test("logistic", query)
    assert_clean(again)
    assert not any(info.value == waited for info in again.info)
