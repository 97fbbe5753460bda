"""A student's exercise progress, kept in their own browser: a cookie, never the URL.

The server reads it once per session from the cookies the browser sent when it connected
(st.context.cookies: present on the very first run, no round trip) and writes it back with a
line of script after every change. What comes back from a browser is untrusted: it is decoded
and validated against the known exercises (lib.core.exercises.base.decode). The same cookie
holds nothing else; a second one holds a random per-browser id that seeds the student's
variants, so neighbours get different numbers and a reload keeps one's own.
"""
from __future__ import annotations

import secrets

import streamlit as st

from lib.core import exercises as registry
from lib.core.exercises import base

COOKIE = "mlab_progress"
ID_COOKIE = "mlab_browser"
MAX_AGE = 365 * 24 * 3600  # a school year and more
_PROGRESS = "_exercises.progress"
_BROWSER = "_exercises.browser"

# Fixed markup; the values are base64url text and hex digits we produced, never user text.
_WRITE = """<script>
document.cookie = "{name}={value}; path=/; max-age={age}; SameSite=Lax";
document.cookie = "{id_name}={id}; path=/; max-age={age}; SameSite=Lax";
</script>"""


def _cookie(name: str):
    try:
        return st.context.cookies.get(name)
    except Exception:  # no browser connection (AppTest, scripts)
        return None


def progress() -> dict:
    """{exercise id: (state, locked choice)} of this browser."""
    if _PROGRESS not in st.session_state:
        st.session_state[_PROGRESS] = base.decode(_cookie(COOKIE), registry.ALL)
    return st.session_state[_PROGRESS]


def record(exercise, state: str, choice: str = "") -> None:
    st.session_state[_PROGRESS] = base.record(progress(), exercise, state, choice)


def browser_id() -> str:
    """The per-browser seed of the variants: the cookie's if valid, else a new random one."""
    if _BROWSER not in st.session_state:
        stored = _cookie(ID_COOKIE)
        st.session_state[_BROWSER] = stored if base.valid_browser_id(stored) else \
            secrets.token_hex(8)
    return st.session_state[_BROWSER]


def persist() -> None:
    """Write the progress and the id back to the browser (an invisible element)."""
    value = base.encode(progress())
    assert all(c.isalnum() or c in "-_" for c in value)  # base64url: safe inside the script
    st.html(_WRITE.format(name=COOKIE, value=value, id_name=ID_COOKIE, id=browser_id(),
                          age=MAX_AGE), unsafe_allow_javascript=True)
