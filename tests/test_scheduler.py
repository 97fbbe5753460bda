"""The one engine's queue: a bound, one waiting request per session, replacement, short
trainings before long ones (two lanes sharing the time, shortest first in each), sessions
with a training running last, the place in the queue, and shared results. Fake
trainings held by events: no model, no TensorFlow, no timing assumed (joins have a generous
timeout only to catch a hang)."""
import threading

import numpy as np
import pytest

from lib.engine import codec, fair_share, scheduler
from lib.engine.scheduler import Caller, Outcome, Scheduler, Wait

PATIENCE = 60  # seconds before a hung thread fails the test (never reached when it works)


@pytest.fixture(autouse=True)
def quiet_heartbeat(monkeypatch):
    monkeypatch.setattr(scheduler, "HEARTBEAT", PATIENCE)  # places are told when they change


class Request:
    """One call of serve() on its own thread: a held training that records what it heard."""

    def __init__(self, engine, key, owner, log=None, result=None, fail=None, work=None):
        self.engine, self.key, self.log = engine, key, log if log is not None else []
        self.work = work
        self.places, self.heard = [], threading.Event()
        self.started, self.release = threading.Event(), threading.Event()
        self.result, self.fail = result if result is not None else f"result {key}", fail
        self.caller = Caller(owner=owner, on_wait=self._on_wait)
        self.answer = None
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _on_wait(self, status: Wait):
        self.places.append(status)
        self.heard.set()

    def _compute(self):
        self.log.append(self.key)
        self.started.set()
        assert self.release.wait(PATIENCE)
        if self.fail is not None:
            raise self.fail
        return self.result

    def _run(self):
        try:
            self.answer = self.engine.serve(self.key, self._compute, self.caller,
                                            work=self.work)
        except BaseException as error:  # noqa: BLE001 - examined by the test
            self.answer = error

    def settled(self):
        """Wait until this request trains or has been told its place."""
        assert self.started.is_set() or _first(self.started, self.heard)
        return self

    def finish(self):
        self.release.set()
        self.thread.join(PATIENCE)
        assert not self.thread.is_alive(), "the request hung"
        return self.answer


def _first(*events) -> bool:
    either = threading.Event()
    for event in events:
        threading.Thread(target=lambda e=event: e.wait(PATIENCE) and either.set(),
                         daemon=True).start()
    return either.wait(PATIENCE)


def _told(request, place, shared=False):
    """Wait until the request heard this place (it hears every change)."""
    while True:
        if request.places and request.places[-1] == Wait(place, shared):
            return True
        request.heard.clear()
        if request.places and request.places[-1] == Wait(place, shared):
            return True
        assert request.heard.wait(PATIENCE), f"never told {place}: {request.places}"


def test_at_most_slots_train_and_the_others_hear_their_place():
    engine, log = Scheduler(slots=2), []
    requests = [Request(engine, f"k{i}", f"s{i}", log).settled() for i in range(5)]
    assert sorted(log) == ["k0", "k1"]
    assert [r.places[0].place for r in requests[2:]] == [1, 2, 3]
    assert engine.queued() == 3
    requests[0].finish()
    _told(requests[3], 1)
    _told(requests[4], 2)
    assert requests[2].started.wait(PATIENCE) and len(log) == 3
    answers = [r.finish() for r in requests]
    assert [a[0] for a in answers] == [f"result k{i}" for i in range(5)]
    assert [a[1].waited for a in answers] == [False, False, True, True, True]
    assert log[:3] == ["k0", "k1", "k2"] and sorted(log) == sorted(f"k{i}" for i in range(5))


def test_a_session_holds_one_waiting_request_and_a_new_one_takes_its_place():
    engine, log = Scheduler(slots=1), []
    busy = Request(engine, "busy", "other", log).settled()
    first = Request(engine, "a1", "alice", log).settled()
    bob = Request(engine, "b1", "bob", log).settled()
    assert first.places[-1] == Wait(1) and bob.places[-1] == Wait(2)
    second = Request(engine, "a2", "alice", log).settled()
    result, outcome = first.finish()  # returns at once, without training
    assert result is None and outcome == Outcome(replaced=True)
    assert first.caller.outcome.replaced
    assert second.places[-1] == Wait(1)  # the replaced request's place
    assert engine.queued() == 2
    busy.finish()
    assert second.started.wait(PATIENCE)
    second.finish()
    bob.finish()
    assert log == ["busy", "a2", "b1"]  # a1 never trained


