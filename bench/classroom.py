"""A live class on one app process: one lecturer and S students over the real websocket.

    python bench/classroom.py [--students 60] [--minutes 3] [--log server.log]

Starts the app (`streamlit run app.py` on a free loopback port, in-process class store) and
drives it with S + 1 tabs that speak Streamlit's own protocol (bench/st_client.py). The
lecturer starts a class on the sigmoid page; the students open the join link and join. Each
tab runs its timed fragments on their timers, as a browser does (the students' follow poll,
the lecturer's publishing and live counts). For the given minutes (D seconds):
  the lecturer moves the slider a every 5 s, switches to the cross-entropy page at 0.28·D and
    back at 0.36·D, and asks 3 of the page's exercises (a prediction, a number, a "set it
    on the page" one) at 0.05·D, 0.42·D and 0.68·D, reads the live count, reveals the answer
    and takes the question down;
  every student follows, answers each question once (checked on the server), and every sixth
    student explores on their own at 0.15·D (moves the slider) and follows again at 0.5·D;
  the last 0.07·D is quiet: the lecturer changes nothing while everybody polls.

A follow delay is the time from the lecturer's action to the moment a following student's page
shows the lecturer's page and settings (address and page as the tab holds them); the JSON also
splits them by kind (a slider move, a page switch) and gives the question delays apart: from
the lecturer's "ask" to the moment a student's page shows the answer box. "No training"
latencies are those of every action (nothing here trains); the timers' runs are given apart
(poll_p95_ms), since a following student's poll waits for the lecturer by design. The cost per
follower is the server's CPU time per poll in the quiet phase; the CPU seconds of the server
and of this client (which shares the machine) show where the time went. Errors: exceptions a page
showed, protocol failures, tracebacks in the server's log (told by their exception), views a
following student never reached, and answers sent but not counted.

The last line is one JSON object:
  {"students", "minutes", "follow_delay_p50_ms", "follow_delay_p95_ms", "answers_sent",
   "answers_counted", "errors", "p95_no_training_ms", "rss_growth_mb", ...}
A small run: python bench/classroom.py --students 5 --minutes 0.34
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qsl

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))

from app_server import running_app  # noqa: E402
from lecture_load import ms, percentile  # noqa: E402
from st_client import ProtocolError, Session  # noqa: E402

PAGE, OTHER = "sigmoid", "cross_entropy"
SLIDER = "sigmoid.a"
VALUES = (2.0, -1.5, 3.0, 0.5, -3.0, 1.0)  # the lecturer's slider positions, in turn
# (exercise id, its place in the page's list, how a student answers it)
QUESTIONS = (("sigmoid.scale", 2, "choice"), ("sigmoid.zero", 0, "number"),
             ("sigmoid.sharp", 3, "page"))
PRIVATE = {"lang", "lecture", "join"}  # a tab's own settings, never taken over
POLL_S = 1.0
TIMEOUT = 120


def _shared(query: str) -> dict:
    return {k: v for k, v in parse_qsl(query) if k not in PRIVATE}


class Class:
    """What the lecturer has done so far and what every tab measured."""

    def __init__(self, students: int):
        self.target = None  # (page hash, shared settings, time sent, kind)
        self.question = None  # (exercise id, how to answer, time asked) while it is open
        self.delays: list[float] = []
        self.by_kind: dict[str, list[float]] = {"slider": [], "page": [], "question": []}
        self.missed = 0  # views a following student never reached
        self.latencies: list[float] = []
        self.poll_latencies: list[float] = []
        self.errors: list[str] = []
        self.sent = 0
        self.counted = 0
        self.polls = 0
        self.stop = False
        self.students = students

    def ran(self, runs, who: str, timer: bool = False) -> None:
        for run in runs if isinstance(runs, list) else [runs]:
            (self.poll_latencies if timer else self.latencies).append(run.seconds)
            self.errors += [f"{who}: {e}" for e in run.exceptions]


def _code(tab: Session) -> str:
    html = " ".join(e.proto.body for e in tab.of_kind("html"))
    found = re.search(r'class="class-code"[^>]*>([A-Z2-9]{6})<', html)
    if found is None:
        raise ProtocolError("no join code on the lecturer's page")
    return found.group(1)


async def _lecturer(url: str, lesson: Class, seconds: float, joined: asyncio.Event,
                    code_box: list) -> None:
    async with Session(url, timeout=TIMEOUT) as tab:
        lesson.ran(await tab.open(PAGE, "lang=en"), "lecturer")
        lesson.ran(await tab.click("classroom_start"), "lecturer")
        code_box.append(_code(tab))
        joined.set()
        started = time.monotonic()
        plan = _plan(seconds)
        slider_at, value = 5.0, 0

        async def act(action):
            sent = time.monotonic()
            lesson.ran(await action, "lecturer")
            return sent

        while (now := time.monotonic() - started) < seconds:
            if plan and now >= plan[0][0]:
                _, kind, argument = plan.pop(0)
                if kind == "goto":
                    sent = await act(tab.goto(argument))
                    lesson.target = (tab.page_hash, _shared(tab.query), sent, "page")
                elif kind == "ask":
                    exercise, index, how = argument
                    await act(tab.choose(f"class.ask.{PAGE}", index))
                    sent = await act(tab.click(f"class.ask_button.{PAGE}"))
                    lesson.question = (exercise, how, sent)
                elif kind == "reveal":
                    lesson.ran(await tab.tick(), "lecturer", timer=True)
                    lesson.counted += int(tab.metric("Answers"))
                    await act(tab.click("class.reveal"))
                elif kind == "close":
                    lesson.question = None
                    await act(tab.click("class.close"))
            elif now >= slider_at and tab.page_hash == tab.pages.get(PAGE) \
                    and now < seconds * 0.9:
                slider_at += 5.0
                sent = await act(tab.set(SLIDER, VALUES[value % len(VALUES)]))
                value += 1
                lesson.target = (tab.page_hash, _shared(tab.query), sent, "slider")
            lesson.ran(await tab.tick(), "lecturer", timer=True)  # publishes, reads the counts
            await asyncio.sleep(max(0.0, POLL_S - (time.monotonic() - started - now)))
        lesson.stop = True


def _plan(seconds: float) -> list:
    """(time, kind, argument) of the lecturer's actions besides the slider."""
    plan = [(0.28 * seconds, "goto", OTHER), (0.36 * seconds, "goto", PAGE)]
    for start, question in zip((0.05, 0.42, 0.68), QUESTIONS):
        plan += [(start * seconds, "ask", question), ((start + 0.18) * seconds, "reveal", None),
                 ((start + 0.22) * seconds, "close", None)]
    return sorted(plan, key=lambda step: step[0])


