"""Local worker processes: the app's trainings run outside the process that serves the pages.

The app starts `count` processes itself (`python -m lib.engine.workers`: a clean interpreter,
no copy of the server's threads, whatever script started the app), each loading TensorFlow
once and then training one task at a time; a socket pair carries tasks, progress and results,
encoded without pickle (lib/engine/codec.py). The process that serves the pages never imports
TensorFlow.

- The scheduler in front (lib/engine/scheduler.py) lets at most `count` trainings run at once,
  so a caller finds an idle worker; a caller's thread sends its task, then relays the worker's
  progress messages to its page until the result arrives.
- A page that stops waiting (a rerun, a closed tab) raises from its progress call: the worker
  is told to cancel, and stops at its next progress call (between two compiled chunks).
- A worker that dies, or whose memory (RSS, read from here with psutil) passes `max_mb`, is
  killed and replaced; its task is tried once more on a fresh worker, then reported as failed.
- A worker is replaced after `max_jobs` tasks, so whatever TensorFlow keeps grows no further.
- A replaced worker has ended before its successor starts: two workers holding TensorFlow at
  once, the old one stopping while the new one loads, took the hostile benchmark's memory
  past its 2 GB bound.
"""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from multiprocessing import Pipe
from multiprocessing.connection import Connection
from pathlib import Path

import psutil

from lib.engine.codec import decode, encode
from lib.engine.tasks import Cancelled, JobFailed, execute, limit_threads

POLL = 0.1  # seconds between two looks at a busy worker (messages, liveness, memory)
PROGRESS_EVERY = 0.1  # seconds between two progress messages from a worker
CANCEL_PATIENCE = 60.0  # seconds a cancelled task may take to stop before its worker is killed
ROOT = Path(__file__).resolve().parents[2]  # the folder that holds lib/


def _send(conn, kind: str, value=None) -> None:
    conn.send_bytes(encode((kind, value)))


def _serve(conn, threads: int) -> None:
    """A worker process: load TensorFlow, then run tasks until told to stop."""
    limit_threads(threads)
    try:
        _send(conn, "ready")
        _run_tasks(conn)
    except (EOFError, OSError):  # the server has gone (stopped or killed): nothing is owed
        return


def _run_tasks(conn) -> None:
    while True:
        task = decode(conn.recv_bytes())
        if task is None:
            return
        last = [0.0]

        def progress(*values):
            now = time.monotonic()
            if now - last[0] >= PROGRESS_EVERY:
                last[0] = now
                _send(conn, "progress", values)
            if conn.poll() and decode(conn.recv_bytes()) == "cancel":
                raise Cancelled

        try:
            _send(conn, "done", execute(task, progress))
        except Cancelled:
            _send(conn, "cancelled")
        except Exception as error:  # the task's own failure: the worker goes on
            _send(conn, "error", f"{type(error).__name__}: {error}")


class _Crashed(Exception):
    """The worker process died or was killed while it held a task."""


class Worker:
    def __init__(self, threads: int):
        self.conn, child = Pipe()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "lib.engine.workers", str(child.fileno()), str(threads)],
            pass_fds=[child.fileno()], cwd=ROOT, stdin=subprocess.DEVNULL,
            env={**os.environ, "PYTHONPATH": str(ROOT)})
        child.close()
        self.jobs = 0
        self.ready = False
        self.busy = False  # a task was sent and its end not yet heard

    def alive(self) -> bool:
        return self.process.poll() is None

    def rss_mb(self) -> float:
        try:
            return psutil.Process(self.process.pid).memory_info().rss / 2**20
        except psutil.Error:
            return 0.0

    def stop(self, kill: bool = False) -> None:
        if kill or not self.alive():
            self.process.kill()
        else:
            try:
                self.conn.send_bytes(encode(None))
            except OSError:
                self.process.kill()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)
        self.conn.close()


