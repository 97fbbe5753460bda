"""Trainings as jobs in local worker processes (lib/engine/workers.py): the same results as a
training in this process (itself checked against numpy and the slide's model.fit elsewhere),
progress on the caller's thread, and no hang whatever happens to a worker: a crash or a
memory cap is retried once on a fresh worker, then reported; a page that stops waiting
cancels its task; workers are recycled. The page's own process never imports TensorFlow.
"""
import json
import os
import signal
import textwrap
import time

import numpy as np
import pytest

from conftest import app_test
from lib.core.mnist import Settings, load_offline
from lib.core.requests import TrainSpec
from lib.engine import mnist as mnist_engine
from lib.engine import training
from lib.engine.tasks import DenseTask, JobFailed, MnistTask
from lib.engine.workers import LocalWorkers

pytestmark = pytest.mark.processes


def _spec(epochs=200, seed=3):
    rng = np.random.RandomState(seed)
    x = rng.rand(40, 2) * 10
    return TrainSpec(x, (x[:, 0] > x[:, 1]).astype(float), epochs=epochs, batch_size=8,
                     seed=seed, learning_rate=0.01)


@pytest.fixture(scope="module")
def workers():
    pool = LocalWorkers(1, max_jobs=1000, max_mb=4000, threads=1)
    yield pool
    pool.close()


def test_a_worker_trains_what_this_process_trains(workers):
    spec = _spec()
    shares = []
    result = workers.run(DenseTask(spec), shares.append)
    here = training._train_now(spec)
    np.testing.assert_array_equal(result.kernels, here.kernels)
    np.testing.assert_array_equal(result.biases, here.biases)
    assert shares and shares[-1] == 1.0

    data, settings = load_offline(), Settings(hidden=(16,), epochs=2, train_size=600, seed=4)
    run = workers.run(MnistTask(data, settings))
    here = mnist_engine._train_now(data, settings)
    for (kernel, bias), (kernel_here, bias_here) in zip(run.weights, here.weights):
        np.testing.assert_array_equal(kernel, kernel_here)
        np.testing.assert_array_equal(bias, bias_here)
    np.testing.assert_array_equal(run.history["test_accuracy"], here.history["test_accuracy"])


def test_a_page_that_stops_waiting_cancels_its_task_and_the_worker_goes_on(workers):
    class Rerun(Exception):
        pass

    def progress(share):
        raise Rerun  # what Streamlit raises in a page's call when the page is rerun

    replaced = workers.replaced
    with pytest.raises(Rerun):
        workers.run(DenseTask(_spec(epochs=3000, seed=5)), progress)
    assert workers.replaced == replaced  # told to stop, not killed
    spec = _spec(seed=6)
    np.testing.assert_array_equal(workers.run(DenseTask(spec)).kernels,
                                  training._train_now(spec).kernels)


def _killer(pool, times):
    """A progress callback that kills the training's worker, `times` times in all."""
    killed = []

    def progress(*values):
        if len(killed) < times:
            worker = next(w for w in pool._all if w.busy)
            killed.append(worker.process.pid)
            os.kill(worker.process.pid, signal.SIGKILL)

    return progress, killed


def test_a_crashed_worker_is_replaced_and_its_task_tried_once_more():
    pool = LocalWorkers(1, max_jobs=1000, max_mb=4000, threads=1)
    try:
        spec = _spec(epochs=3000, seed=7)
        progress, killed = _killer(pool, 1)
        result = pool.run(DenseTask(spec), progress)
        assert len(killed) == 1 and pool.replaced == 1
        np.testing.assert_array_equal(result.kernels, training._train_now(spec).kernels)

        progress, killed = _killer(pool, 2)
        with pytest.raises(JobFailed, match="stopped twice"):
            pool.run(DenseTask(_spec(epochs=3000, seed=8)), progress)
        assert len(killed) == 2 and pool.replaced == 3
        assert pool.run(DenseTask(spec)).epochs_done == spec.epochs  # a fresh worker serves
    finally:
        pool.close()


def test_a_worker_over_its_memory_cap_is_killed_and_the_task_reported_failed():
    pool = LocalWorkers(1, max_jobs=1000, max_mb=60, threads=1)  # TensorFlow alone is more
    try:
        with pytest.raises(JobFailed, match="more than 60 MB"):
            pool.run(DenseTask(_spec()))
        assert pool.replaced == 2
    finally:
        pool.close()


