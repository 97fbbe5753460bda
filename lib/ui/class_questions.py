"""Ask the class: the lecturer opens one of the page's checked exercises for everybody.

Students answer on their own devices; every answer is checked here on the server as in the
exercise itself (a choice must be one of the exercise's, a number is read and checked with its
tolerance, a "reach it" exercise reads the student's own page). The projector shows the live
count and distribution; the reveal shows the answer with the class's distribution beside it.
"""
from __future__ import annotations

import streamlit as st

from lib.core import exercises as registry
from lib.core.classroom.store import ClassroomError
from lib.core.exercises.base import NUMBER, PREDICT, REACH, Attempt, Exercise
from lib.figures import classroom as charts
from lib.ui import common as ui
from lib.ui import exercise_panel as panel
from lib.ui import look as looks
from lib.ui.class_state import fragment_run, lecturer, show_error, store, student
from lib.ui.i18n import t

RESULTS_S = 1.0  # the projector's count refreshes this often while a question is open
SOLVED, NOT_YET = "solved", "not_yet"  # the answers of an exercise the page itself checks


def choices_of(exercise: Exercise):
    """What the store accepts as an answer: a choice, a number (None), or the check's verdict."""
    if exercise.choices:
        return list(exercise.choices)
    return None if exercise.kind == NUMBER else [SOLVED, NOT_YET]


def _own_answer(exercise: Exercise) -> bool:
    """The answer is given in the class box (else the page's own state and widgets hold it)."""
    return bool(exercise.choices) or exercise.kind == NUMBER


def _answer_key(exercise: Exercise) -> str:
    return f"class.answer.{exercise.id}"


def names_of(exercise: Exercise) -> dict:
    """Display names of the answers (a number names itself)."""
    names = {SOLVED: t("classroom.answer_solved"), NOT_YET: t("classroom.answer_not_yet")}
    for choice in exercise.choices:
        key = exercise.key(f"choice_{choice}")
        names[choice] = panel.text(key) if t(key) != key else choice
    return names


def verdict_answer(exercise: Exercise, attempt: Attempt) -> str | None:
    """The answer sent for this attempt, checked on the server; None when none is given."""
    if exercise.choices:
        return attempt.answer if attempt.answer in exercise.choices else None
    if exercise.kind == NUMBER:
        return None if attempt.answer is None else f"{float(attempt.answer):.6g}"
    return SOLVED if exercise.check(attempt).solved else NOT_YET


def correct_answers(exercise: Exercise, attempt: Attempt, answered) -> list[str]:
    """The right ones among the possible answers, by the exercise's own check on the
    lecturer's page (the truth a prediction is compared with, a number's tolerance)."""
    if not _own_answer(exercise):
        return [SOLVED]
    candidates = list(exercise.choices) or list(answered)
    return [c for c in candidates
            if exercise.check(Attempt(attempt.state, attempt.context, c, attempt.variant)).solved]


def panel_for(lesson: str, exercises, attempts: dict, state=None) -> None:
    """The class's part of a page's exercises: nothing for someone in no class. state: the
    page's settings (PageState), read anew when a student sends a "set it on the page" answer."""
    if not exercises:
        return
    if lecturer() is not None:
        _lecturer_box(lesson, exercises, attempts, lecturer())
    elif student() is not None:
        _student_box(attempts, state)


def _asked(session) -> tuple[str, bool] | None:
    try:
        return store().asked(session["code"])
    except ClassroomError as error:
        show_error(error)
        return None


# --- the lecturer ----------------------------------------------------------------------------
def _lecturer_box(lesson: str, exercises, attempts: dict, session: dict) -> None:
    code, secret = session["code"], session["secret"]
    asked = _asked(session)
    with st.container(border=True, key="class_ask"):
        st.markdown(t("classroom.ask_heading"))
        titles = {e.id: panel.text(e.key("title"), **panel.with_texts(e, attempts[e.id].variant))
                  for e in exercises}
        left, right = st.columns([3, 1], vertical_alignment="bottom")
        chosen = left.selectbox(t("classroom.ask_which"), list(titles), format_func=titles.get,
                                key=f"class.ask.{lesson}")
        if right.button(t("classroom.ask"), key=f"class.ask_button.{lesson}", type="primary",
                        icon="🙋"):
            try:
                store().open_question(code, secret, chosen,
                                      choices_of(registry.ALL[chosen]))
            except ClassroomError as error:
                show_error(error)
            asked = _asked(session)
        if asked is None or asked[0] not in attempts:
            return
        exercise, attempt = registry.ALL[asked[0]], attempts[asked[0]]
        st.markdown("### " + t("classroom.asking", title=titles[exercise.id]))
        st.markdown(panel.text(exercise.key("task"),
                               **panel.with_texts(exercise, attempt.variant)))
        buttons = st.container(horizontal=True)
        if not asked[1] and buttons.button(t("classroom.reveal"), key="class.reveal",
                                           icon="🎯", type="primary"):
            try:
                answered = store().results(code, exercise.id, secret)
                store().reveal(code, secret, exercise.id,
                               correct_answers(exercise, attempt, answered))
                st.rerun()  # the box shows the answer, without the button
            except ClassroomError as error:
                show_error(error)
        if buttons.button(t("classroom.close_question"), key="class.close"):
            store().close_question(code, secret)
            st.rerun()
        if asked[1]:
            _revealed(session, exercise, attempt)
        else:
            _live_distribution(session, exercise)


