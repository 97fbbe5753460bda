"""A following student's poll waits for the lecturer (lib/core/classroom/watch.py): it returns
as soon as the class moves, gives way when the session has other work, and the whole process
reads the store once per interval for a class, however many wait.
"""
from __future__ import annotations

import asyncio
import sys
import threading
import time
from types import SimpleNamespace

from streamlit.runtime.scriptrunner_utils.script_requests import RerunData, ScriptRequests

from conftest import ROOT, run_async
from lib.core.classroom.watch import Watch
from lib.core.exercises import sigmoid as sigmoid_exercises
from lib.core.exercises.base import Attempt
from lib.ui import class_state

sys.path.insert(0, str(ROOT / "bench"))
from st_client import Session  # noqa: E402


class Pulses:
    """A store's pulse per class, counting the reads."""

    def __init__(self):
        self.values, self.reads = {"ABC234": 1}, 0

    def __call__(self, code):
        self.reads += 1
        return self.values[code]


def test_a_poke_wakes_the_waiter_with_the_change():
    pulses = Pulses()
    watch, outcome = Watch(pulses, every=60.0), []  # no second read but the poke's
    waiter = threading.Thread(target=lambda: outcome.append(watch.wait("ABC234", 1, 60.0)))
    waiter.start()
    while pulses.reads == 0:
        time.sleep(0.001)
    pulses.values["ABC234"] = 2
    watch.poke("ABC234")
    waiter.join(30)
    assert outcome == [True] and pulses.reads == 2


def test_a_change_from_another_process_is_read_on_the_next_interval():
    pulses = Pulses()
    watch = Watch(pulses, every=0.01)
    threading.Timer(0.05, lambda: pulses.values.update(ABC234=2)).start()  # nobody pokes
    assert watch.wait("ABC234", 1, 60.0)


def test_no_change_ends_the_wait_at_its_timeout():
    assert Watch(Pulses(), every=0.01).wait("ABC234", 1, 0.05) is False


def test_a_known_change_returns_at_once_and_other_work_ends_the_wait():
    watch = Watch(Pulses(), every=60.0)
    assert watch.wait("ABC234", 0, 60.0)  # the pulse moved before the wait began
    assert watch.wait("ABC234", 1, 60.0, interrupted=lambda: True) is False


def test_many_waiters_share_one_read_per_interval():
    pulses, waiters = Pulses(), 40
    watch = Watch(pulses, every=0.05)
    threads = [threading.Thread(target=watch.wait, args=("ABC234", 1, 0.5))
               for _ in range(waiters)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    # About ten intervals: one read each, not one per waiter per interval (40 × 10).
    assert pulses.reads <= 20


def test_other_work_is_read_from_streamlits_own_requests(monkeypatch):
    """A pending click or tick is seen (this reads Streamlit's request state: its pinned
    version is checked here), and outside a script run nobody waits."""
    requests = ScriptRequests()
    context = SimpleNamespace(script_requests=requests, fragment_ids_this_run=["f1"])
    monkeypatch.setattr(class_state, "get_script_run_ctx", lambda: context)
    assert not class_state.request_waiting() and class_state.fragment_run()
    requests.request_rerun(RerunData(fragment_id="f2"))  # another fragment's click
    assert class_state.request_waiting()
    monkeypatch.setattr(class_state, "get_script_run_ctx", lambda: None)
    assert class_state.request_waiting() and not class_state.fragment_run()


async def _class_of_one(lecturer: Session, student: Session) -> None:
    """The lecturer starts a class on the sigmoid page; the student joins and follows."""
    await lecturer.open("sigmoid", "lang=en")
    await lecturer.click("classroom_start")
    html = " ".join(e.proto.body for e in lecturer.of_kind("html"))
    code = html.split('class="class-code"', 1)[1].split(">", 1)[1][:6]
    await student.open("", f"lang=en&join={code}")
    await student.click_label("Join the class")
    await lecturer.tick()  # publishes the view
    await student.tick()
    assert student.page_hash == lecturer.page_hash  # the student follows


async def _poll_in_flight_brings_the_change(url: str) -> None:
    async with Session(url) as lecturer, Session(url) as student:
        await _class_of_one(lecturer, student)
        poll = asyncio.create_task(student.tick())
        await asyncio.sleep(0.3)  # the poll is waiting for the lecturer
        await lecturer.set("sigmoid.a", 2.5)
        await lecturer.tick()
        await poll
        # The poll that was in flight brought the change; it did not wait for the next one.
        assert student.value("sigmoid.a") == 2.5 and "a=2.5" in student.query


def test_the_poll_in_flight_brings_the_lecturers_change(app_url):
    run_async(_poll_in_flight_brings_the_change(app_url))


async def _answer_from_the_page(url: str) -> list[str]:
    async with Session(url) as lecturer, Session(url) as student:
        await _class_of_one(lecturer, student)
        await lecturer.choose("class.ask.sigmoid", 3)  # "sigmoid.sharp": set it on the page
        await lecturer.click("class.ask_button.sigmoid")
        await student.tick()  # the answer box appears
        assert "class.send.sigmoid.sharp" in student.widget_keys()
        # The plane's sliders rerun only their fragment, not the page (and its answer box).
        for name, value in SHARP.items():
            await student.set(f"sigmoid.{name}", value)
        await student.click("class.send.sigmoid.sharp")
        return student.texts("alert")


SHARP = {"w0": -25.2, "w1": 0.8, "w2": 0.9}  # steep, between the two clouds' centres


def test_an_answer_set_on_the_page_reads_what_the_page_shows_now(app_url):
    """The answer box, a fragment, checks the settings the page's own fragments changed since
    the page last ran in full."""
    assert sigmoid_exercises.check_sharp(Attempt(SHARP, {}, None, {})).solved  # the reference
    alerts = run_async(_answer_from_the_page(app_url))
    assert "Your answer has been sent: solved" in alerts, alerts
