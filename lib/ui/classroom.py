"""The live classroom in the sidebar: start a class, join it, follow the lecturer.

Streamlit cannot push from one session to another, so a student's page polls: a small fragment
reruns every FOLLOW_S seconds, reads the view's version and changes the page only when the
lecturer's view changed. A following student's poll waits for that change until its next tick
(lib/core/classroom/watch.py), so the view arrives at once rather than up to a tick later.
Nothing here runs a timer for someone who is in no class.
"""
from __future__ import annotations

import hmac
import io
import os
from contextlib import contextmanager
from urllib.parse import urlsplit

import streamlit as st

from lib.core.classroom.export import answers_csv
from lib.core.classroom.store import ClassroomError, new_secret, normalize_code
from lib.ui.class_state import leave as _leave
from lib.ui.class_state import session as _session
from lib.ui.class_state import (begin, fragment_run, in_turn, request_waiting, show_error,
                                store, watch)
from lib.ui import links
from lib.ui.pages import BY_NAME as PAGES_BY_NAME
from lib.ui.i18n import t

FOLLOW_S = 1.0          # a student's poll; a following one waits up to this for the lecturer
LECTURER_S = 0.25       # published on every run and on this timer (one session: cheap)
TURN_WAIT_S = 5.0       # a follower catching up waits its turn at most this long
PRIVATE = ("lang", "lecture", "join")  # a student's own URL settings, never taken over
_EXPORT = "_classroom_export"  # the ended class's answers, until the lecturer closes them
# A following student's poll waits for the lecturer, so the page seems to run all the time: its
# "Running... Stop" indicator would never go away. Hidden while following, and only then.
_QUIET_STATUS = '<style>[data-testid="stStatusWidget"] {visibility: hidden}</style>'
_CODE_HTML = ('<div class="class-code" style="font-size:3rem;font-weight:700;'
              'letter-spacing:0.25rem;text-align:center">{code}</div>')


def configured_secret() -> str | None:
    """The deployment's lecturer secret (st.secrets or the environment), if it has one."""
    try:
        value = st.secrets.get("CLASSROOM_SECRET")
    except Exception:  # no secrets file at all: Streamlit raises rather than returning None
        value = None
    return value or os.environ.get("CLASSROOM_SECRET") or None


def shared_params() -> dict:
    """This session's URL settings of the page, without its private ones."""
    return {k: v for k, v in st.query_params.to_dict().items() if k not in PRIVATE}


@contextmanager
def catching_up():
    """Around a full run: a student's run that takes over a new view or question, or any run
    while following (answers included), waits its turn (lib/core/classroom/turns.py): when
    the class moves together, the first are done at once and nobody is starved. The lecturer
    and anyone in no class go at once."""
    current = _session()
    catch_up = current is not None and current.pop("catch_up", False)
    following = current is not None and current["role"] == "student" and current["following"]
    if not (catch_up or following):
        yield
        return
    with in_turn(TURN_WAIT_S):
        yield


def sidebar(page, pages: dict) -> None:
    """After the page ran: the classroom panel. pages maps url_path -> st.Page."""
    session = _session()
    if session is not None:
        session["page"] = page.url_path
    with st.sidebar:
        if session is None:
            _outside(pages)
        elif session["role"] == "lecturer":
            _lecturer(session)
        else:
            _student(session, pages)


# --- someone in no class ---------------------------------------------------------------------
def _ended_class() -> None:
    """After the end: the class's anonymous answers to download, until the lecturer closes it."""
    code, text, count = st.session_state[_EXPORT]
    st.info(t("classroom.ended", code=code, count=count))
    st.download_button(t("classroom.download"), text.encode("utf-8"),
                       file_name=f"class-{code}-answers.csv", mime="text/csv",
                       key="classroom_download", icon="⬇️", type="primary")
    if st.button(t("classroom.close_export"), key="classroom_close_export"):
        del st.session_state[_EXPORT]
        st.rerun()


