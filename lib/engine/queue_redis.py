"""Trainings as RQ jobs on Redis (REDIS_URL): workers on any machine, one result cache for all.

Why RQ: it needs nothing but the Redis that already holds the class state; it is small and
plain Python; its workers are ordinary processes started with one command; and it has what a
shared server needs built in: job timeouts, a registry of failed jobs, Retry, and job meta
for progress. (Celery brings a broker abstraction and a scheduler this app does not use;
Dramatiq has no per-job meta to carry progress.)

- A replica's scheduler (lib/engine/scheduler.py) keeps its fair queue and its bound; in its
  turn a training becomes a job named by its settings' digest. A finished result is kept on
  Redis (RESULT_TTL), so identical settings train once for the whole deployment: a replica
  finds the result there, or follows the job another replica started.
- Workers (`python -m lib.engine.queue_redis`, or `rq worker -w lib.engine.queue_redis.
  TrainingWorker`) run jobs in their own process (TensorFlow loaded once, models pooled),
  report progress in the job's meta, leave after `--max-jobs` jobs or when their memory passes
  ML_LAB_WORKER_MB (a supervisor starts them again), and retry a job whose worker died once.
- A job that fails, times out or finds no worker in QUEUE_PATIENCE is reported to the page.
"""
from __future__ import annotations

import base64
import os
import socket
import threading
import time

import psutil
from redis import Redis
from rq import Queue, Retry, SimpleWorker, get_current_job
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from rq.serializers import JSONSerializer

from lib.engine.codec import decode, encode
from lib.engine.tasks import JobFailed, digest, execute, limit_threads

QUEUE = "ml-lab-training"
PREFIX = "ml-lab:train:"
RESULT_TTL = 6 * 3600  # seconds a result is kept on Redis: a lecture and then some
JOB_TIMEOUT = 600  # seconds a training may run on a worker
QUEUE_PATIENCE = 600  # seconds a job may wait for a worker before the page hears it failed
POLL = 0.2  # seconds between two looks at a followed job
PROGRESS_EVERY = 0.25  # seconds between two progress writes of a worker
BEAT_EVERY, BEAT_TTL = 2, 10  # a worker's heartbeat on its job; silent that long: it is gone
# A started job's heartbeat key is absent: its worker has not beaten yet (the first beat comes
# as the job starts) or it was silent for BEAT_TTL (the key expired). Longer than this: gone.
FIRST_BEAT = BEAT_EVERY + 1
CROSS_HITS = PREFIX + "cross_replica_hits"  # results one replica got from another's training
REPLICA = os.environ.get("ML_LAB_REPLICA") or f"{socket.gethostname()}:{os.getpid()}"
_LIVE = (JobStatus.QUEUED, JobStatus.STARTED, JobStatus.DEFERRED, JobStatus.SCHEDULED)


def _text(value) -> str:
    return base64.b64encode(encode(value)).decode()


def _value(text: str):
    return decode(base64.b64decode(text))


def run_job(payload: str) -> str:
    """An RQ job: train the task, keep its result on Redis for every replica. Jobs, results
    and meta are JSON (RQ's JSONSerializer), the task and result in it encoded by
    lib/engine/codec.py: nothing read from Redis is unpickled."""
    job = get_current_job()
    with _heartbeat(job):
        return _train(job, _value(payload))


def _train(job: Job, task) -> str:
    job.meta["pid"] = os.getpid()  # which process trains it (a benchmark or test may kill it)
    job.save_meta()
    last = [0.0]

    def progress(*values):
        now = time.monotonic()
        if now - last[0] >= PROGRESS_EVERY:
            last[0] = now
            job.meta["progress"] = values
            job.save_meta()

    result = execute(task, progress)
    name = job.meta.get("digest") or digest(task.key())
    job.connection.set(PREFIX + "result:" + name, encode((job.meta.get("replica"), result)),
                       ex=RESULT_TTL)
    return _text(result)


class _heartbeat:
    """While a job trains, a key that says its worker is alive (RQ itself notices a killed
    worker only after the job's whole timeout)."""

    def __init__(self, job: Job):
        self.key, self.connection = PREFIX + "beat:" + job.id, job.connection
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._beat, daemon=True, name="job-heartbeat")

    def _beat(self):
        while not self.stop.is_set():
            self.connection.set(self.key, 1, ex=BEAT_TTL)
            self.stop.wait(BEAT_EVERY)

    def __enter__(self):
        self.connection.set(self.key, 1, ex=BEAT_TTL)
        self.thread.start()

    def __exit__(self, *exc):
        # The key is left to expire: deleted, it would say "gone" in the moment between the
        # job's end and RQ marking it finished.
        self.stop.set()
        self.thread.join(BEAT_EVERY + 1)


class _Lost(Exception):
    """The job's worker went away (no heartbeat), or the job itself is gone."""


