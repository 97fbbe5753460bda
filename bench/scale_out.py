"""The app beyond one process: replicas behind haproxy, RQ workers on Redis, and failures.

    python bench/scale_out.py [--replicas 3] [--workers 2] [--sessions 90] [--minutes 3]

Starts the deployment's topology on loopback (deploy/local.py: redis-server, R app replicas,
W training workers, haproxy from deploy/haproxy.cfg) and drives it through the proxy with S
sessions speaking Streamlit's protocol (bench/st_client.py), each with its own sticky cookie,
doing the lecture benchmark's mix (bench/lecture_load.py: sliders, training settings, other
pages, back), and C classes, each a lecturer and their students following them
(bench/classroom.py's class: slider moves, a page switch, three questions answered and
revealed) over the first 40 % of the run, their tabs spread over the replicas by the proxy and
their class on the shared Redis. Halfway through it kills one replica and one worker (SIGKILL).

- A session on the killed replica loses its websocket; it reconnects through the proxy (the
  same cookie: haproxy sends it to a live replica) and reopens its page from its URL. Its
  reconnect time runs from the failed action to the reopened page; its view is back when the
  page writes the same URL again. A session is lost when that fails or takes over 10 s.
- A training (an action that drew a progress bar on the logistic page) must end with the
  trained weights or a message on the page; one that ends with neither is "failed unreported".
- cache_hits_cross_replica: results one replica took from Redis that another's request
  trained (lib/engine/queue_redis.py counts them).

Last line, one JSON object: {"replicas", "workers", "sessions", "minutes", "errors",
"sessions_lost", "reconnect_p95_s", "trainings", "trainings_failed_unreported",
"cache_hits_cross_replica", "p95_no_training_ms", "p95_training_ms", "peak_rss_mb_per_replica",
"classes", "class_follow_delay_p95_ms", "class_answers_sent", "class_answers_counted"}
(sessions counts every tab: the lecture mix's and the classes'; a class's errors count in errors)
A smoke run: python bench/scale_out.py --replicas 2 --workers 2 --sessions 8 --classes 1
    --class-size 3 --minutes 0.5
"""
from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import parse_qsl

import psutil
from websockets.exceptions import ConnectionClosed

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

import classroom  # noqa: E402
from deploy.local import Topology  # noqa: E402
from lecture_load import (ACTION_TIMEOUT, LINK, PAGE, TRAINING_KINDS, Record, lesson,  # noqa: E402
                          ms, percentile)
from st_client import ProtocolError, Session  # noqa: E402

RECONNECT_LIMIT = 10.0  # seconds for a session of the killed replica to get its view back
THINK = (1.0, 4.0)


class Tab(Session):
    """A tab that also checks how each training on the logistic page ended."""

    stats = {"trainings": 0, "unreported": 0}

    async def _rerun(self, *args, **kwargs):
        run = await super()._rerun(*args, **kwargs)
        on_logistic = any(e.key == "logistic.w0" for e in self.elements.values())
        if run.progress and run.status == "ok" and on_logistic:
            self.stats["trainings"] += 1
            weights = any(e.proto.label == "w0" for e in self.of_kind("metric"))
            if not weights and not self.texts("alert"):
                self.stats["unreported"] += 1
        return run


def sticky_cookie(url: str) -> tuple[str, str]:
    """What a browser gets on its first request: (the proxy's cookie, the replica's name)."""
    with urllib.request.urlopen(url + "/", timeout=60) as response:
        return (response.headers.get("Set-Cookie", "").split(";")[0],
                response.headers.get("X-Lab-Replica", ""))


async def student(number: int, url: str, deadline: float, record: Record, outcome: dict):
    rng = random.Random(number)
    cookie, replica = await asyncio.to_thread(sticky_cookie, url)
    outcome["replica"] = replica
    query, failed_at = LINK, None
    while time.monotonic() < deadline:
        try:
            async with Tab(url, timeout=ACTION_TIMEOUT, cookie=cookie) as tab:
                run = await tab.open(PAGE, query)
                record.add("open", run)
                if failed_at is not None:  # a reconnect: is the view back?
                    seconds = time.monotonic() - failed_at
                    back = dict(parse_qsl(tab.query)) == dict(parse_qsl(query))
                    outcome["reconnects"].append(seconds)
                    if not back or seconds > RECONNECT_LIMIT or run.status != "ok":
                        outcome["lost"] = True
                    failed_at = None
                while time.monotonic() < deadline:
                    query = tab.query or query
                    await lesson(tab, rng, deadline, record, THINK)
                    query = tab.query or query
            return
        except (ProtocolError, ConnectionClosed, OSError, asyncio.TimeoutError, KeyError,
                ValueError) as error:  # a closed websocket can also surface on leaving
            outcome["failures"].append(f"{type(error).__name__}: {error}")
            if failed_at is not None or len(outcome["failures"]) > 3:
                outcome["lost"] = True
                return
            failed_at = time.monotonic()


async def sample_rss(top: Topology, peaks: dict, stop: asyncio.Event):
    while not stop.is_set():
        for i, app in enumerate(top.apps):
            try:
                mb = psutil.Process(app.pid).memory_info().rss / 2**20
                peaks[i] = max(peaks.get(i, 0.0), mb)
            except psutil.Error:
                pass
        try:
            await asyncio.wait_for(stop.wait(), 1.0)
        except asyncio.TimeoutError:
            pass