def _outside(pages: dict) -> None:
    if _EXPORT in st.session_state:
        with st.expander(t("classroom.title"), expanded=True):
            _ended_class()
        return
    link_code = st.query_params.get("join")
    with st.expander(t("classroom.title"), expanded=bool(link_code)):
        with st.form("classroom_join", border=False):
            code = st.text_input(t("classroom.code"), value=str(link_code or "")[:12],
                                 max_chars=12, placeholder="ABC234")
            nick = st.text_input(t("classroom.nickname"), max_chars=20,
                                 help=t("classroom.nickname_help"))
            if st.form_submit_button(t("classroom.join"), type="primary"):
                _join(code, nick, pages)
        st.caption(t("classroom.lecturer_caption"))
        configured = configured_secret()
        typed = st.text_input(t("classroom.secret"), type="password", key="classroom_secret",
                              help=t("classroom.secret_help")) if configured else None
        if st.button(t("classroom.start"), key="classroom_start"):
            if configured and not hmac.compare_digest(str(typed or ""), configured):
                st.error(t("classroom.error_not_lecturer"))
            else:
                _start(configured or new_secret(), shown=not configured)
        with st.form("classroom_resume", border=False):
            st.caption(t("classroom.resume_caption"))
            code = st.text_input(t("classroom.code"), max_chars=12, key="classroom_resume_code")
            secret = st.text_input(t("classroom.secret"), type="password", max_chars=200,
                                   key="classroom_resume_secret")
            if st.form_submit_button(t("classroom.resume")):
                _resume(code, secret)


def _enter(attempt, pages: dict | None = None) -> None:
    """Run attempt() -> the session's class dict; enter the class, or explain the refusal. A
    student lands on the lecturer's view at once (pages: url_path -> st.Page)."""
    try:
        values = attempt()
    except ClassroomError as error:
        show_error(error)
        return
    begin(values)
    st.query_params.pop("join", None)
    if values["role"] == "student":
        try:
            current = store().view(values["code"])
        except ClassroomError:
            current = None  # the first poll says why
        if current is not None:
            _apply(values, *current, pages or {})  # switches page, unless its page is unknown
    st.rerun()


def _join(code: str, nickname: str, pages: dict) -> None:
    def attempt():
        normalized = normalize_code(code)
        return {"role": "student", "code": normalized, "member": store().join(normalized, nickname),
                "following": True, "applied": 0, "view": None,
                "asked": store().asked(normalized)}
    _enter(attempt, pages)


def _start(secret: str, shown: bool) -> None:
    _enter(lambda: {"role": "lecturer", "code": store().start(secret), "secret": secret,
                    "show_secret": shown})


def _resume(code: str, secret: str) -> None:
    """Control a running class from another tab or device with its code and secret."""
    def attempt():
        normalized = normalize_code(code)
        if not store().is_lecturer(normalized, secret):
            store().view(normalized)  # an unknown or expired code says so; else a wrong secret
            raise ClassroomError("not_lecturer")
        return {"role": "lecturer", "code": normalized, "secret": secret, "show_secret": False}
    _enter(attempt)


# --- the lecturer ----------------------------------------------------------------------------
def _join_link(code: str) -> str:
    parts = urlsplit(st.context.url or "")
    base = f"{parts.scheme}://{parts.netloc}/" if parts.netloc else "/"
    return f"{base}?join={code}"


def _qr_png(text: str) -> bytes:
    import segno

    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=8, border=2)
    return buffer.getvalue()


def _lecturer(session: dict) -> None:
    code = session["code"]
    st.subheader(t("classroom.title"))
    # The code is from a fixed alphabet (checked by normalize_code), never user text.
    st.html(_CODE_HTML.format(code=normalize_code(code)))
    link = _join_link(code)
    st.markdown(t("classroom.link", link=link))
    st.image(_qr_png(link), caption=t("classroom.qr_caption"), width=220)
    if session.get("show_secret"):
        # Collapsed: the sidebar is usually on the projector.
        with st.expander(t("classroom.secret_show")):
            st.warning(t("classroom.secret_once"))
            st.code(session["secret"], language=None)
            if st.button(t("classroom.secret_kept"), key="classroom_secret_kept"):
                session["show_secret"] = False
                st.rerun()
    _lecturer_live(session)
    if st.button(t("classroom.end"), key="classroom_end"):
        try:
            rows = store().export(code, session["secret"])
            store().end(code, session["secret"])
            st.session_state[_EXPORT] = (code, answers_csv(rows), len(rows))
        except ClassroomError:
            pass  # already over: leaving is all that is left to do
        _leave()
        st.rerun()


