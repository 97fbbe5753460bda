"""Where trainings run: local worker processes (the default), RQ workers on Redis, or inline.

    ML_LAB_WORKERS       local worker processes started by the app (0: train in this process);
                         by default 2, or 1 where the machine or container has under 4 GB
                         (Community Cloud's 2.7 GB: each worker holds its own TensorFlow)
    ML_LAB_WORKER_JOBS   tasks before a worker is replaced (200)
    ML_LAB_WORKER_MB     a worker's memory cap in MB, read as RSS (1500)
    ML_LAB_WORKER_THREADS TensorFlow threads per worker (the cores / the workers, at least 1)
    REDIS_URL            jobs go to RQ workers through Redis (lib/engine/queue_redis.py)

Every backend has run(task, progress) -> result and ready(). The scheduler in front of it
(one per app process) keeps the fair queue, the bound (`slots()`) and the result cache, so
the same rules hold whichever backend trains.
"""
from __future__ import annotations

import os
import threading

from lib.engine.tasks import execute

_BACKEND = None
_LOCK = threading.Lock()


class Inline:
    """Trainings on the caller's thread, in this process (tests, and ML_LAB_WORKERS=0)."""

    name = "inline"

    def run(self, task, progress=None):
        return execute(task, progress)

    def ready(self) -> bool:
        from lib.engine.pool import POOL

        return POOL.created > 0


def _number(name: str, default: float) -> float:
    text = os.environ.get(name, "").strip()
    try:
        return float(text) if text else default
    except ValueError:
        raise ValueError(f"{name} must be a number, not {text!r}") from None


ROOMY_MB = 4096  # memory that holds two workers (about 800 MB each) beside the app's process


def memory_limit_mb() -> float:
    """The memory this process may use: its container's limit (cgroup v2 or v1), else the
    machine's."""
    for path in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            with open(path) as file:
                text = file.read().strip()
        except OSError:
            continue
        if text.isdigit() and int(text) < 2**60:  # "max" or a huge number: no limit
            return int(text) / 2**20
    import psutil

    return psutil.virtual_memory().total / 2**20


def configured_workers() -> int:
    default = 2 if memory_limit_mb() >= ROOMY_MB else 1
    return max(0, int(_number("ML_LAB_WORKERS", default)))


def slots() -> int:
    """How many trainings this app process lets run at once: its local workers' number, or
    MAX_CONCURRENT for inline and Redis backends (the cores of one machine)."""
    from lib.engine.scheduler import MAX_CONCURRENT

    if os.environ.get("REDIS_URL"):
        return int(_number("ML_LAB_SLOTS", MAX_CONCURRENT))
    return configured_workers() or MAX_CONCURRENT


def backend():
    """The backend this process uses, made on first use."""
    global _BACKEND
    with _LOCK:
        if _BACKEND is None:
            _BACKEND = _make()
        return _BACKEND


def _make():
    url = os.environ.get("REDIS_URL", "").strip()
    if url:
        from lib.engine.queue_redis import RedisJobs

        return RedisJobs.from_url(url)
    count = configured_workers()
    if count == 0:
        return Inline()
    from lib.engine.workers import LocalWorkers

    threads = _number("ML_LAB_WORKER_THREADS", max(1, (os.cpu_count() or 2) // count))
    return LocalWorkers(count, max_jobs=int(_number("ML_LAB_WORKER_JOBS", 200)),
                        max_mb=_number("ML_LAB_WORKER_MB", 1500), threads=int(threads))


def use(new_backend) -> None:
    """Replace this process's backend (tests, benchmarks); the old one's workers stop."""
    global _BACKEND
    with _LOCK:
        old, _BACKEND = _BACKEND, new_backend
    if old is not None and hasattr(old, "close"):
        old.close()


def run(task, progress=None):
    """The task's result from this process's backend (called in the task's scheduler turn)."""
    return backend().run(task, progress)


def shared(task):
    """The task's result from the deployment's shared cache (Redis), or None."""
    lookup = getattr(backend(), "shared", None)
    return None if lookup is None else lookup(task)


def ready() -> bool:
    """Whether the first training will start without loading TensorFlow first."""
    current = _BACKEND
    return current is not None and current.ready()