class RedisJobs:
    """The backend of a replica: run(task, progress) through Redis and RQ workers."""

    name = "redis"

    def __init__(self, connection: Redis, queue: str = QUEUE, replica: str = REPLICA):
        self.redis, self.replica = connection, replica
        self.queue = Queue(queue, connection=connection, serializer=JSONSerializer)

    @classmethod
    def from_url(cls, url: str) -> RedisJobs:
        return cls(Redis.from_url(url))

    def ready(self) -> bool:
        return True  # the workers load TensorFlow when they start

    def close(self) -> None:
        self.redis.close()

    def cached(self, task):
        """(the replica that asked for it, the result) from Redis, or None."""
        raw = self.redis.get(PREFIX + "result:" + digest(task.key()))
        return None if raw is None else decode(raw)

    def shared(self, task):
        """The result on Redis, counted when another replica's request trained it."""
        found = self.cached(task)
        if found is None:
            return None
        self._count(found[0])
        return found[1]

    def run(self, task, progress=None):
        name = digest(task.key())
        found = self.shared(task)
        if found is not None:
            return found
        for attempt in (1, 2):
            job = self._job(name, task)
            try:
                return self._follow(job, progress)
            except _Lost:
                if attempt == 2:
                    raise JobFailed("the training's worker stopped twice") from None
                try:
                    job.delete()  # a fresh job for the same settings, for the next worker
                except Exception:  # gone already
                    pass
            except JobFailed:
                raise
            except BaseException:  # the page stopped waiting: a job nobody took is dropped
                if job.get_status(refresh=True) == JobStatus.QUEUED:
                    job.cancel()
                raise

    # -- inside ---------------------------------------------------------------------------------

    def _count(self, origin) -> None:
        if origin and origin != self.replica:
            self.redis.incr(CROSS_HITS)

    def _job(self, name: str, task) -> Job:
        """The live job for these settings (another replica's too), or a new one."""
        job_id = "train-" + name
        try:
            job = Job.fetch(job_id, connection=self.redis, serializer=JSONSerializer)
            if job.get_status(refresh=False) in _LIVE:
                self._count(job.meta.get("replica"))
                return job
        except NoSuchJobError:
            pass
        return self.queue.enqueue(run_job, _text(task), job_id=job_id, job_timeout=JOB_TIMEOUT,
                                  result_ttl=RESULT_TTL, failure_ttl=RESULT_TTL,
                                  retry=Retry(max=1), meta={"replica": self.replica, "digest": name})

    def _follow(self, job: Job, progress):
        waited_since, shown, silent_since = time.monotonic(), None, None
        deadline = waited_since + QUEUE_PATIENCE + JOB_TIMEOUT  # the last guard against a hang
        while True:
            status = job.get_status(refresh=True)
            if status == JobStatus.FINISHED:
                return _value(job.return_value(refresh=True))
            if status is None:  # deleted: its worker was lost, a new job may follow
                raise _Lost
            if status in (JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED):
                raise JobFailed(_failure(job, status))
            if status == JobStatus.STARTED:
                waited_since = time.monotonic()
                if self.redis.exists(PREFIX + "beat:" + job.id):
                    silent_since = None
                elif silent_since is None:
                    silent_since = waited_since
                elif waited_since - silent_since > FIRST_BEAT:
                    raise _Lost
                values = job.get_meta(refresh=True).get("progress")
                if values is not None and values != shown and progress is not None:
                    shown = values
                    progress(*values)
            elif time.monotonic() - waited_since > QUEUE_PATIENCE:
                job.cancel()
                raise JobFailed(f"no training worker took the job in {QUEUE_PATIENCE} s")
            if time.monotonic() > deadline:
                raise JobFailed("the training job did not end in time")
            time.sleep(POLL)


def _failure(job: Job, status) -> str:
    text = ""
    try:
        result = job.latest_result()
        text = (getattr(result, "exc_string", "") or "").strip().splitlines()[-1:]
        text = text[0] if text else ""
    except Exception:  # the failure's record may have expired
        pass
    state = getattr(status, "value", status)
    return f"the training job ended as {state}" + (f": {text}" if text else "")


class TrainingWorker(SimpleWorker):
    """Runs jobs in its own process, TensorFlow loaded once; leaves when its memory (RSS)
    passes ML_LAB_WORKER_MB, so its supervisor starts a fresh one."""

    max_mb = float(os.environ.get("ML_LAB_WORKER_MB") or 1500)

    def execute_job(self, job, queue):
        super().execute_job(job, queue)
        if psutil.Process().memory_info().rss / 2**20 > self.max_mb:
            self._stop_requested = True


def main(argv=None) -> None:
    """python -m lib.engine.queue_redis [--max-jobs N] [--burst]: one training worker."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--url", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
    parser.add_argument("--max-jobs", type=int, default=200)
    parser.add_argument("--threads", type=int, default=int(os.environ.get(
        "ML_LAB_WORKER_THREADS") or 1))
    parser.add_argument("--burst", action="store_true", help="stop once the queue is empty")
    options = parser.parse_args(argv)
    limit_threads(options.threads)
    connection = Redis.from_url(options.url)
    worker = TrainingWorker([Queue(QUEUE, connection=connection, serializer=JSONSerializer)],
                            connection=connection, serializer=JSONSerializer)
    worker.work(max_jobs=options.max_jobs, burst=options.burst, with_scheduler=False)


if __name__ == "__main__":
    main()
