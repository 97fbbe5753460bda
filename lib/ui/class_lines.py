"""The class's lines on the logistic and regression pages.

A student in a class publishes the line they set by hand (only their own: while their page
shows the lecturer's settings nothing is sent). The lecturer can show every student's line at
once on the projector, the lowest E (or mean squared error) by nickname, and reveal the exact
optimum last. Nothing here runs for someone in no class.
"""
from __future__ import annotations

import streamlit as st

from lib.core.classroom import lines as scoring
from lib.core.classroom.store import ClassroomError
from lib.figures import classroom as charts
from lib.ui import common as ui
from lib.ui.class_state import lecturer, show_error, store, student
from lib.ui.i18n import t

LINES_S = 2.0  # the projector's refresh while the class's lines are shown
SCORE = {"logistic": "E", "regression": "MSE"}


def publish(page: str, numbers) -> None:
    """In a page's hand-set fragment: send this student's own line when it changed."""
    session = student()
    if session is None:
        return
    from lib.ui.classroom import shared_params

    view = session.get("view")
    if view is not None and view["page"] == page and view["params"] == shared_params():
        return  # the lecturer's line on the student's page, not one they set
    numbers = tuple(round(float(v), 6) for v in numbers)
    sent = session.setdefault("lines", {})
    if sent.get(page) == numbers:
        return
    try:
        store().publish_line(session["code"], session["member"], page, numbers)
        sent[page] = numbers
    except ClassroomError:
        pass  # a passing outage or an ended class: the sidebar says so


def projector(page: str, data, labels: dict, look) -> None:
    """The lecturer's switch to show the class's lines, and the live view when it is on."""
    session = lecturer()
    if session is None:
        return
    with st.container(border=True, key=f"class_lines_{page}"):
        if st.toggle(t("classroom.lines_show"), key=f"class.lines.{page}",
                     help=t("classroom.lines_help")):
            _lines_live(session, page, data, labels, look)


@st.fragment(run_every=LINES_S)
def _lines_live(session: dict, page: str, data, labels: dict, look) -> None:
    try:
        lines = store().lines(session["code"], session["secret"], page)
    except ClassroomError as error:
        show_error(error)
        return
    reveal = st.toggle(t("classroom.lines_reveal"), key=f"class.lines_optimum.{page}")
    best = scoring.ranking(page, data, lines)
    optimum = scoring.optimum(page, data) if reveal else None
    best_line = next((numbers for nick, numbers in lines
                      if best and scoring.score(page, data, numbers) == best[0][1]), None)
    chart, table = ui.chart_beside_controls(look)
    labels = dict(labels, **{name: t(f"classroom.lines_{name}")
                             for name in ("class", "best", "optimum")})
    x_range, y_range = data.extent()
    numbers = [n for _, n in lines]
    if page == "logistic":
        figure = charts.logistic_lines(data.x, data.t, numbers, best_line, optimum, x_range,
                                       y_range, labels, look)
    else:
        figure = charts.regression_lines(data.x, data.y, numbers, best_line, optimum, x_range,
                                         y_range, labels, look)
    with chart:
        ui.plotly(figure, f"class.lines_chart.{page}")
    with table:
        st.metric(t("classroom.lines_count"), len(lines))
        name = SCORE[page]
        rows = [{"#": rank, t("classroom.lines_nick"): nick or t("classroom.anonymous"),
                 name: f"{value:.4g}"} for rank, (nick, value) in enumerate(best, start=1)]
        if rows:
            ui.table(rows, look)
        if reveal and optimum is not None:
            st.metric(t("classroom.lines_optimum_score", score=name),
                      f"{scoring.score(page, data, optimum):.4g}")
        elif reveal:
            st.caption(t("classroom.lines_no_optimum"))
