"""The sigmoid explorer (slides 23–25): σ(a), and the probability P(x, y) = σ(f(x, y)).

Nothing here trains, so nothing here imports TensorFlow (a test checks it).
"""
import streamlit as st

from lib.figures import sigmoid as charts_sigmoid
from lib.ui import points_panel as data_panel
from lib.core import maths
from lib.core import sigmoid
from lib.ui import common as ui
from lib.ui import exercise_panel
from lib.ui import fit
from lib.ui.i18n import t
from lib.ui.state import PageState, Param

PLANE = ("w0", "w1", "w2")
LOGISTIC_KEYS = ("logistic.w0", "logistic.w1", "logistic.w2")  # the logistic page's sliders

STATE = PageState("sigmoid", [
    Param("a", 1.0, "float", *sigmoid.A_RANGE, widget="slider", help="sigmoid.a_help",
          step=0.05, format="%.2f"),
    Param("deriv", False, "bool", widget="checkbox", label="sigmoid.show_derivative",
          help="sigmoid.show_derivative_help"),
    Param("step", False, "bool", widget="checkbox", label="sigmoid.show_step",
          help="sigmoid.show_step_help"),
    Param("tanh", False, "bool", widget="checkbox", label="sigmoid.show_tanh",
          help="sigmoid.show_tanh_help"),
    *data_panel.weight_params("sigmoid"),
])


def logistic_points():
    """The points the logistic page used last in this session; its textbook data otherwise."""
    # data_panel keeps them in the session under this key; the sigmoid page only reads them.
    points = st.session_state.get(data_panel._LAST)
    return (points, True) if points is not None else (sigmoid.textbook_points(), False)


def logistic_weights():
    """(w0, w1, w2) of the logistic page's sliders in this session, or None if never opened.

    Its sliders' values live under their keys while the page is shown, and in the page's saved
    settings (PageState) once the student has moved on.
    """
    saved = st.session_state.get("_saved.logistic", {})
    values = [st.session_state.get(key, saved.get(name)) for name, key in zip(PLANE, LOGISTIC_KEYS)]
    return None if any(v is None for v in values) else tuple(float(v) for v in values)


def copy_logistic_weights() -> None:
    """Button callback: take w0, w1, w2 from the logistic page."""
    weights = logistic_weights()
    for name, value in zip(PLANE, weights or ()):
        STATE.set(name, STATE.params[name].clamp(value))


@st.fragment
def curve_section(look) -> None:
    chart, controls = ui.chart_beside_controls(look)
    with controls:
        a, shown = curve_controls(look)
    a_values, functions = sigmoid.curves()
    labels = {name: t(f"sigmoid.curve_{name}") for name in
              ("sigmoid", "derivative", "step", "tanh", "point")}
    figure = charts_sigmoid.sigmoid_figure(a_values, functions, a, shown, labels, look)
    with chart:
        ui.plotly(figure, "sigmoid.curve_chart")
        st.caption(t("sigmoid.curve_caption"))


def curve_controls(look):
    """The slider of a, the curves to show and their values at a: returns (a, shown)."""
    a = float(STATE.widget("a"))
    for name, column in zip(("deriv", "step", "tanh"), ui.control_columns(look, 3)):
        STATE.widget(name, column)
    shown = {"derivative": STATE.get("deriv"), "step": STATE.get("step"),
             "tanh": STATE.get("tanh")}
    value = float(maths.sigmoid([a])[0])
    columns = st.columns(3)
    columns[0].metric("σ(a)", f"{value:.4f}", help=t("sigmoid.value_help"))
    if shown["derivative"]:
        columns[1].metric("σ′(a) = σ(1 − σ)", f"{value * (1 - value):.4f}",
                          help=t("sigmoid.derivative_help"))
    if shown["tanh"]:
        columns[2].metric("tanh(a)", f"{float(sigmoid.tanh(a)):.4f}")
    return a, shown


@st.fragment
def plane_section(look) -> None:
    st.markdown(t("sigmoid.plane_intro"))
    if logistic_weights() is not None:
        st.button(t("sigmoid.copy_logistic"), on_click=copy_logistic_weights,
                  help=t("sigmoid.copy_logistic_help"), key="sigmoid.copy_logistic")
    w = tuple(float(STATE.widget(name, column)) for name, column in zip(PLANE, st.columns(3)))
    st.latex(rf"P(x, y) = \sigma({w[0]:.2f} {w[1]:+.3f}\,x {w[2]:+.3f}\,y)")

    points, from_logistic = logistic_points()
    x_range, y_range = points.extent()
    heights = sigmoid.point_probabilities(w, points.x)
    f = maths.linear(*w, points.x[:, 0], points.x[:, 1])
    width = sigmoid.transition_width(w[1], w[2])
    columns = st.columns(3)
    columns[0].metric(t("sigmoid.width"), "∞" if width == float("inf") else f"{width:.2f}",
                      help=t("sigmoid.width_help"))
    columns[1].metric(t("logistic.cross_entropy"), f"{maths.cross_entropy(f, points.t):.3f}",
                      help=t("logistic.cross_entropy_help"))
    columns[2].metric(t("logistic.accuracy"), f"{maths.accuracy(f, points.t):.1%}",
                      help=t("logistic.accuracy_help", n=len(points)))

    labels = ui.chart_labels(floor_line=t("sigmoid.floor_line"))
    xs, ys, p = sigmoid.probability_surface(w, x_range, y_range)
    surface_column, contour_column = st.columns(2)
    with surface_column:
        st.markdown(t("sigmoid.surface_heading"))
        with fit.scene_box("sigmoid.surface_chart"):
            ui.plotly(charts_sigmoid.surface_figure(
                w, xs, ys, p, points.x, points.t, heights, x_range, y_range, labels, look),
                "sigmoid.surface_chart", height="stretch")
    with contour_column:
        st.markdown(t("sigmoid.contour_heading"))
        with fit.scene_box("sigmoid.contour_chart"):  # as tall as the 3-D scene beside it
            ui.plotly(charts_sigmoid.contour_figure(
                w, xs, ys, p, points.x, points.t, x_range, y_range, labels, look),
                "sigmoid.contour_chart", height="stretch")
    st.caption(t("sigmoid.plane_caption"))
    st.caption(t("sigmoid.points_from_logistic" if from_logistic else "sigmoid.points_textbook",
                 n=len(points)))


look = ui.page_start(STATE)
st.subheader(t("sigmoid.curve_heading"))
ui.explain("sigmoid.curve_text", expanded_outside_lecture=True)
curve_section(look)
st.subheader(t("sigmoid.plane_heading"))
ui.explain("sigmoid.plane_text", expanded_outside_lecture=True)
plane_section(look)
exercise_panel.show("sigmoid", STATE)