@st.fragment(run_every=RESULTS_S)
def _live_distribution(session: dict, exercise: Exercise) -> None:
    _distribution(session, exercise, revealed=False)


def _distribution(session: dict, exercise: Exercise, revealed: bool) -> None:
    """The count of answers and their distribution (with the right ones once revealed)."""
    try:
        counts = store().results(session["code"], exercise.id, session.get("secret"))
        # As the lecturer's page found them at the reveal, whatever this page shows now.
        right = set(store().correct(session["code"], exercise.id) or ()) if revealed else None
    except ClassroomError as error:
        show_error(error)
        return
    st.metric(t("classroom.answers_count"), sum(counts.values()))
    names = names_of(exercise)
    order = choices_of(exercise) or sorted(counts, key=lambda v: float(v))
    look = looks.current()
    figure = charts.answers_figure(
        [names.get(a, a) for a in order], [counts.get(a, 0) for a in order],
        None if right is None else [a in right for a in order],
        {"count": t("classroom.answers_axis")}, look)
    ui.plotly(figure, f"class.answers.{'revealed' if revealed else 'live'}")


def _revealed(session: dict, exercise: Exercise, attempt: Attempt) -> None:
    """The answer, and the class's distribution beside it."""
    left, right = st.columns(2)
    with left:
        _the_answer(exercise, attempt)
    with right:
        _distribution(session, exercise, revealed=True)


def _the_answer(exercise: Exercise, attempt: Attempt) -> None:
    """What the exercise itself shows as the answer: the truth of a prediction, else the
    solution, with the numbers of the lecturer's page."""
    with st.container(border=True):
        if exercise.kind == PREDICT:
            choice, values = exercise.truth(attempt)
            values = panel.with_texts(exercise, {**attempt.variant, **values})
            st.markdown(t("exercises.truth", choice=names_of(exercise)[choice]))
            st.markdown(panel.text(exercise.key("truth"), **values))
            return
        values = panel.with_texts(exercise, {**attempt.variant, **exercise.solution(attempt)})
        st.markdown(t("exercises.solution_label") + " "
                    + panel.text(exercise.key("solution"), **values))


# --- a student -------------------------------------------------------------------------------
@st.fragment
def _student_box(attempts: dict, state) -> None:
    """A fragment: answering reruns this box, not the whole page, when the class answers
    at once. The page's settings are read now: its own fragments may have changed them since
    the page last ran in full."""
    session = student()
    if session is None:
        return
    asked = _asked(session)
    if asked is None or asked[0] not in attempts:
        return
    exercise, attempt = registry.ALL[asked[0]], attempts[asked[0]]
    if state is not None:
        attempt = Attempt(state.values(), attempt.context, attempt.answer, attempt.variant)
    try:
        mine = store().answer_of(session["code"], session["member"], exercise.id)
    except ClassroomError as error:
        show_error(error)
        return
    names = names_of(exercise)
    with st.container(border=True, key="class_question"):
        title = panel.text(exercise.key("title"), **panel.with_texts(exercise, attempt.variant))
        st.markdown("### " + t("classroom.asked", title=title))
        st.markdown(panel.text(exercise.key("task"),
                               **panel.with_texts(exercise, attempt.variant)))
        if mine is None and not asked[1]:
            _answer_form(exercise, attempt, names, session)
        if mine is not None:
            st.success(t("classroom.your_answer", answer=names.get(mine, mine)), icon="📨")
        if asked[1]:
            _revealed(session, exercise, attempt)


def _answer_form(exercise: Exercise, attempt: Attempt, names: dict, session: dict) -> None:
    """The answer widget and Send; once the store has taken the answer, the page reruns."""
    key = _answer_key(exercise)
    if exercise.choices:
        st.radio(t("classroom.your_choice"), list(exercise.choices), format_func=names.get,
                 index=None, key=key)
    elif exercise.kind == NUMBER:
        st.number_input(t("exercises.answer"), value=None, step=0.01 if exercise.tolerance
                        else 1, format="%.4f" if exercise.tolerance else None, key=key)
    else:
        st.caption(t("classroom.page_answer" if exercise.kind == REACH
                     else "classroom.exercise_answer"))
    if not st.button(t("classroom.send"), key=f"class.send.{exercise.id}", type="primary",
                     icon="📨"):
        return None
    if _own_answer(exercise):
        attempt = Attempt(attempt.state, attempt.context, st.session_state.get(key),
                          attempt.variant)
    answer = verdict_answer(exercise, attempt)
    if answer is None:
        st.warning(t("exercises.fb_missing"), icon="☝️")
        return None
    try:
        store().answer(session["code"], session["member"], exercise.id, answer)
    except ClassroomError as error:
        show_error(error)
        return None
    # The box now shows the answer sent, without the form.
    st.rerun(scope="fragment" if fragment_run() else "app")
