"""A lecture's worth of students on one app process: load, latency and memory over time.

    python bench/lecture_load.py [--sessions 30] [--minutes 5]

Starts the app (`streamlit run app.py`, bound to 127.0.0.1 on a free port) and drives it over
its real websocket with S sessions that speak Streamlit's own protocol (bench/st_client.py),
not AppTest: what a class of browsers sends, and what the server must answer.

The scenario: the lecturer shares a link to the logistic-regression page and S students open
it at the same moment. Each student then, for T minutes, in a loop:
  moves two of the manual sliders (w0, w1, w2),
  changes two of the training settings (optimizer, learning rate, epochs, batch size, seed;
    a step or two along a slider from where they are, so everyone trains their own settings),
  visits two other pages of the app (whichever pages app.py registers),
  comes back to the logistic page,
with a few seconds of reading between actions. Every student finishes at least one round, so
a short smoke run still tries every kind of action. A latency is the time from sending an action
to the end of the script run it caused (the page is idle again).

"No training" latencies are those of actions that drew no progress bar and did not ask for a
training (the pages show st.progress while they train): slider moves and plain page visits.
Errors are exceptions a page showed, protocol failures (a broken websocket, a run that never
finished, a missing page) and tracebacks in the server's log.

The last line is one JSON object:
  {"sessions", "minutes", "actions", "errors", "p50_ms", "p95_ms", "p95_no_training_ms",
   "rss_start_mb", "rss_peak_mb", "rss_after_first_minute_mb", "rss_end_mb", ...}
RSS is the server process's resident memory: at start (before any session), the peak, one
minute into the scenario (null for runs shorter than that), and at the end of the soak.
A smoke run: python bench/lecture_load.py --sessions 3 --minutes 0.3
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))

from app_server import running_app  # noqa: E402
from st_client import ProtocolError, Run, Session  # noqa: E402

PAGE = "logistic"  # the page the lecturer links to (its url path)
LINK = "epochs=1000&lr=0.01"  # the lecturer's link: the query string of the shared URL
MANUAL = ("logistic.w0", "logistic.w1", "logistic.w2")
TRAINING = ("logistic.opt", "logistic.lr", "logistic.epochs", "logistic.batch",
            "logistic.iseed")
TRAINING_KINDS = ("open", "train", "back")  # actions that ask a training page for its result
ACTION_TIMEOUT = 300  # seconds for one action's script run
MAX_REOPENS = 3  # per student, after a protocol failure


def rss_mb(process: psutil.Process) -> float:
    total = 0
    for p in [process, *process.children(recursive=True)]:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total / 1e6


class Record:
    """Every action's kind, latency and outcome, and the server's memory over time."""

    def __init__(self):
        self.actions: list[tuple[str, float, bool]] = []  # (kind, seconds, may_train)
        self.visits: dict[str, list[float]] = {}  # page -> seconds of the visits to it
        self.errors: list[str] = []
        self.rss: list[tuple[float, float]] = []  # (seconds since the start, MB)
        self.started = time.monotonic()
        self.finished: list[float] = []  # seconds since the start, per action

    def add(self, kind: str, run: Run, page: str | None = None) -> None:
        self.actions.append((kind, run.seconds, run.progress or kind in TRAINING_KINDS))
        self.finished.append(time.monotonic() - self.started)
        if page is not None:
            self.visits.setdefault(page or "home", []).append(run.seconds)
        if run.status != "ok" or run.exceptions or run.page_not_found:
            self.errors.append(f"{kind}: {run.status} {run.exceptions[:1]} "
                               f"{'page not found' if run.page_not_found else ''}".strip())


async def student(number: int, url: str, deadline: float, record: Record, think: tuple):
    rng = random.Random(number)
    reopens = 0
    while time.monotonic() < deadline and reopens <= MAX_REOPENS:
        try:
            async with Session(url, timeout=ACTION_TIMEOUT) as tab:
                record.add("open", await tab.open(PAGE, LINK))
                await lesson(tab, rng, None, record, think)  # at least one whole round
                while time.monotonic() < deadline:
                    await lesson(tab, rng, deadline, record, think)
            return
        except (ProtocolError, OSError, asyncio.TimeoutError, KeyError, ValueError) as error:
            record.errors.append(f"student {number}: {type(error).__name__}: {error}")
            reopens += 1


async def lesson(tab: Session, rng: random.Random, deadline: float | None, record: Record,
                 think: tuple) -> None:
    """One round of a student's loop; stops between actions once the deadline (if any) is up."""
    def time_is_up():
        return deadline is not None and time.monotonic() >= deadline

    async def act(kind, action, page=None):
        if time_is_up():
            return False
        await asyncio.sleep(rng.uniform(*think))
        if time_is_up():
            return False
        record.add(kind, await action(), page)
        return True

    for key in rng.sample(MANUAL, 2):
        proto = tab.widget(key).proto
        steps = int(round((proto.max - proto.min) / proto.step))
        value = round(proto.min + rng.randint(0, steps) * proto.step, 6)
        if not await act("slider", lambda: tab.set(key, value)):
            return
    for key in rng.sample(TRAINING, 2):
        if key.endswith("iseed"):
            value = rng.randint(0, 99_999)
            action = lambda: tab.set(key, value)  # noqa: E731
        else:
            options = tab.options(key)
            here = options.index(str(tab.value(key)))
            there = min(len(options) - 1, max(0, here + rng.choice((-2, -1, 1, 2))))
            action = lambda: tab.choose(key, there)  # noqa: E731
        if not await act("train", action):
            return
    others = [path for path in tab.pages if path != PAGE]
    for path in rng.sample(others, min(2, len(others))):
        if not await act("visit", lambda: tab.goto(path), path):
            return
    await act("back", lambda: tab.goto(PAGE), PAGE)