def test_a_session_with_a_training_running_waits_behind_the_others():
    """Two slots: alice trains in one; when the other frees, bob's request takes it, though
    alice asked first. Among equals the order of asking holds; a replacement keeps its place."""
    engine, log = Scheduler(slots=2), []
    a1 = Request(engine, "a1", "alice", log).settled()
    other = Request(engine, "o1", "olga", log).settled()
    a2 = Request(engine, "a2", "alice", log).settled()  # alice's one waiting request
    b1 = Request(engine, "b1", "bob", log).settled()
    c1 = Request(engine, "c1", "carol", log).settled()
    _told(a2, 3)  # alice trains now: bob and carol go first
    a3 = Request(engine, "a3", "alice", log).settled()  # replaces a2, keeps its place
    assert a2.finish()[1].replaced
    _told(a3, 3)
    other.finish()
    assert b1.started.wait(PATIENCE)
    a1.finish()  # alice trains nothing now, and asked before carol
    assert a3.started.wait(PATIENCE)
    for request in (b1, a3, c1):
        request.finish()
    assert log == ["a1", "o1", "b1", "a3", "c1"]


def test_a_request_whose_page_has_gone_leaves_the_queue():
    """A closed tab's waiting request makes no live session wait: it is dropped when a slot
    frees (and its own thread returns as replaced), and it never trains."""
    engine, log = Scheduler(slots=1), []
    busy = Request(engine, "busy", "other", log).settled()
    closed = Request(engine, "gone", "closed-tab", log).settled()
    live = Request(engine, "live", "student", log).settled()
    assert closed.places[-1] == Wait(1) and live.places[-1] == Wait(2)
    closed.caller.alive = lambda: False  # the tab closes while its request waits
    busy.finish()
    assert live.started.wait(PATIENCE)
    assert closed.finish() == (None, Outcome(replaced=True))
    live.finish()
    assert log == ["busy", "live"]
    assert engine.queued() == 0


def test_a_gone_page_is_noticed_by_its_own_waiting_heartbeat(monkeypatch):
    monkeypatch.setattr(scheduler, "HEARTBEAT", 0.05)
    engine, log = Scheduler(slots=1), []
    busy = Request(engine, "busy", "other", log).settled()
    closed = Request(engine, "gone", "closed-tab", log).settled()
    closed.caller.alive = lambda: False
    closed.thread.join(PATIENCE)  # returns while the busy training still runs
    assert closed.answer == (None, Outcome(replaced=True)) and engine.queued() == 0
    busy.finish()
    assert log == ["busy"]


def test_identical_requests_share_one_training_and_then_the_cache():
    engine, log = Scheduler(slots=1), []
    busy = Request(engine, "busy", "other", log).settled()
    alice = Request(engine, "k", "alice", log, result=np.arange(3)).settled()
    bob = Request(engine, "k", "bob", log).settled()
    assert bob.places[-1] == Wait(1, shared=True)
    busy.finish()
    first, second = alice.finish(), bob.finish()
    assert log == ["busy", "k"]
    assert first[0] is second[0]
    assert first[1] == Outcome(waited=True) and second[1] == Outcome(shared=True)
    again = Request(engine, "k", "carol", log)
    assert again.finish()[0] is first[0] and again.caller.outcome == Outcome(cached=True)
    assert log == ["busy", "k"]


