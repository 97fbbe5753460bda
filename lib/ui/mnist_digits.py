"""The MNIST page's first tab: a digit as an image and as its 784 numbers, and the PCA map where
similar digits gather. The page keeps its settings and passes them in."""
from __future__ import annotations

import streamlit as st

from lib.core import mnist
from lib.figures import mnist as charts_mnist
from lib.ui import common as ui
from lib.ui.i18n import t


def image_labels(**extra) -> dict:
    labels = {"pixel_hover": t("mnist.pixel_hover"), "digit": t("mnist.digit"),
              "pc1": t("mnist.pc1"), "pc2": t("mnist.pc2"), "predicted": t("mnist.predicted"),
              "true": t("mnist.true"), "cell_hover": t("mnist.cell_hover"),
              "weight_hover": t("mnist.weight_hover"), "probability": t("mnist.probability"),
              "probability_hover": t("mnist.probability_hover")}
    labels.update(extra)
    return labels


def load_data() -> mnist.Digits:
    if mnist.loaded():
        return mnist.load()
    with st.spinner(t("mnist.loading")):
        return mnist.load()


def data_banner(data: mnist.Digits, look) -> None:
    """Where the digits come from; folded under its heading in lecture mode."""
    if look.lecture:
        with st.expander(t("mnist.data_heading")):
            data_source(data)
    else:
        data_source(data)


def data_source(data: mnist.Digits) -> None:
    if data.source == "keras":
        st.success(t("mnist.source_keras", train=data.n_train, test=data.n_test), icon="🗂️")
    else:
        st.info(t("mnist.source_offline", train=data.n_train, test=data.n_test), icon="🗂️")
        if data.problem:
            st.caption(t("mnist.source_problem", problem=ui.literal(data.problem)))


@st.fragment
def digit_section(state, data: mnist.Digits, look) -> None:
    if look.lecture:  # the numbers beside everything else, all in the first screen
        intro, numbers = st.columns([1, 2], gap="medium")
        chooser = label = picture = intro
    else:
        intro = st.container()
        chooser, label = st.columns([1, 2], vertical_alignment="bottom")
        picture, numbers = st.columns([2, 3])
    intro.markdown(t("mnist.digit_intro"))
    key = state.key("idx")
    if st.session_state[key] > data.n_train - 1:
        st.session_state[key] = data.n_train - 1
    index = state.widget("idx", chooser, label=t("mnist.index", last=data.n_train - 1),
                         max_value=data.n_train - 1)
    image = data.image(index)
    label.markdown(t("mnist.digit_label", index=index, label=int(data.train_y[index])))
    labels = image_labels()
    with picture:
        ui.plotly(charts_mnist.digit_figure(image, image_labels(title=t("mnist.as_image")),
                                            height=360, look=look), "mnist.digit_image")
    with numbers:
        ui.plotly(charts_mnist.digit_figure(image, dict(labels, title=t("mnist.as_numbers")),
                                            numbers=True, height=max(560, look.height),
                                            look=look), "mnist.digit_numbers")
    st.caption(t("mnist.digit_caption"))
    with st.expander(t("mnist.vector_title")):
        st.code("[" + ", ".join(str(v) for v in image.ravel()) + "]", language=None,
                wrap_lines=True)


@st.cache_resource(show_spinner=False, max_entries=2)
def projection_view(source: str, n_train: int, _data: mnist.Digits):
    """The PCA of the server's data and its points per digit with their hover pictures, made
    once per server and shared by every session (read only)."""
    view = mnist.projection(_data)
    hover = [charts_mnist.braille(_data.image(i)) for i in view.index]
    return view, charts_mnist.projection_traces(view.coords, view.labels, hover)


@st.fragment
def projection_section(data: mnist.Digits, look) -> None:
    st.markdown(t("mnist.projection_intro"))
    view, parts = projection_view(data.source, data.n_train, data)
    figure = charts_mnist.projection_figure(parts, image_labels(), look)
    event = ui.plotly(figure, "mnist.projection", on_select="rerun",
                      selection_mode=("points", "box", "lasso"))
    st.caption(t("mnist.projection_caption", n=len(view.index),
                 share=float(view.explained.sum())))
    chosen = _selected_points(event, figure)
    if chosen:
        shown = chosen[:30]
        index = view.index[shown]
        st.markdown(t("mnist.selection_heading", n=len(chosen), shown=len(shown)))
        titles = [str(int(data.train_y[i])) for i in index]
        ui.plotly(charts_mnist.gallery_figure(data.train_x[index], titles, columns=10,
                                              look=look), "mnist.projection_gallery")
    else:
        st.caption(t("mnist.selection_hint"))


def _selected_points(event, figure) -> list[int]:
    """Positions in the projection of the points chosen by click, box or lasso."""
    try:
        points = event.selection.points
    except AttributeError:
        return []
    chosen = []
    traces = figure.spec["data"]
    for point in points:
        trace = point.get("curve_number")
        number = point.get("point_number", point.get("point_index"))
        if trace is None or number is None or trace >= len(traces):
            continue
        custom = traces[trace].get("customdata")
        if custom is not None and number < len(custom):
            chosen.append(int(custom[number]))
    return chosen