class LocalWorkers:
    """`count` worker processes and the idle ones among them (thread-safe)."""

    def __init__(self, count: int = 2, max_jobs: int = 200, max_mb: float = 1500,
                 threads: int = 1):
        self.count, self.max_jobs, self.max_mb, self.threads = count, max_jobs, max_mb, threads
        self._lock = threading.Condition()
        self._all: list[Worker] = []  # every live worker, idle or busy
        self._idle = [self._start() for _ in range(count)]
        self.replaced = 0  # workers killed (crash, memory) or recycled, and started anew
        self.peak_mb = 0.0
        self._closed = False

    def _start(self) -> Worker:
        worker = Worker(self.threads)
        with self._lock:
            self._all.append(worker)
        return worker

    def run(self, task, progress=None):
        """The task's result, trained by a worker; progress(*values) on this thread."""
        for attempt in (1, 2):
            worker = self._take()
            try:
                result = self._follow(worker, task, progress)
            except _Crashed as crash:
                self._give_back(worker, broken=True)
                if attempt == 2:
                    raise JobFailed(f"the training's worker stopped twice ({crash})") from None
                continue
            except BaseException:  # the task's error, or the page stopped waiting
                self._give_back(worker, broken=worker.busy)
                raise
            self._give_back(worker)
            return result

    def ready(self) -> bool:
        """Whether a worker has loaded TensorFlow (the first training then starts at once)."""
        with self._lock:
            return any(worker.ready or worker.conn.poll() for worker in self._idle)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.stop()

    # -- inside ---------------------------------------------------------------------------------

    def _take(self) -> Worker:
        with self._lock:
            while not self._idle:  # only while a replaced worker is being started
                self._lock.wait(POLL)
            return self._idle.pop(0)

    def _give_back(self, worker: Worker, broken: bool = False) -> None:
        worker.jobs += 1
        if broken or worker.jobs >= self.max_jobs or not worker.alive() \
                or worker.rss_mb() > self.max_mb:
            with self._lock:
                self._all.remove(worker)
            self.replaced += 1
            # On a thread of its own: the page that was served does not wait for it.
            threading.Thread(target=self._replace, args=(worker, broken), daemon=True).start()
            return
        with self._lock:
            self._idle.append(worker)
            self._lock.notify()

    def _replace(self, old: Worker, kill: bool) -> None:
        old.stop(kill)  # ended (its memory freed) before the next one loads TensorFlow
        new = self._start()
        with self._lock:
            if not self._closed:
                self._idle.append(new)
                self._lock.notify()
                return
        new.stop()

    def _follow(self, worker: Worker, task, progress):
        try:
            worker.conn.send_bytes(encode(task))
        except (OSError, EOFError) as error:
            raise _Crashed(f"could not send: {error}") from None
        worker.busy, cancelled = True, None
        while True:
            kind, value = self._next(worker, cancelled)
            worker.busy = kind not in ("done", "cancelled", "error")
            if kind == "ready":
                worker.ready = True
            elif kind == "progress" and progress is not None and cancelled is None:
                try:
                    progress(*value)
                except BaseException as error:  # the page stopped waiting: stop the task
                    cancelled = error, time.monotonic() + CANCEL_PATIENCE
                    worker.conn.send_bytes(encode("cancel"))
            elif kind == "done":
                if cancelled is not None:
                    raise cancelled[0]
                return value
            elif kind == "cancelled":
                raise cancelled[0]
            elif kind == "error":
                if cancelled is not None:
                    raise cancelled[0]
                raise JobFailed(value)

    def _next(self, worker: Worker, cancelled):
        """The worker's next message; raises _Crashed when it died or outgrew its memory."""
        while True:
            try:
                if worker.conn.poll(POLL):
                    return decode(worker.conn.recv_bytes())
            except (EOFError, OSError):
                raise _Crashed("its process ended") from None
            if not worker.alive():
                raise _Crashed(f"its process ended with code {worker.process.returncode}")
            rss = worker.rss_mb()
            self.peak_mb = max(self.peak_mb, rss)
            if rss > self.max_mb:
                worker.process.kill()
                raise _Crashed(f"it used {rss:.0f} MB, more than {self.max_mb:.0f} MB")
            if cancelled is not None and time.monotonic() > cancelled[1]:
                worker.process.kill()
                raise cancelled[0]


if __name__ == "__main__":  # a worker: python -m lib.engine.workers FD THREADS
    _serve(Connection(int(sys.argv[1])), int(sys.argv[2]))
