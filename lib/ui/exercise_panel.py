"""The exercises of a page: one call at the end of a view, `exercise_panel.show(lesson, STATE,
points=...)`.

Every check runs here on the server, on the page's own settings (its PageState, i.e. the
values of its widgets) and the data the view passes in; nothing the browser says about a
result is taken on trust. Progress is kept per browser (lib/ui/progress.py).
"""
from __future__ import annotations

import string

import streamlit as st

from lib.core import exercises as registry
from lib.core.exercises.base import (NUMBER, PICTURE, PREDICT, SEEN, SOLVED, TRIED, Attempt,
                                     Exercise)
from lib.ui import class_state
from lib.ui import exercise_pictures as pictures
from lib.ui import links
from lib.ui import look as looks
from lib.ui import progress as store
from lib.ui import i18n
from lib.ui.i18n import t

ICONS = {SOLVED: "✅", SEEN: "👁️", TRIED: "✍️", "": "⬜"}
PAGES = {"home": ("views/home.py", "nav.home"), "regression": ("views/regression.py",
         "regression.nav"), "logistic": ("views/logistic.py", "nav.logistic"),
         "sigmoid": ("views/sigmoid.py", "sigmoid.nav"),
         "cross_entropy": ("views/cross_entropy.py", "xent.nav"),
         "multiclass": ("views/multiclass.py", "multiclass.nav"),
         "mnist": ("views/mnist.py", "mnist.nav")}
# Lecture mode: the exercise on the projector, readable from the back of the room.
_PROJECTOR_CSS = """<style>
.st-key-ex_projector p, .st-key-ex_projector li { font-size: 2.0rem !important; line-height: 1.35; }
.st-key-ex_projector h2 { font-size: 3.0rem !important; }
</style>"""


class _Values(dict):
    def __missing__(self, key):
        return "?"


def text(key: str, **values) -> str:
    """A catalog text filled with values; a missing value shows "?" instead of failing a lecture."""
    raw = t(key)
    try:
        return string.Formatter().vformat(raw, (), _Values(values))
    except (ValueError, TypeError, IndexError):
        return raw


def with_texts(exercise: Exercise, values: dict) -> dict:
    """Values, plus for a word among them (a scenario, a kind) its text: name_text."""
    known = i18n.catalog(i18n.current_language())
    extra = {}
    for name, value in values.items():
        key = exercise.key(f"{name}_{value}") if isinstance(value, str) else None
        if key in known:
            extra[f"{name}_text"] = known[key]
    return {**values, **extra}


def answer_key(exercise: Exercise) -> str:
    return f"ex.{exercise.id}.answer"


def _verdict_key(exercise: Exercise) -> str:
    return f"_ex.{exercise.id}.verdict"


def _solution_key(exercise: Exercise) -> str:
    return f"_ex.{exercise.id}.solution"


# ---------------------------------------------------------------------------------------------
# Callbacks: they only note what was asked; the checks run in the page's run that follows,
# where the page's state and data are at hand.


def _ask_check(exercise_id: str) -> None:
    st.session_state[f"_ex.{exercise_id}.pending"] = True


def _ask_solution(exercise_id: str) -> None:
    exercise = registry.ALL[exercise_id]
    st.session_state[_solution_key(exercise)] = True
    store.record(exercise, SEEN)


def _apply_demo(settings: dict) -> None:
    for key, value in settings.items():
        st.session_state[key] = value


def _settle(exercise: Exercise, attempt: Attempt) -> None:
    """Check an attempt asked for by a click: record the verdict and the progress."""
    if not st.session_state.pop(f"_ex.{exercise.id}.pending", False):
        return
    if exercise.kind == PREDICT and attempt.answer not in exercise.choices:
        st.session_state[f"_ex.{exercise.id}.choose"] = True
        return
    verdict = exercise.check(attempt)
    st.session_state[_verdict_key(exercise)] = verdict
    choice = str(attempt.answer) if exercise.kind == PREDICT else ""
    store.record(exercise, SOLVED if verdict.solved else TRIED, choice)