@st.fragment(run_every=LECTURER_S)
def _lecturer_live(session: dict) -> None:
    """Publish the view (a page's own fragments change it without a full run) and the counts."""
    try:
        store().set_view(session["code"], session["secret"], session.get("page", ""),
                         shared_params())
        presence = store().presence(session["code"], session["secret"])
    except ClassroomError as error:
        show_error(error)
        return
    left, right = st.columns(2)
    left.metric(t("classroom.connected"), presence.connected)
    right.metric(t("classroom.following"), presence.following)


# --- a student -------------------------------------------------------------------------------
def _student(session: dict, pages: dict) -> None:
    _check_touched(session)
    if session["following"]:
        st.success(t("classroom.status_following", code=session["code"]))
        st.html(_QUIET_STATUS)
    else:
        st.info(t("classroom.status_exploring", code=session["code"]))
        if st.button(t("classroom.follow_again"), key="classroom_follow", type="primary"):
            session.update(following=True, applied=0, view=None)
            st.rerun()
    _student_live(session, pages)
    _question_elsewhere(session)
    if st.button(t("classroom.leave"), key="classroom_leave"):
        _leave()
        st.rerun()


def _question_elsewhere(session: dict) -> None:
    """An open question on another page than this student's: a link to it."""
    asked = session.get("asked")
    lesson = str(asked[0]).split(".", 1)[0] if asked and not asked[1] else None
    if lesson in PAGES_BY_NAME and PAGES_BY_NAME[lesson].url_path != session.get("page"):
        st.info(t("classroom.asked_elsewhere"), icon="🙋")
        links.page_link(lesson)


def _check_touched(session: dict) -> None:
    """A student who changed the page or a setting since the last view explores on their own."""
    view = session.get("view")
    if session["following"] and view is not None:
        if (session.get("page"), shared_params()) != (view["page"], view["params"]):
            session["following"] = False


@st.fragment(run_every=FOLLOW_S)
def _student_live(session: dict, pages: dict) -> None:
    was_following = session["following"]
    _check_touched(session)
    try:
        if session["following"] and fragment_run():  # a page's full run never waits here
            watch().wait(session["code"], (session["applied"], session.get("asked")),
                         FOLLOW_S, request_waiting)
        store().seen(session["code"], session["member"], session["following"])
        if fragment_run() and request_waiting():
            return  # a click or a closed tab goes first; the next tick takes over any change
        current = store().view(session["code"]) if session["following"] else None
        asked = store().asked(session["code"])
    except ClassroomError as error:
        if error.reason == "unavailable":  # a passing outage: stay in the class, poll again
            show_error(error)
            return
        _leave()
        st.session_state["_classroom_ended"] = error.reason
        st.rerun(scope="app")
    question_changed = asked != session.get("asked")
    session["asked"] = asked
    if current is not None and current[0] != session["applied"]:
        _apply(session, *current, pages)
    if question_changed or (was_following and not session["following"]):
        session["catch_up"] = question_changed
        st.rerun(scope="app")  # a question opened or revealed, or "exploring": show it at once


def _apply(session: dict, version: int, view: dict, pages: dict) -> None:
    """Take over the lecturer's page and settings: forget this session's own settings of every
    page, so each page reads the lecturer's from the URL or starts at its defaults."""
    session["applied"], session["view"] = version, view
    states = [key[len("_saved."):] for key in st.session_state if str(key).startswith("_saved.")]
    for name in states:
        if name == "app":
            continue
        for key in [k for k in st.session_state if str(k).startswith(f"{name}.")]:
            del st.session_state[key]
        del st.session_state[f"_saved.{name}"]
    own = {k: v for k, v in st.query_params.to_dict().items() if k in PRIVATE and k != "join"}
    target = pages.get(view["page"])
    if target is None:  # a page this app does not have: stay, but keep the version
        return
    session["catch_up"] = True
    st.switch_page(target, query_params={**view["params"], **own})


def ended_notice() -> None:
    """Once, after a class ended or expired under a student."""
    reason = st.session_state.pop("_classroom_ended", None)
    if reason:
        with st.sidebar:
            st.warning(t(f"classroom.error_{reason}"))
