"""The pictures that "read the picture" exercises ask about, drawn from the page's own data.

A click on a picture only chooses an answer (it sets the answer's widget); the check reads the
page's state and data on the server like any other.
"""
from __future__ import annotations

import numpy as np
import streamlit as st

from lib.core.exercises import mnist as mnist_exercises
from lib.figures import exercises as charts
from lib.figures import mnist as charts_mnist
from lib.ui import common as ui
from lib.ui import look as looks
from lib.ui.i18n import t


def _pick_point(chart_key: str, answer_key: str) -> None:
    """Chart callback: the clicked point becomes the answer."""
    try:
        points = st.session_state[chart_key].selection.points
    except (KeyError, AttributeError):
        return
    for point in points:
        index = point.get("customdata")
        if isinstance(index, list):
            index = index[0] if index else None
        if isinstance(index, (int, float)):
            st.session_state[answer_key] = int(index)
            return


def biggest_share(exercise, attempt, key: str) -> None:
    points = attempt.context.get("points")
    if points is None or len(points) == 0:
        return
    w = tuple(float(attempt.state[name]) for name in ("w0", "w1", "w2"))
    x_range, y_range = points.extent()
    labels = ui.chart_labels(point_hover=t("exercises.point_hover"))
    chart_key = f"ex.{exercise.id}.chart"
    ui.plotly(charts.numbered_points(points.x, points.t, w, x_range, y_range, labels,
                                     looks.current()), chart_key,
              on_select=lambda: _pick_point(chart_key, key), selection_mode="points")


def zero_template(exercise, attempt, key: str) -> None:
    run = attempt.context.get("run")
    if run is None:
        st.info(t("exercises.mnist.zero.fb_no_model"), icon="⏳")
        return
    if len(run.weights) != 1:
        st.info(t("exercises.mnist.zero.fb_deep"), icon="🕸️")
        return
    kernel = np.asarray(run.weights[0][0])
    order = attempt.variant["order"]
    images = kernel.T[order]
    labels = {"weight_hover": t("mnist.weight_hover")}
    look = looks.current()
    figure = charts_mnist.templates_figure(images, list(mnist_exercises.LETTERS), labels,
                                           height=420 if look.lecture else 340,
                                           colorbar_title=t("mnist.weight"), look=look)
    ui.plotly(figure, f"ex.{exercise.id}.chart")


def draw(exercise, attempt, key: str) -> None:
    """The exercise's picture, drawn once the student asks for it (a page keeps its weight)."""
    drawer = {"cross_entropy.biggest": biggest_share, "mnist.zero": zero_template}.get(exercise.id)
    if drawer is None:
        return
    if exercise.id == "cross_entropy.biggest":  # its answer can also be chosen by number
        numbers = list(range(len(attempt.context.get("points") or ())))
        st.selectbox(t("exercises.point_number"), numbers, format_func=lambda i: str(i + 1),
                     index=None, key=key, placeholder=t("exercises.choose"))
    if st.toggle(t("exercises.show_picture"), key=f"ex.{exercise.id}.picture"):
        drawer(exercise, attempt, key)