async def scenario(top: Topology, args, record: Record) -> dict:
    started = time.monotonic()
    deadline = started + args.minutes * 60
    mixed = args.sessions - args.classes * (args.class_size + 1)
    outcomes = [{"replica": "", "failures": [], "reconnects": [], "lost": False}
                for _ in range(mixed)]
    peaks, stop = {}, asyncio.Event()
    sampler = asyncio.create_task(sample_rss(top, peaks, stop))
    students = [asyncio.create_task(student(i, top.url, deadline, record, outcomes[i]))
                for i in range(len(outcomes))]
    # Classes end before the kill: a tab on the killed replica is the lecture mix's to measure.
    classes = [asyncio.create_task(classroom.run_class(
        top.url, psutil.Process(top.apps[-1].pid), args.class_size, args.minutes * 0.4))
        for _ in range(args.classes)]
    await asyncio.sleep(args.minutes * 30)
    top.kill_replica(0)
    top.kill_worker(0)
    killed_at = time.monotonic() - started
    done, pending = await asyncio.wait(students, timeout=args.minutes * 30 + ACTION_TIMEOUT + 60)
    for task in pending:
        task.cancel()
        record.errors.append("a student did not stop in time")
    for task in done:
        if task.exception() is not None:
            record.errors.append(f"a student failed: {task.exception()!r}")
    lessons = []
    for task in classes:
        try:
            lessons.append((await task)["lesson"])
        except Exception as error:  # noqa: BLE001 - a broken class is an error of the run
            record.errors.append(f"a class failed: {error!r}")
    stop.set()
    await sampler
    return {"outcomes": outcomes, "peaks": peaks, "killed_at_s": round(killed_at, 1),
            "lessons": lessons}


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--replicas", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sessions", type=int, default=90)
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--classes", type=int, default=2, help="classes following a lecturer")
    parser.add_argument("--class-size", type=int, default=15, help="students per class")
    args = parser.parse_args(argv)
    if args.replicas < 2 or args.workers < 2 or args.classes < 0 or args.class_size < 1 \
            or args.sessions - args.classes * (args.class_size + 1) < 1:
        parser.error("at least 2 replicas and 2 workers (one of each is killed), and sessions "
                     "enough for the classes and one more")

    from redis import Redis

    from lib.engine import queue_redis

    with tempfile.TemporaryDirectory() as folder:
        with Topology(args.replicas, args.workers, folder=Path(folder),
                      env={"MNIST_OFFLINE": "1"}) as top:
            record = Record()
            found = asyncio.run(scenario(top, args, record))
            redis = Redis.from_url(top.redis_url)
            hits = int(redis.get(queue_redis.CROSS_HITS) or 0)
            jobs_done = len(redis.keys(queue_redis.PREFIX + "result:*"))
        tracebacks = [line for log in Path(folder).glob("app*.log")
                      for line in log.read_text(errors="replace").splitlines()
                      if line.startswith("Traceback")]
    outcomes = found["outcomes"]
    on_killed = [o for o in outcomes if o["replica"] == "app1"]
    # Errors: what went wrong outside the killed replica's expected disconnects.
    expected = sum(len(o["failures"]) for o in on_killed if not o["lost"])
    errors = len(record.errors) + sum(len(o["failures"]) for o in outcomes) - expected \
        + len(tracebacks)
    reconnects = [s for o in outcomes for s in o["reconnects"]]
    calm = [s for _, s, may_train in record.actions if not may_train]
    trained = [s for kind, s, may_train in record.actions if may_train and kind in TRAINING_KINDS]
    failures = [f"session on {o['replica']}: {f}" for o in outcomes for f in o["failures"]]
    class_errors = [e for lesson in found["lessons"] for e in lesson.errors]
    class_errors += [f"a class: {lesson.sent} answers sent, {lesson.counted} counted"
                     for lesson in found["lessons"] if lesson.sent != lesson.counted]
    errors += len(class_errors)
    delays = [d for lesson in found["lessons"] for d in lesson.delays]
    for line in (record.errors + failures + tracebacks + class_errors)[:30]:
        print("error:", line)
    print(f"killed app1 and worker1 at {found['killed_at_s']} s; {len(on_killed)} sessions were "
          f"on app1; {len(record.actions)} actions; {jobs_done} trainings done by the workers "
          f"(the rest from a cache or shared)")
    result = {
        "replicas": args.replicas, "workers": args.workers, "sessions": args.sessions,
        "minutes": args.minutes, "errors": errors,
        "sessions_lost": sum(o["lost"] for o in outcomes),
        "reconnect_p95_s": None if not reconnects else round(percentile(reconnects, 95), 2),
        "trainings": Tab.stats["trainings"],
        "trainings_failed_unreported": Tab.stats["unreported"],
        "cache_hits_cross_replica": hits,
        "p95_no_training_ms": ms(percentile(calm, 95)),
        "p95_training_ms": ms(percentile(trained, 95)),
        "peak_rss_mb_per_replica": round(max(found["peaks"].values(), default=0)),
        "classes": args.classes,
        "class_follow_delay_p95_ms": ms(percentile(delays, 95)),
        "class_answers_sent": sum(lesson.sent for lesson in found["lessons"]),
        "class_answers_counted": sum(lesson.counted for lesson in found["lessons"]),
    }
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