# ---------------------------------------------------------------------------------------------


def show(lesson: str, state=None, **context) -> None:
    """The page's exercises (and on the home page, the progress across the lecture)."""
    exercises = registry.for_lesson(lesson)
    settings = state.values() if state is not None else {}
    seed = class_state.variant_seed() or store.browser_id()  # a class shares its numbers
    attempts = {e.id: Attempt(settings, context, st.session_state.get(answer_key(e)),
                              e.variant_for(seed)) for e in exercises}
    for exercise in exercises:
        _settle(exercise, attempts[exercise.id])
    done = store.progress()
    solved = sum(done.get(e.id, ("",))[0] == SOLVED for e in exercises)
    with st.container(border=True, key=f"ex_panel_{lesson}"):
        st.subheader(t("exercises.heading", solved=solved, total=len(exercises)),
                     anchor="exercises")
        if lesson == "home":
            lecture_progress(done)
        st.caption(t("exercises.intro"))
        from lib.ui import class_questions  # it builds on this module's texts

        class_questions.panel_for(lesson, exercises, attempts, state)
        if looks.current().lecture and exercises:
            projector(exercises, attempts)
        for number, exercise in enumerate(exercises, start=1):
            one_exercise(exercise, number, attempts[exercise.id], done.get(exercise.id, ("", "")))
        store.persist()


def lecture_progress(done: dict) -> None:
    """Solved, seen and total per page, with a link to each page."""
    st.markdown(t("exercises.lecture_heading"))
    total = sum(len(items) for items in registry.LESSONS.values())
    solved = sum(state == SOLVED for state, _ in done.values())
    st.progress(solved / total if total else 0.0,
                text=t("exercises.lecture_total", solved=solved, total=total))
    for lesson, items in registry.LESSONS.items():
        page, title = PAGES[lesson]
        states = [done.get(e.id, ("", ""))[0] for e in items]
        left, right = st.columns([2, 3], vertical_alignment="center")
        with left:
            if not links.page_link(page, t(title)):
                st.markdown(t(title))
        right.markdown(t("exercises.lecture_row", solved=states.count(SOLVED),
                         seen=states.count(SEEN), total=len(items),
                         marks=" ".join(ICONS[s] for s in states)))


def projector(exercises, attempts) -> None:
    """Lecture mode: one exercise, large, for the class to try."""
    st.markdown(_PROJECTOR_CSS, unsafe_allow_html=True)  # fixed CSS, never user text
    titles = {e.id: text(e.key("title"), **with_texts(e, attempts[e.id].variant))
              for e in exercises}
    chosen = st.selectbox(t("exercises.project"), list(titles), format_func=titles.get,
                          key=f"ex.{exercises[0].lesson}.projected")
    exercise = registry.ALL[chosen]
    with st.container(key="ex_projector"):
        st.markdown("## " + t("exercises.try_it", title=titles[chosen]))
        st.markdown(text(exercise.key("task"), **with_texts(exercise, attempts[chosen].variant)))


def label(exercise: Exercise, number: int, title: str, status: str) -> str:
    where = t("exercises.slides" if "–" in exercise.slide else "exercises.slide",
              slide=exercise.slide)
    return t("exercises.label", icon=ICONS[status], number=number, title=title, where=where,
             status=t(f"exercises.status_{status or 'new'}"))


def one_exercise(exercise: Exercise, number: int, attempt: Attempt, done: tuple) -> None:
    status, locked = done
    verdict = st.session_state.get(_verdict_key(exercise))
    title = text(exercise.key("title"), **with_texts(exercise, attempt.variant))
    with st.expander(label(exercise, number, title, status),
                     expanded=verdict is not None or bool(st.session_state.get(
                         _solution_key(exercise)))):
        st.markdown(text(exercise.key("task"), **with_texts(exercise, attempt.variant)))
        if exercise.kind == PREDICT:
            prediction(exercise, attempt, locked)
        else:
            answer_widget(exercise, attempt)
            st.button(t("exercises.check"), key=f"ex.{exercise.id}.check", on_click=_ask_check,
                      args=(exercise.id,), icon="✔️")
            if verdict is not None:
                show_verdict(exercise, verdict, attempt)
        wrong_try = status == TRIED or (verdict is not None and not verdict.solved)
        if exercise.kind != PREDICT and wrong_try:
            hint = text(exercise.key("hint"), **with_texts(exercise, attempt.variant))
            st.info(t("exercises.hint_label") + " " + hint, icon="💡")
        solution(exercise, attempt, status)


