"""The regression page's data panel: generated spend and sales, or an uploaded CSV.

The generator's settings live in the page's settings (and so in the URL). An uploaded file
cannot travel in a URL: the link then says "upload", and the page explains. The columns a
student picks in an uploaded table stay in the session only.
"""
from __future__ import annotations

import re

import streamlit as st

from lib.core import regression
from lib.core.datasets import DataError
from lib.ui.i18n import t
from lib.core.regression_data import Sales
from lib.ui.state import PageState, Param
from lib.ui.common import data_message, literal
from lib.ui.points_panel import MAX_UPLOAD_MB, WIDGET_UPLOAD_MB, read_upload

SOURCES = ("generated", "upload")
DATA_PARAMS = [
    Param("src", "generated", "choice", choices=SOURCES, widget="radio", label="data.source",
          labels="regression.source_"),
    Param("n", 20, "int", 2, 200, widget="slider", label="regression.n",
          help="regression.n_help"),
    Param("a", 3.0, "float", -10.0, 10.0, widget="slider", label="regression.true_slope",
          help="regression.true_slope_help", step=0.1),
    Param("b", 10.0, "float", -50.0, 50.0, widget="slider", label="regression.true_intercept",
          help="regression.true_intercept_help", step=0.5),
    Param("noise", 3.0, "float", 0.0, 20.0, widget="slider", label="regression.noise",
          help="regression.noise_help", step=0.1),
    Param("dseed", 1, "int", 0, 99_999, widget="number_input", label="data.seed",
          help="data.seed_help", step=1),
]
_UPLOADED = "regression._uploaded"  # (file id, file name, table) of the last readable upload
_LAST = "regression._last_data"  # (Sales, axis labels) the page used last
_X_COLUMN = "regression._xcol"
_Y_COLUMN = "regression._ycol"


def message(error: DataError) -> str:
    """The translated message of a data problem: the shared CSV messages, or this page's own."""
    own = ("csv_two_columns", "csv_same_column", "csv_constant_x", "features_too_large")
    return data_message(error, "regression", own)


def axis_text(name: str, limit: int = 40) -> str:
    """A column name made safe for a plotly axis title: no markup, no control characters."""
    text = re.sub(r"[\x00-\x1f\x7f]", " ", str(name))[:limit]
    return text.replace("<", "‹").replace(">", "›").replace("&", "＆") or "-"


@st.cache_data(max_entries=256, show_spinner=False)
def _generated(n: int, slope: float, intercept: float, noise: float, seed: int) -> Sales:
    return regression.generated(n, slope, intercept, noise, seed)


def generated_labels() -> dict:
    return {"x": t("regression.axis_spend"), "y": t("regression.axis_sales")}


def _read_upload(file):
    """The uploaded table, or None after saying (translated) what is wrong with the file."""
    previous = st.session_state.get(_UPLOADED)
    table = read_upload(file, _UPLOADED, regression.read_table, message)
    if table is not None and (previous is None or previous[0] != file.file_id):
        st.session_state.pop(_X_COLUMN, None)  # a new table: its columns are chosen afresh
        st.session_state.pop(_Y_COLUMN, None)
    return table


def _upload_panel():
    """(Sales, labels) from the uploaded table and the chosen columns, or None."""
    st.caption(t("regression.upload_caption", limit=MAX_UPLOAD_MB, rows=regression.MAX_POINTS))
    file = st.file_uploader(t("regression.upload"), type=["csv", "txt"], key="regression.file",
                            max_upload_size=WIDGET_UPLOAD_MB)
    st.download_button(t("data.template"), regression.template_csv(),
                       file_name="sales_template.csv", mime="text/csv",
                       key="regression.template")
    table = _read_upload(file) if file is not None else None
    if table is None and file is None and st.session_state.get(_UPLOADED) is not None:
        table = st.session_state[_UPLOADED][2]
    if table is None:
        if file is None:
            st.info(t("data.upload_waiting"), icon="📄")
        return None
    columns = list(table.columns)
    x_default, y_default = regression.default_columns(columns)
    for key, default in ((_X_COLUMN, x_default), (_Y_COLUMN, y_default)):
        if st.session_state.get(key) not in columns:
            st.session_state[key] = default
    left, right = st.columns(2)
    left.selectbox(t("regression.x_column"), columns, key=_X_COLUMN,
                   format_func=axis_text, help=t("regression.x_column_help"))
    right.selectbox(t("regression.y_column"), columns, key=_Y_COLUMN,
                    format_func=axis_text, help=t("regression.y_column_help"))
    x_column, y_column = st.session_state[_X_COLUMN], st.session_state[_Y_COLUMN]
    try:
        data = regression.pick_columns(table, x_column, y_column)
    except DataError as error:
        st.error(message(error) + " " + t("csv.kept"), icon="⚠️")
        return None
    name = st.session_state[_UPLOADED][1]
    st.caption(t("data.upload_using", name=literal(name[:80]), n=len(data)))
    return data, {"x": axis_text(x_column), "y": axis_text(y_column)}


def data_panel(state: PageState):
    """Draw the data controls; return (Sales, axis labels {"x", "y"}) to use."""
    chosen = None
    if state.widget("src") == "generated":
        st.caption(t("regression.generated_caption"))
        left, right = st.columns(2)
        for name, column in (("n", left), ("a", left), ("b", left), ("noise", right),
                             ("dseed", right)):
            state.widget(name, column)
        v = {name: state.get(name) for name in ("n", "a", "b", "noise", "dseed")}
        chosen = (_generated(v["n"], v["a"], v["b"], v["noise"], v["dseed"]), None)
    else:
        chosen = _upload_panel()
    if chosen is None:
        last = st.session_state.get(_LAST)
        chosen = last if last is not None else (
            _generated(*(p.default for p in DATA_PARAMS[1:])), None)
    st.session_state[_LAST] = chosen
    data, labels = chosen
    st.download_button(t("data.download"), data.to_csv(), file_name="sales.csv",
                       mime="text/csv", key="regression.download_data")
    return data, labels or generated_labels()  # None: generated data, labelled in today's language