async def _student(number: int, url: str, code: str, lesson: Class, seconds: float) -> None:
    explorer = number % 6 == 0
    async with Session(url, timeout=TIMEOUT) as tab:
        who = f"student {number}"
        lesson.ran(await tab.open("", f"lang=en&join={code}"), who)
        lesson.ran(await tab.click_label("Join the class"), who)
        started, answered, seen_asked, reached = time.monotonic(), set(), set(), None
        exploring = False
        while not lesson.stop:
            now = time.monotonic() - started
            lesson.ran(await tab.tick(), who, timer=True)
            lesson.polls += 1
            target = lesson.target
            if target is not None and reached is not target:
                if (tab.page_hash, _shared(tab.query)) == target[:2]:
                    if not exploring:
                        lesson.delays.append(time.monotonic() - target[2])
                        lesson.by_kind[target[3]].append(lesson.delays[-1])
                    reached = target
            question = lesson.question
            if question is not None and question[0] not in answered:
                if question[0] not in seen_asked and f"class.send.{question[0]}" \
                        in tab.widget_keys():
                    seen_asked.add(question[0])  # the answer box is on this tab's page
                    lesson.by_kind["question"].append(time.monotonic() - question[2])
                if await _answer(tab, question, lesson, who):
                    answered.add(question[0])
            if explorer and not exploring and 0.15 * seconds <= now < 0.5 * seconds \
                    and tab.page_hash == tab.pages.get(PAGE):
                exploring = True
                # A value the lecturer never sets: the student's page differs from the view.
                lesson.ran(await tab.set(SLIDER, -3.75 + number % 5), who)
            elif exploring and now >= 0.5 * seconds:
                exploring = False
                if "classroom_follow" not in tab.widget_keys():  # the page shows "following"
                    lesson.errors.append(f"{who}: changed a setting, yet still following")
                    continue
                lesson.ran(await tab.click("classroom_follow"), who)
                reached = None  # the lecturer's current view must arrive again
            await asyncio.sleep(max(0.0, POLL_S - (time.monotonic() - started - now)))
        if reached is not lesson.target and not exploring:
            lesson.missed += 1


async def _answer(tab: Session, question, lesson: Class, who: str) -> bool:
    exercise, how, _ = question
    send = f"class.send.{exercise}"
    if send not in tab.widget_keys():
        return False  # not on this page yet (or the box comes with the next poll)
    if how == "choice":
        lesson.ran(await tab.choose(f"class.answer.{exercise}", 1), who)
    elif how == "number":
        lesson.ran(await tab.set(f"class.answer.{exercise}", 0.5), who)
    lesson.ran(await tab.click(send), who)
    if any("Your answer has been sent" in text for text in tab.texts("alert")):
        lesson.sent += 1
        return True
    lesson.errors.append(f"{who}: the answer to {exercise} was not taken: {tab.texts('alert')}")
    return True