def _idle_worker(pool):
    """The pool's idle worker, once there is one (a recycled worker's successor starts on a
    thread of its own, after the old one has ended)."""
    deadline = time.monotonic() + 60
    while not pool._idle:
        assert time.monotonic() < deadline, "no worker came back"
        time.sleep(0.05)
    return pool._idle[0]


def test_workers_are_recycled_after_their_number_of_jobs():
    pool = LocalWorkers(1, max_jobs=2, max_mb=4000, threads=1)
    try:
        workers = []
        for seed in range(4):
            workers.append(_idle_worker(pool))
            if len(workers) == 3:  # the recycled one ended before its successor came
                assert workers[1].process.poll() is not None
            spec = _spec(epochs=20, seed=seed)
            np.testing.assert_array_equal(pool.run(DenseTask(spec)).kernels,
                                          training._train_now(spec).kernels)
        pids = [worker.process.pid for worker in workers]
        assert pids[0] == pids[1] != pids[2] == pids[3]
        assert pool.replaced == 2
    finally:
        pool.close()


def test_the_page_process_never_imports_tensorflow(run_python):
    """The logistic page trains on opening, here through AppTest with the app's own worker: the
    trained weights are on the page, the same as a training in the test's process, and neither
    TensorFlow nor Keras is in the page's process."""
    code = textwrap.dedent("""
        import json, os, sys
        os.environ["ML_LAB_WORKERS"] = "1"
        sys.path.insert(0, "tests")
        from support.apptest import app_test
        from lib.engine import jobs
        at = app_test("logistic")
        print(json.dumps({
            "exceptions": [e.value for e in at.exception], "errors": [e.value for e in at.error],
            "weights": [m.value for m in at.metric if m.label in ("w0", "w1", "w2")],
            "tf": sorted(m for m in sys.modules if m.split(".")[0] in ("tensorflow", "keras")),
            "backend": type(jobs.backend()).__name__}))
        jobs.backend().close()
    """)
    done = run_python(code=code, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["backend"] == "LocalWorkers"
    assert seen["exceptions"] == [] and seen["errors"] == []
    assert seen["tf"] == []
    here = app_test("logistic")  # the same page, trained in this process
    assert seen["weights"] == [m.value for m in here.metric if m.label in ("w0", "w1", "w2")]
    assert len(seen["weights"]) == 3


def test_the_default_number_of_workers_follows_the_memory(monkeypatch):
    """Two workers where there is room; one in a container of Community Cloud's 2.7 GB."""
    from lib.engine import jobs

    monkeypatch.delenv("ML_LAB_WORKERS", raising=False)
    monkeypatch.setattr(jobs, "memory_limit_mb", lambda: 24 * 1024)
    assert jobs.configured_workers() == 2
    monkeypatch.setattr(jobs, "memory_limit_mb", lambda: 2.7 * 1024)
    assert jobs.configured_workers() == 1
    monkeypatch.setenv("ML_LAB_WORKERS", "3")
    assert jobs.configured_workers() == 3


class _Gone:
    """A worker's end of the socket pair after the server stopped: its `failure` on receiving,
    or on sending once `sends` messages have gone."""

    def __init__(self, failure: OSError, sends: int = 99):
        self.failure, self.sends, self.sent = failure, sends, []

    def send_bytes(self, data):
        if len(self.sent) >= self.sends:
            raise self.failure
        self.sent.append(data)

    def recv_bytes(self):
        raise self.failure


@pytest.mark.parametrize("gone", [_Gone(ConnectionResetError(104, "reset by peer")),
                                  _Gone(BrokenPipeError(32, "Broken pipe"), sends=0)],
                         ids=["reset while waiting for a task", "gone while loading"])
def test_a_worker_whose_server_has_gone_ends_quietly(monkeypatch, gone):
    """A server that stops resets its end, or is gone before the worker has loaded: the
    worker returns, with no traceback in the server's log."""
    from lib.engine import workers as module

    monkeypatch.setattr(module, "limit_threads", lambda threads: None)
    module._serve(gone, 1)  # returns instead of raising
    assert len(gone.sent) == min(gone.sends, 1)  # "ready" when it could, then the end