def test_a_shared_request_survives_its_askers_replacement_and_failure():
    engine, log = Scheduler(slots=1), []
    busy = Request(engine, "busy", "other", log).settled()
    alice = Request(engine, "k", "alice", log).settled()
    bob = Request(engine, "k", "bob", log).settled()
    newer = Request(engine, "k2", "alice", log).settled()
    assert alice.finish()[1].replaced
    _told(bob, 1)  # bob now asks for k himself, in alice's place
    busy.finish()
    assert bob.started.wait(PATIENCE)
    assert bob.finish() == ("result k", Outcome(waited=True))
    newer.finish()

    class Stop(BaseException):  # what Streamlit raises in a page that is rerun
        pass

    carol = Request(engine, "j", "carol", log, fail=Stop()).settled()
    dave = Request(engine, "j", "dave", log).settled()
    assert dave.places[-1] == Wait(0, shared=True)
    assert isinstance(carol.finish(), Stop)
    assert dave.started.wait(PATIENCE)  # the training stopped: dave trains it himself
    assert dave.finish() == ("result j", Outcome(waited=True))
    assert log == ["busy", "k", "k2", "j", "j"]


def test_a_page_that_stops_waiting_leaves_the_queue():
    """Streamlit stops a rerun page at its next call: here, the report of a new place."""
    engine, log = Scheduler(slots=1), []

    class Stop(BaseException):
        pass

    busy = Request(engine, "busy", "other", log).settled()
    ahead = Request(engine, "x", "xavier", log).settled()
    leaving = Request(engine, "gone", "alice", log)
    stopped = leaving.caller.on_wait

    def rerun(status):
        stopped(status)
        if status.place == 1:
            raise Stop()

    leaving.caller.on_wait = rerun
    leaving.settled()
    later = Request(engine, "b", "bob", log).settled()
    assert later.places[-1] == Wait(3)
    busy.finish()
    assert isinstance(leaving.finish(), Stop)
    _told(later, 1)
    ahead.finish()
    later.finish()
    assert log == ["busy", "x", "b"] and engine.queued() == 0


def test_the_cache_is_bounded_by_entries_and_bytes():
    engine = Scheduler(slots=1, entries=2)
    for key in ("a", "b", "c"):
        engine.serve(key, lambda: key)
    assert engine.peek("a") is None and engine.peek("c") == "c"
    engine = Scheduler(slots=1, max_bytes=1000)
    for key in ("a", "b"):
        engine.serve(key, lambda: {"weights": np.zeros(100)})  # 800 bytes each
    assert engine.peek("a") is None and engine.peek("b") is not None
    assert codec.nbytes((np.zeros(3), {"x": np.zeros(2, np.float32)})) == 32


