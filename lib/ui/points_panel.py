"""The data panel shared by the pages on points in the plane (◦ and ×).

The choice (textbook preset, generator or upload) and the generator's sliders live under the
"data" prefix, so the data a student picked follows them from page to page and into the URL.
An uploaded file cannot travel in a URL: the link then says "upload", and the page explains.
"""
from __future__ import annotations

import streamlit as st

from lib.core import datasets
from lib.core.datasets import DataError, Points
from lib.ui.i18n import t
from lib.ui.state import PageState, Param
from lib.ui.common import data_message, literal, show_notices

SOURCES = ("textbook", "generated", "upload")
MAX_UPLOAD_MB = 1  # checked here, with a message in the user's language
WIDGET_UPLOAD_MB = 5  # the widget's own hard limit (.streamlit/config.toml has the same)

DATA_STATE = PageState("data", [
    Param("src", "textbook", "choice", choices=SOURCES, widget="radio", label="data.source",
          labels="data.source_"),
    Param("n", 20, "int", 2, 500, widget="slider", label="data.n", help="data.n_help"),
    Param("sep", 12.0, "float", 0.0, 30.0, widget="slider", label="data.sep",
          help="data.sep_help", step=0.5),
    Param("spread", 4.5, "float", 0.5, 15.0, widget="slider", label="data.spread",
          help="data.spread_help", step=0.5),
    Param("dseed", 1, "int", 0, 99_999, widget="number_input", label="data.seed",
          help="data.seed_help", step=1),
])


def weight_params(help_prefix: str) -> list[Param]:
    """The line's parameters w0, w1, w2 as sliders (logistic and sigmoid pages: same ranges)."""
    return [
        Param("w0", -6.0, "float", -30.0, 30.0, widget="slider", help=f"{help_prefix}.w0_help",
              step=0.1),
        *[Param(name, 0.2, "float", -2.0, 2.0, widget="slider", help=f"{help_prefix}.{name}_help",
                step=0.005, format="%.3f") for name in ("w1", "w2")],
    ]


_UPLOADED = "data._uploaded"  # (file id, name, Points) of the last good upload
_LAST = "data._last_points"  # the points the page used last, kept when an upload is refused


@st.cache_data(max_entries=256, show_spinner=False)
def _generated(n: int, sep: float, spread: float, seed: int) -> Points:
    return datasets.generated_points(n, sep, spread, seed)


def read_upload(file, store_key: str, parse, message):
    """A new upload parsed once (the same file again comes from the session), or None after
    saying, in the user's language, what is wrong with it. Shared by the pages' data panels:
    store_key keeps (file id, name, parsed), parse reads the bytes, message words a DataError."""
    previous = st.session_state.get(store_key)
    if previous is not None and previous[0] == file.file_id:
        return previous[2]
    try:
        if file.size > MAX_UPLOAD_MB * 1024 * 1024:
            raise DataError("csv_too_big", limit=MAX_UPLOAD_MB)
        parsed = parse(file.getvalue())
    except DataError as error:
        st.error(message(error) + " " + t("csv.kept"), icon="⚠️")
        return None
    st.session_state[store_key] = (file.file_id, file.name, parsed)
    return parsed


def _read_upload(file) -> Points | None:
    return read_upload(file, _UPLOADED, datasets.parse_points_csv, data_message)


def data_panel() -> Points:
    """Draw the data controls and return the points to use."""
    notices = DATA_STATE.load()
    source = DATA_STATE.widget("src")
    points = None
    if source == "textbook":
        st.caption(t("data.textbook_caption"))
        points = datasets.textbook_points()
    elif source == "generated":
        left, right = st.columns(2)
        for name, column in (("n", left), ("sep", left), ("spread", right), ("dseed", right)):
            DATA_STATE.widget(name, column)
        v = DATA_STATE.values()
        points = _generated(v["n"], v["sep"], v["spread"], v["dseed"])
    else:
        st.caption(t("data.upload_caption", limit=MAX_UPLOAD_MB, rows=datasets.MAX_POINTS))
        file = st.file_uploader(t("data.upload"), type=["csv", "txt"], key="data.file",
                                max_upload_size=WIDGET_UPLOAD_MB)
        st.download_button(t("data.template"), datasets.template_csv(),
                           file_name="points_template.csv", mime="text/csv")
        if file is not None:
            points = _read_upload(file)
        elif st.session_state.get(_UPLOADED) is not None:
            points = st.session_state[_UPLOADED][2]
        if points is None:
            points = st.session_state.get(_LAST) or datasets.textbook_points()
            if file is None:
                st.info(t("data.upload_waiting"), icon="📄")
        else:
            name = st.session_state[_UPLOADED][1]
            st.caption(t("data.upload_using", name=literal(name[:80]), n=len(points)))
    st.session_state[_LAST] = points
    st.download_button(t("data.download"), points.to_csv(), file_name="points.csv",
                       mime="text/csv", key="data.download")
    show_notices(notices, DATA_STATE)
    return points
