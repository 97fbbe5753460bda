"""The data panel of the linear multiclass page: K clouds of points, or a CSV of x, y, class.

Its settings belong to the page's PageState (the generator's sliders travel in the URL); an
uploaded file cannot travel in a URL, and the page says so.
"""
from __future__ import annotations

import streamlit as st

from lib.core import datasets
from lib.core import multiclass_data
from lib.ui.points_panel import MAX_UPLOAD_MB, WIDGET_UPLOAD_MB, read_upload
from lib.core.datasets import DataError
from lib.ui.i18n import t
from lib.core.multiclass_data import ClassPoints
from lib.ui.state import PageState, Param
from lib.ui.common import data_message, literal

SOURCES = ("generated", "upload")
PARAMS = [
    Param("src", "generated", "choice", choices=SOURCES, widget="radio", label="data.source",
          labels="multiclass.source_"),
    Param("k", 3, "int", choices=multiclass_data.GENERATOR_CLASSES, widget="radio",
          label="multiclass.classes", help="multiclass.classes_help"),
    Param("n", 30, "int", 5, 200, widget="slider", label="data.n", help="multiclass.n_help"),
    # 4.0, not less: the default clouds overlap, so no set of lines separates them and the
    # cross-entropy has a true minimum that training reaches (at 3.0 they were separable).
    Param("spread", 4.0, "float", 0.5, 10.0, widget="slider", label="data.spread",
          help="data.spread_help", step=0.5),
    Param("dseed", 1, "int", 0, 99_999, widget="number_input", label="data.seed",
          help="data.seed_help", step=1),
]
_UPLOADED = "multiclass._uploaded"  # (file id, name, points) of the last good upload
_LAST = "multiclass._last_points"  # the points used last, kept when an upload is refused


@st.cache_data(max_entries=128, show_spinner=False)
def _generated(k: int, n: int, spread: float, seed: int) -> ClassPoints:
    return multiclass_data.generated_points(k, n, spread, seed)


def error_message(error: DataError) -> str:
    """The user's-language message for a data problem (shared [csv] texts or the page's own)."""
    return data_message(error, "multiclass", multiclass_data.OWN_CODES)


def _read_upload(file) -> ClassPoints | None:
    return read_upload(file, _UPLOADED, multiclass_data.parse_classes_csv, error_message)


def _default_points(state: PageState) -> ClassPoints:
    return _generated(state.get("k"), state.get("n"), state.get("spread"), state.get("dseed"))


def data_panel(state: PageState) -> ClassPoints:
    """Draw the data controls and return the points to use."""
    if state.widget("src") == "generated":
        left, right = st.columns(2)
        for name, column in (("k", left), ("n", left), ("spread", right), ("dseed", right)):
            state.widget(name, column)
        points = _default_points(state)
    else:
        st.caption(t("multiclass.upload_caption", limit=MAX_UPLOAD_MB, rows=datasets.MAX_POINTS,
                     top=multiclass_data.MAX_CLASSES - 1))
        file = st.file_uploader(t("multiclass.upload"), type=["csv", "txt"],
                                key="multiclass.file", max_upload_size=WIDGET_UPLOAD_MB)
        st.download_button(t("data.template"), multiclass_data.template_csv(),
                           file_name="classes_template.csv", mime="text/csv",
                           key="multiclass.template")
        points = None
        if file is not None:
            points = _read_upload(file)
        elif st.session_state.get(_UPLOADED) is not None:
            points = st.session_state[_UPLOADED][2]
        if points is None:
            points = st.session_state.get(_LAST) or _default_points(state)
            if file is None:
                st.info(t("data.upload_waiting"), icon="📄")
        else:
            name = st.session_state[_UPLOADED][1]
            st.caption(t("multiclass.upload_using", name=literal(name[:80]), n=len(points),
                         k=points.k))
    st.session_state[_LAST] = points
    st.download_button(t("data.download"), points.to_csv(), file_name="classes.csv",
                       mime="text/csv", key="multiclass.download")
    return points
