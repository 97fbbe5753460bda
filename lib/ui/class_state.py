"""What every classroom module shares: the store, this session's role in a class, its errors.

A session in a class keeps one dict under _SESSION: role ("lecturer" or "student"), code, and
the lecturer's secret or the student's member id. Nothing else in it is trusted by the store.
"""
from __future__ import annotations

import os
import threading
from contextlib import contextmanager

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from lib.core.classroom import kv as backends
from lib.core.classroom.store import ClassroomError, ClassStore
from lib.core.classroom.turns import Turns
from lib.core.classroom.watch import Watch
from lib.ui.i18n import t

_SESSION = "_classroom"


@st.cache_resource
def store() -> ClassStore:
    """Redis when REDIS_URL is set (several replicas share a class), else this process."""
    url = os.environ.get("REDIS_URL")
    # What the lecturer publishes here wakes this process's followers at once (watch()).
    return ClassStore(backends.RedisKV.from_url(url) if url else backends.MemoryKV(),
                      on_change=lambda code: watch().poke(code))


@st.cache_resource
def watch() -> Watch:
    """Followers wait here for the lecturer's next change (lib/core/classroom/watch.py)."""
    return Watch(lambda code: store().pulse(code))


@st.cache_resource
def _turns() -> Turns:
    return Turns()


_held = threading.local()  # this script thread holds the turn (each session runs in its own)


@contextmanager
def in_turn(timeout: float):
    """Run the block in turn with the class's other followers (at most timeout's wait; then
    out of turn)."""
    _held.turns = _turns().acquire(timeout)
    try:
        yield
    finally:
        leave_turn()


def leave_turn() -> None:
    """A run that waits for something else (a training) lets the next follower go first."""
    if getattr(_held, "turns", False):
        _held.turns = False
        _turns().release()


def fragment_run() -> bool:
    """True in a fragment's own run (a timer's tick), False in the page's full run."""
    return bool(getattr(get_script_run_ctx(), "fragment_ids_this_run", None))


def request_waiting() -> bool:
    """True when this session has something else to run (a click, a closed tab, its next
    tick): a follower's wait gives way to it at once. Reads Streamlit's own request state
    (its version is pinned); where that cannot be read, it says True and nobody waits."""
    requests = getattr(get_script_run_ctx(), "script_requests", None)
    state = getattr(requests, "_state", None)
    return getattr(state, "name", None) != "CONTINUE"


def session() -> dict | None:
    return st.session_state.get(_SESSION)


def begin(values: dict) -> None:
    st.session_state[_SESSION] = values


def leave() -> None:
    st.session_state.pop(_SESSION, None)


def lecturer() -> dict | None:
    """This session's class if it leads it."""
    current = session()
    return current if current is not None and current["role"] == "lecturer" else None


def student() -> dict | None:
    current = session()
    return current if current is not None and current["role"] == "student" else None


def variant_seed() -> str | None:
    """In a class everybody gets the same numbers of an exercise, so answers can be compared."""
    current = session()
    return f"class:{current['code']}" if current is not None else None


def show_error(error: ClassroomError) -> None:
    st.error(t(f"classroom.error_{error.reason}"))
