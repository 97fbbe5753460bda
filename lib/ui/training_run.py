"""A page's training run: the one place that shows its progress, its place in the queue and
what came of it (waited, shared, replaced, diverged, capped, failed).

A view hands `train` a function that starts its lesson's run with an engine Caller:

    run = training_run.train(lambda caller: logistic.run(points, ..., caller=caller))
    if run is None:
        return  # replaced by a newer request, or failed: the message is shown already

The engine knows the session only as an opaque owner id, given here, and whether its browser is
still connected (a closed tab's waiting training leaves the queue). While the request waits,
the engine calls back with its place at least every HEARTBEAT seconds; each call is a
Streamlit call, where a rerun of the page (a new slider value) stops the waiting script.
"""
from __future__ import annotations

import time

import streamlit as st
from streamlit.runtime import Runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

from lib.core.datasets import DataError
from lib.core import requests
from lib.engine.mnist import Run as MnistRun
from lib.engine import jobs
from lib.engine.scheduler import Caller, Outcome, Wait
from lib.ui.class_state import leave_turn
from lib.ui.common import literal
from lib.ui.i18n import t

REFRESH = 0.2  # seconds between two progress updates sent to the browser


def owner() -> str | None:
    """This session's id: the engine's owner of the request (None outside a served page)."""
    ctx = get_script_run_ctx()
    return None if ctx is None else ctx.session_id


def page_alive(session_id: str | None):
    """alive() for the engine: whether this session's browser is still connected. A closed tab
    (or a dropped websocket) makes its waiting training leave the queue. Outside a served app
    (AppTest, scripts) there is no runtime, and the page counts as there."""
    def alive() -> bool:
        if session_id is None or not Runtime.exists():
            return True
        return Runtime.instance().is_active_session(session_id)

    return alive


class _Bar:
    """The progress bar, which also tells the place in the queue while the request waits."""

    def __init__(self):
        first = not jobs.ready()  # the first training of the server loads TensorFlow
        self._bar = st.progress(0.0, text=t("train.loading_tf") if first else t("train.running"))
        self._shown = 0.0

    def progress(self, share: float, text: str | None = None) -> None:
        now = time.monotonic()
        if now - self._shown < REFRESH and share < 1:
            return
        self._shown = now
        self._bar.progress(min(1.0, max(0.0, float(share))), text=text or t("train.running"))

    def wait(self, status: Wait) -> None:
        if status.shared or status.place == 0:
            text = t("train.shared_wait")
        else:
            text = t("train.queue_place_heavy" if status.heavy else "train.queue_place",
                     place=status.place)
        self._bar.progress(0.0, text=text)

    def empty(self) -> None:
        self._bar.empty()


def train(start, diverged_hint: str = ""):
    """start(caller) -> the lesson's run, or None when replaced. Returns the run to show, or
    None (replaced or failed, said on the page). A DataError is the page's to explain."""
    bar = _Bar()
    session = owner()

    def waiting(report):  # a class's next follower need not wait for this training
        def call(*args, **kwargs):
            leave_turn()
            return report(*args, **kwargs)
        return call

    caller = Caller(owner=session, progress=waiting(bar.progress), on_wait=waiting(bar.wait),
                    alive=page_alive(session))
    try:
        run = start(caller)
    except DataError:
        bar.empty()
        raise
    except Exception as error:  # a failed training costs this section, not the page
        bar.empty()
        st.error(t("train.failed", error=literal(_describe(error))), icon="🛑")
        return None
    bar.empty()
    outcome = caller.outcome or Outcome()
    if outcome.replaced or run is None:
        st.info(t("train.replaced"), icon="🔁")
        return None
    messages(run, outcome, diverged_hint)
    return run


def messages(run, outcome: Outcome, diverged_hint: str = "") -> None:
    """How the run was served and how it ended, in the user's language."""
    if outcome.waited:
        st.info(t("train.waited"), icon="⏳")
    if outcome.shared:
        st.info(t("train.shared_done"), icon="🤝")
    result = getattr(run, "result", run)  # a lesson's run carries the engine's result
    if isinstance(result, MnistRun):
        if result.diverged:
            st.error(t("mnist.diverged", epoch=result.epochs_done + 1), icon="💥")
        if result.capped:
            settings = result.settings
            st.warning(t("mnist.capped", cost=settings.cost(result.n_train),
                         budget=requests.MNIST_BUDGET, allowed=result.epochs_allowed,
                         epochs=settings.epochs), icon="✂️")
        return
    if result.diverged:
        text = t("train.diverged", epoch=result.epochs_done + 1)
        st.error(f"{text} {diverged_hint}".strip(), icon="💥")
    if result.capped:
        st.warning(t("train.capped", epochs=result.epochs_done, limit=requests.MAX_STEPS),
                   icon="✂️")


def _describe(error: BaseException) -> str:
    text = " ".join(str(error).split())
    name = type(error).__name__
    return f"{name}: {text[:200]}" if text else name