def test_many_sessions_at_once_keep_every_rule():
    """40 requests from 8 sessions for 5 trainings, all at once: none hangs, at most two
    train at a time, each gets its own training's result or was replaced, nothing is left."""
    engine, lock = Scheduler(slots=2), threading.Lock()
    inside, most, answers = [0], [0], {}
    rng = np.random.RandomState(7)
    plan = [(f"s{rng.randint(8)}", f"k{rng.randint(5)}") for _ in range(40)]

    def compute(key):
        with lock:
            inside[0] += 1
            most[0] = max(most[0], inside[0])
        with lock:
            inside[0] -= 1
        return f"result {key}"

    def ask(i, owner, key):
        answers[i] = engine.serve(key, lambda: compute(key), Caller(owner=owner))

    threads = [threading.Thread(target=ask, args=(i, o, k)) for i, (o, k) in enumerate(plan)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(PATIENCE)
    assert not any(thread.is_alive() for thread in threads)
    assert most[0] <= 2
    for i, (owner, key) in enumerate(plan):
        result, outcome = answers[i]
        assert (result is None) == outcome.replaced
        assert outcome.replaced or result == f"result {key}"
    assert engine.queued() == 0 and engine._busy == 0 and not engine._inflight
    assert not engine._running and not engine._waiting


def test_a_page_counts_as_gone_once_streamlit_no_longer_holds_its_session(monkeypatch):
    """The page's alive() asks Streamlit's runtime whether its session is still connected."""
    from streamlit.runtime import Runtime

    from lib.ui import training_run

    connected = {"tab-1"}

    class Runtime_:
        @staticmethod
        def is_active_session(session_id):
            return session_id in connected

    monkeypatch.setattr(Runtime, "_instance", Runtime_())
    alive = training_run.page_alive("tab-1")
    assert alive()
    connected.clear()  # the tab closed: its websocket is gone
    assert not alive()
    assert training_run.page_alive(None)()  # no session (a script): always there


def test_a_result_in_the_shared_cache_never_waits_for_a_turn():
    """Another replica trained these settings: the result comes at once, even while every
    slot is busy, and stays in this server's cache."""
    engine, log = Scheduler(slots=1), []
    busy = Request(engine, "busy", "other", log).settled()
    asked = []
    result, outcome = engine.serve("elsewhere", lambda: pytest.fail("trained again"),
                                   Caller(owner="student"),
                                   shared=lambda: asked.append(1) or "trained elsewhere")
    assert (result, outcome) == ("trained elsewhere", Outcome(cached=True))
    assert engine.peek("elsewhere") == "trained elsewhere"
    engine.serve("elsewhere", lambda: pytest.fail("trained again"), shared=lambda: None)
    assert asked == [1]  # the local cache answers first
    busy.finish()
    assert log == ["busy"]


# -- short trainings before long ones ------------------------------------------------------------

HEAVY_WORK = 3e10  # MNIST's heaviest offline run: about 6 s by the starting rate, a heavy one
LIGHT_WORK = 1000  # a slide's linear model, 1000 full-batch steps: about 0.1 s


def _heavy(engine, name, owner, log):
    return Request(engine, ("mnist", name), owner, log, work=HEAVY_WORK)


def _light(engine, name, owner, log):
    return Request(engine, ("dense", name), owner, log, work=LIGHT_WORK)


def test_a_short_training_waits_for_the_long_one_running_not_for_those_waiting():
    """Three fresh tabs queue the heaviest MNIST run, then a student who trained before asks
    for a 0.1 s run: it trains next, and the long ones are told that short ones go first."""
    engine, log = Scheduler(slots=1), []
    running = _heavy(engine, "h0", "flood-0", log).settled()
    floods = [_heavy(engine, f"h{i}", f"flood-{i}", log).settled() for i in (1, 2, 3)]
    assert [f.places[-1] for f in floods] == [Wait(i, heavy=True) for i in (1, 2, 3)]
    student = _light(engine, "l", "student", log).settled()
    assert student.places[-1] == Wait(1)
    running.finish()
    assert student.started.wait(PATIENCE)
    student.finish()
    for flood in floods:
        flood.finish()
    assert [key[1] for key in log] == ["h0", "l", "h1", "h2", "h3"]


def test_with_two_slots_long_trainings_leave_one_for_short_ones():
    engine, log = Scheduler(slots=2), []
    first = _heavy(engine, "h1", "a", log).settled()
    second = _heavy(engine, "h2", "b", log).settled()
    assert [key[1] for key in log] == ["h1"] and second.places[-1] == Wait(1, heavy=True)
    light = _light(engine, "l", "c", log).settled()
    assert light.started.wait(PATIENCE)  # the slot kept free
    light.finish()
    first.finish()
    assert second.started.wait(PATIENCE)
    second.finish()
    assert [key[1] for key in log] == ["h1", "l", "h2"]


def test_while_both_lanes_wait_long_trainings_get_their_share_of_the_time():
    """Endless short and long requests: the long ones get 1 - LIGHT_SHARE of the time, and
    no short one ever waits behind two long ones."""
    lanes = fair_share.Lanes()
    light, heavy = [("light", 0.1)] * 2000, [("heavy", 6.0)] * 200
    ranked = lanes.order(light, heavy, lambda job: job[1])
    spent = {"light": 0.0, "heavy": 0.0}
    for kind, seconds in ranked[:1000]:
        spent[kind] += seconds
    assert spent["heavy"] / sum(spent.values()) == pytest.approx(1 - fair_share.LIGHT_SHARE,
                                                                 abs=0.02)
    kinds = "".join(kind[0] for kind, _ in ranked[:1000])
    assert "hh" not in kinds and kinds.startswith("lh")


def test_a_lane_that_waited_for_nothing_saves_no_credit():
    """Long trainings ran alone for ten minutes; then a short one comes: it goes first, but
    the idle time gave its lane no credit (else long ones would wait 30 minutes). The same the
    other way round."""
    lanes = fair_share.Lanes()
    lanes.charge(True, 600.0)
    assert lanes.next(False, True) is True  # long ones alone
    assert lanes.next(True, True) is False  # a short one comes: it goes first (a tie)
    lanes.charge(False, 0.1)
    assert lanes.next(True, True) is True
    lanes = fair_share.Lanes()
    lanes.charge(False, 600.0)  # short ones alone for ten minutes
    assert lanes.next(True, False) is False
    assert lanes.next(True, True) is False
    lanes.charge(False, 0.1)
    assert lanes.next(True, True) is True  # a long one is not kept back for their past
    lanes.charge(True, 6.0)
    assert [lanes.next(True, True) for _ in range(3)] == [False] * 3  # then 18 s of short ones


def test_estimates_learn_the_seconds_per_unit_of_work_of_each_kind():
    estimates = fair_share.Estimates({"mnist": 2e-10, "dense": 1e-4})
    assert estimates.seconds("mnist", 3e10) == pytest.approx(6.0)
    assert estimates.seconds("other", 1e9) == 0.0 and estimates.seconds("dense", None) == 0.0
    for _ in range(30):  # this server is three times slower than the starting rate
        estimates.learn("mnist", 3e10, 18.0)
    assert estimates.seconds("mnist", 3e10) == pytest.approx(18.0, rel=0.01)
    estimates.learn("dense", 1000, 0.05)  # too short to tell the rate from the overhead
    assert estimates.seconds("dense", 1000) == pytest.approx(0.1)


def test_the_work_of_a_training_is_its_steps_or_its_epochs_images_and_parameters():
    from lib.core.datasets import textbook_points
    from lib.core.logistic import make_spec
    from lib.core.requests import MAX_STEPS, MnistSettings
    from lib.engine.tasks import DenseTask, MnistTask

    points = textbook_points()
    assert DenseTask(make_spec(points, "adam", 0.01, 300, 0, 1, "binary")).work() == 300
    batches = -(-len(points) // 8)
    assert DenseTask(make_spec(points, "adam", 0.01, 300, 8, 1, "binary")).work() == 300 * batches
    assert DenseTask(make_spec(points, "adam", 0.01, 10**6, 1, 1, "binary")).work() <= MAX_STEPS
    deep = MnistSettings(hidden=(256, 256), batch_size=16, epochs=30)
    params = 784 * 256 + 256 + 256 * 256 + 256 + 256 * 10 + 10
    allowed = deep.budget_epochs(4000)
    assert MnistTask(("offline", 4000, 1000), deep).work() == allowed * 4000 * params
    assert MnistTask(("keras", 60000, 10000), MnistSettings()).work() == 10 * 60000 * 7850


def test_the_shortest_goes_first_until_a_long_one_has_waited_aged_times_its_length():
    assert fair_share.rank(0.1, 0.0) < fair_share.rank(6.0, 0.0)
    assert fair_share.rank(6.0, 6.0 * fair_share.AGED) < fair_share.rank(0.1, 0.0)
    long_aged, short_aged = fair_share.rank(6.0, 6.0 * 25), fair_share.rank(2.0, 2.0 * 30)
    assert short_aged < long_aged  # among the aged: most times its length (30 > 25) first
    engine, log = Scheduler(slots=1), []
    running = _heavy(engine, "h0", "a", log).settled()
    long_one = Request(engine, ("dense", "long"), "b", log, work=90_000).settled()
    short = Request(engine, ("dense", "short"), "c", log, work=30_000).settled()
    assert long_one.places[-1] == Wait(2, heavy=True) and short.places[-1] == Wait(1, heavy=True)
    long_one_job = engine._inflight[("dense", "long")]
    long_one_job.asked -= fair_share.AGED * long_one_job.estimate  # it waited that long
    running.finish()
    for request in (long_one, short):
        assert request.started.wait(PATIENCE)
        request.finish()
    assert [key[1] for key in log] == ["h0", "long", "short"]