async def _quiet_cost(process: psutil.Process, lesson: Class, seconds: float) -> float:
    """Server CPU ms per poll over the quiet end of the class (nothing changes)."""
    await asyncio.sleep(seconds * 0.93)
    cpu, polls = process.cpu_times(), lesson.polls
    while not lesson.stop:
        await asyncio.sleep(0.2)
    spent = sum(process.cpu_times()[:2]) - sum(cpu[:2])
    return 1000 * spent / max(1, lesson.polls - polls)


async def run_class(url: str, process: psutil.Process, students: int, minutes: float) -> dict:
    lesson, seconds = Class(students), minutes * 60
    joined, code_box = asyncio.Event(), []
    lecturer = asyncio.create_task(_lecturer(url, lesson, seconds, joined, code_box))
    await asyncio.wait_for(joined.wait(), TIMEOUT)
    rss_start = psutil.Process(process.pid).memory_info().rss / 1e6
    tasks = []
    for number in range(students):
        tasks.append(asyncio.create_task(_student(number, url, code_box[0], lesson, seconds)))
        await asyncio.sleep(min(0.2, seconds * 0.03 / max(1, students)))  # a room, not a burst
    cost = asyncio.create_task(_quiet_cost(process, lesson, seconds))
    for task in [lecturer, *tasks]:
        try:
            await task
        except Exception as error:  # a broken tab is an error of the run, not of the bench
            lesson.stop = True
            lesson.errors.append(f"a tab failed: {error!r}")
    poll_cpu_ms = await cost
    return {"lesson": lesson, "rss_start": rss_start, "poll_cpu_ms": poll_cpu_ms,
            "rss_end": psutil.Process(process.pid).memory_info().rss / 1e6}


def _tracebacks(text: str) -> list[str]:
    """Each traceback in the server's log, told by its last line (the exception)."""
    found, lines = [], text.splitlines()
    for start, line in enumerate(lines):
        if line.startswith("Traceback"):
            end = next((i for i in range(start + 1, len(lines))
                        if lines[i] and not lines[i].startswith(" ")), len(lines) - 1)
            found.append(f"traceback in the server's log: {lines[end][:300]}")
    return found


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=60)
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--log", help="keep the server's log in this file (else it is deleted)")
    args = parser.parse_args(argv)
    os.environ.pop("REDIS_URL", None)  # the embedded store: one process, as `streamlit run`
    with (open(args.log, "w+") if args.log else tempfile.NamedTemporaryFile("w+", suffix=".log")) \
            as log:
        with running_app(log) as (url, server):
            server_process, client_process = psutil.Process(server.pid), psutil.Process()
            server_cpu, client_cpu = server_process.cpu_times(), client_process.cpu_times()
            outcome = asyncio.run(run_class(url, server_process, args.students, args.minutes))
            server_cpu = sum(server_process.cpu_times()[:2]) - sum(server_cpu[:2])
            client_cpu = sum(client_process.cpu_times()[:2]) - sum(client_cpu[:2])
        log.seek(0)
        tracebacks = _tracebacks(log.read())
    lesson = outcome["lesson"]
    errors = lesson.errors + tracebacks
    errors += [f"{lesson.missed} students never reached the lecturer's last view"] \
        if lesson.missed else []
    errors += [f"{lesson.sent} answers sent, {lesson.counted} counted"] \
        if lesson.sent != lesson.counted else []
    for line in errors[:20]:
        print("error:", line)
    result = {
        "students": args.students, "minutes": args.minutes,
        "follow_delay_p50_ms": ms(percentile(lesson.delays, 50)),
        "follow_delay_p95_ms": ms(percentile(lesson.delays, 95)),
        "answers_sent": lesson.sent, "answers_counted": lesson.counted,
        "errors": len(errors),
        "p95_no_training_ms": ms(percentile(lesson.latencies, 95)),
        "poll_p95_ms": ms(percentile(lesson.poll_latencies, 95)),
        "rss_growth_mb": round(outcome["rss_end"] - outcome["rss_start"], 1),
        "follows_measured": len(lesson.delays), "polls": lesson.polls,
        **{f"{kind}_delay_{name}_ms": ms(percentile(values, q))
           for kind, values in lesson.by_kind.items() for name, q in (("p50", 50), ("p95", 95))},
        **{f"{kind}_delays": len(values) for kind, values in lesson.by_kind.items()},
        "poll_server_cpu_ms": round(outcome["poll_cpu_ms"], 2),
        "server_cpu_s": round(server_cpu, 1), "client_cpu_s": round(client_cpu, 1),
    }
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