def answer_widget(exercise: Exercise, attempt: Attempt) -> None:
    key = answer_key(exercise)
    if exercise.kind == NUMBER:
        if exercise.tolerance == 0:
            st.number_input(t("exercises.answer"), value=None, step=1, key=key)
        else:
            st.number_input(t("exercises.answer"), value=None, step=0.01, format="%.4f", key=key)
    elif exercise.kind == PICTURE:
        pictures.draw(exercise, attempt, key)
        if exercise.choices:
            known = i18n.catalog(i18n.current_language())
            names = {c: text(exercise.key(f"choice_{c}")) if exercise.key(f"choice_{c}") in known
                     else c for c in exercise.choices}  # letters name themselves
            st.radio(t("exercises.pick"), exercise.choices, format_func=names.get, index=None,
                     horizontal=True, key=key)
    else:
        st.caption(t("exercises.reach_note"))


def show_verdict(exercise: Exercise, verdict, attempt: Attempt) -> None:
    values = with_texts(exercise, {**attempt.variant, **verdict.values})
    if verdict.solved:
        st.success(t("exercises.solved_message"), icon="🎉")
        return
    key = exercise.key(f"fb_{verdict.code}") if verdict.code in exercise.feedback \
        else f"exercises.fb_{verdict.code if verdict.code in ('missing',) else 'wrong'}"
    st.warning(text(key, **values), icon="🤔")


def prediction(exercise: Exercise, attempt: Attempt, locked: str) -> None:
    names = {c: text(exercise.key(f"choice_{c}")) for c in exercise.choices}
    if not locked:
        st.radio(t("exercises.your_prediction"), exercise.choices, format_func=names.get,
                 index=None, key=answer_key(exercise))
        st.button(t("exercises.lock"), key=f"ex.{exercise.id}.check", on_click=_ask_check,
                  args=(exercise.id,), icon="🔒")
        if st.session_state.pop(f"_ex.{exercise.id}.choose", False):
            st.warning(t("exercises.fb_choose"), icon="☝️")
        return
    attempt = Attempt(attempt.state, attempt.context, locked, attempt.variant)
    truth, values = exercise.truth(attempt)
    values = with_texts(exercise, {**attempt.variant, **values})
    left, right = st.columns(2)
    with left.container(border=True):
        st.markdown(t("exercises.locked", choice=names[locked]))
    with right.container(border=True):
        st.markdown(t("exercises.truth", choice=names[truth]))
        st.markdown(text(exercise.key("truth"), **values))
    if locked == truth:
        st.success(t("exercises.prediction_right"), icon="🎯")
    else:
        st.warning(text(exercise.key(f"fb_{locked}"), **values), icon="🤔")
    demo = exercise.demo_settings(attempt.state)
    if demo:
        st.button(t("exercises.demo"), key=f"ex.{exercise.id}.demo", on_click=_apply_demo,
                  args=(demo,), icon="▶️", help=t("exercises.demo_help"))


def solution(exercise: Exercise, attempt: Attempt, status: str) -> None:
    if st.session_state.get(_solution_key(exercise)):
        values = with_texts(exercise, {**attempt.variant, **exercise.solution(attempt)})
        st.markdown(t("exercises.solution_label") + " " + text(exercise.key("solution"), **values))
        if status != SOLVED:
            st.caption(t("exercises.seen_note"))
    elif exercise.kind != PREDICT:
        st.button(t("exercises.show_solution"), key=f"ex.{exercise.id}.solution",
                  on_click=_ask_solution, args=(exercise.id,), icon="👁️", type="tertiary")
