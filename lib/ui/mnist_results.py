"""The MNIST page's results: the numbers of a run, the author's picture of right and wrong
answers, a clickable confusion matrix and the ten weight templates."""
from __future__ import annotations

import numpy as np
import streamlit as st

from lib.core import mnist
from lib.engine import mnist as mnist_engine
from lib.figures import mnist as charts_mnist
from lib.ui import common as ui
from lib.ui.i18n import t
from lib.ui.mnist_digits import image_labels


def result_metrics(run: mnist_engine.Run, data: mnist.Digits, look) -> None:
    columns = ui.control_columns(look, 4, lecture_count=2)
    columns[0].metric(t("mnist.test_accuracy"), f"{run.test_accuracy:.1%}",
                      help=t("mnist.test_accuracy_help", n=data.n_test))
    columns[1].metric(t("mnist.train_accuracy"), f"{run.history['accuracy'][-1]:.1%}"
                      if run.epochs_done else "–", help=t("mnist.train_accuracy_help"))
    columns[2].metric(t("mnist.parameters"), f"{run.settings.parameters():,}",
                      help=t("mnist.parameters_help"))
    columns[3].metric(t("mnist.train_images"), f"{run.n_train:,}",
                      help=t("mnist.train_images_help"))
    if run.settings.linear and run.settings.optimizer == "adam" and run.settings.epochs == 10 \
            and run.settings.batch_size == 128 and data.source == "keras" and run.n_train == 60_000:
        st.caption(t("mnist.published_note"))


def examples_section(run: mnist_engine.Run, data: mnist.Digits, look) -> None:
    st.subheader(t("mnist.examples_heading"))
    st.markdown(t("mnist.examples_intro"))
    headers = ((0, t("mnist.examples_right")), (3, t("mnist.examples_wrong")))
    figure = charts_mnist.examples_figure(data.test_x, data.test_y, run.test_pred,
                                          mnist.examples(data.test_y, run.test_pred), headers,
                                          look)
    ui.plotly(figure, "mnist.examples")
    st.caption(t("mnist.examples_caption"))


def pick_cell(state, chart_key: str) -> None:
    """Chart callback: a clicked confusion-matrix cell becomes the chosen (true, predicted)."""
    try:
        points = st.session_state[chart_key].selection.points
    except (KeyError, AttributeError):
        return
    for point in points:
        x, y = point.get("x"), point.get("y")
        if x is not None and y is not None:
            state.set("true", int(round(float(y))))
            state.set("pred", int(round(float(x))))
            return


def confusion_section(state, run: mnist_engine.Run, data: mnist.Digits, look) -> None:
    st.subheader(t("mnist.confusion_heading"))
    st.markdown(t("mnist.confusion_intro"))
    counts = mnist.confusion(data.test_y, run.test_pred)
    true, pred = state.get("true"), state.get("pred")
    left, right = st.columns([3, 2])
    with left:
        figure = charts_mnist.confusion_figure(counts, (true, pred), image_labels(), look)
        ui.plotly(figure, "mnist.confusion", on_select=lambda: pick_cell(
            state, "mnist.confusion"), selection_mode="points")
        st.caption(t("mnist.confusion_caption"))
    with right:
        a, b = st.columns(2)
        true, pred = state.widget("true", a), state.widget("pred", b)
        index = np.flatnonzero((data.test_y == true) & (run.test_pred == pred))
        kind = "mnist.cell_right" if true == pred else "mnist.cell_wrong"
        st.markdown(t(kind, n=len(index), true=true, pred=pred))
        if len(index):
            shown = index[:24]
            titles = [f"{pred} / {true}"] * len(shown)
            ui.plotly(charts_mnist.gallery_figure(data.test_x[shown], titles, columns=6,
                                                  look=look), "mnist.cell_gallery")
            if len(index) > len(shown):
                st.caption(t("mnist.cell_more", shown=len(shown), n=len(index)))


def templates_section(run: mnist_engine.Run, look) -> None:
    st.subheader(t("mnist.templates_heading"))
    if not run.settings.linear:
        st.info(t("mnist.templates_deep"), icon="🕸️")
        return
    st.markdown(t("mnist.templates_intro"))
    kernel, bias = run.weights[0]
    titles = [t("mnist.template_title", digit=d, bias=float(bias[d])) for d in range(10)]
    figure = charts_mnist.templates_figure(kernel.T, titles, image_labels(),
                                           height=420 if look.lecture else 340,
                                           colorbar_title=t("mnist.weight"), look=look)
    ui.plotly(figure, "mnist.templates")
    st.caption(t("mnist.templates_caption"))