async def sample_memory(process: psutil.Process, record: Record, started: float, stop):
    while not stop.is_set():
        record.rss.append((time.monotonic() - started, rss_mb(process)))
        try:
            await asyncio.wait_for(stop.wait(), 0.5)
        except asyncio.TimeoutError:
            pass


async def lecture(url: str, process: psutil.Process, sessions: int, minutes: float,
                  think: tuple, record: Record) -> dict:
    started = time.monotonic()
    deadline = started + minutes * 60
    stop = asyncio.Event()
    sampler = asyncio.create_task(sample_memory(process, record, started, stop))
    students = [asyncio.create_task(student(i, url, deadline, record, think))
                for i in range(sessions)]
    # Every student stops by themselves after their current action; this bound is for a hang.
    done, pending = await asyncio.wait(students, timeout=minutes * 60 + ACTION_TIMEOUT + 60)
    for task in pending:
        task.cancel()
        record.errors.append("a student did not stop in time")
    for task in done:
        if task.exception() is not None:
            record.errors.append(f"a student failed: {task.exception()!r}")
    end_rss = rss_mb(process)
    stop.set()
    await sampler
    return {"rss_end_mb": end_rss, "seconds": time.monotonic() - started}


def percentile(values, q):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def ms(seconds):
    return None if seconds is None else round(seconds * 1000)


def by_minute(record: Record) -> list[dict]:
    """Latencies of the actions that trained nothing, by the minute they ended in: a warm-up
    (first imports, first models) shows as slow early minutes, a steady problem in all."""
    minutes: dict[int, list[float]] = {}
    for (_, seconds, may_train), end in zip(record.actions, record.finished):
        if not may_train:
            minutes.setdefault(int(end // 60), []).append(seconds)
    return [{"minute": m, "n": len(v), "p50_ms": ms(percentile(v, 50)),
             "p95_ms": ms(percentile(v, 95))} for m, v in sorted(minutes.items())]


def summary(args, record: Record, start_rss: float, end: dict, log_errors: list[str],
            client_cpu: float, load: tuple) -> dict:
    latencies = [s for _, s, _ in record.actions]
    calm = [s for _, s, may_train in record.actions if not may_train]
    first_minute = [mb for t, mb in record.rss if t >= 60]
    kinds = {}
    for kind in ("open", "slider", "train", "visit", "back"):
        values = [s for k, s, _ in record.actions if k == kind]
        kinds[kind] = {"n": len(values), "p50_ms": ms(percentile(values, 50)),
                       "p95_ms": ms(percentile(values, 95))}
    return {
        "sessions": args.sessions, "minutes": args.minutes,
        "actions": len(record.actions), "errors": len(record.errors) + len(log_errors),
        "p50_ms": ms(percentile(latencies, 50)), "p95_ms": ms(percentile(latencies, 95)),
        "p95_no_training_ms": ms(percentile(calm, 95)),
        "rss_start_mb": round(start_rss),
        "rss_peak_mb": round(max([mb for _, mb in record.rss] + [end["rss_end_mb"]])),
        "rss_after_first_minute_mb": round(first_minute[0]) if first_minute else None,
        "rss_end_mb": round(end["rss_end_mb"]),
        "by_kind": kinds,
        "visits_by_page": {page: {"n": len(values), "p50_ms": ms(percentile(values, 50)),
                                  "p95_ms": ms(percentile(values, 95))}
                           for page, values in sorted(record.visits.items())},
        "by_minute": by_minute(record),
        "client_cpu_s": round(client_cpu, 1),
        "load_avg_start": load[0], "load_avg_end": load[1],
    }


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=30, help="students (S)")
    parser.add_argument("--minutes", type=float, default=5.0, help="length of the soak (T)")
    parser.add_argument("--think", type=float, nargs=2, default=(1.0, 4.0),
                        metavar=("MIN", "MAX"), help="seconds of reading between actions")
    args = parser.parse_args(argv)
    if args.sessions < 1 or args.minutes <= 0:
        parser.error("--sessions must be at least 1 and --minutes above 0")

    with tempfile.TemporaryDirectory() as folder:
        log_path = Path(folder) / "streamlit.log"
        with open(log_path, "w") as log, running_app(log) as (url, server):
            process = psutil.Process(server.pid)
            start_rss = rss_mb(process)
            load_start = round(os.getloadavg()[0], 2)
            cpu_before = time.process_time()
            record = Record()
            end = asyncio.run(lecture(url, process, args.sessions, args.minutes,
                                      tuple(args.think), record))
            client_cpu = time.process_time() - cpu_before
            load_end = round(os.getloadavg()[0], 2)
        text = log_path.read_text(errors="replace")
    log_errors = [line for line in text.splitlines() if line.startswith("Traceback")]

    for error in (record.errors + log_errors)[:20]:
        print("error:", error)
    result = summary(args, record, start_rss, end, log_errors, client_cpu,
                     (load_start, load_end))
    for figures in result["by_minute"]:
        print(f"minute {figures['minute']}: {figures['n']} actions that trained nothing, "
              f"p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms")
    for kind, figures in [*result["by_kind"].items(), *result["visits_by_page"].items()]:
        print(f"{kind:>15}: {figures['n']:5d} actions, p50 {figures['p50_ms']} ms, "
              f"p95 {figures['p95_ms']} ms")
    print(f"server RSS (MB) every 30 s: "
          f"{[round(mb) for t, mb in record.rss[::60]]}; load average {load_start} -> {load_end}")
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
