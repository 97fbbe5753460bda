"""Logistic regression (slides 19–29): a line, the sigmoid, the cross-entropy, and training."""
import numpy as np
import streamlit as st

from lib.figures import logistic as charts
from lib.scripts import logistic as codegen
from lib.ui import points_panel as data_panel
from lib.core import logistic as logistic_maths
from lib.engine import logistic
from lib.core import maths
from lib.ui import class_lines
from lib.ui import common as ui
from lib.ui import training_controls as controls
from lib.ui import exercise_panel
from lib.ui import look as looks
from lib.ui import training_run
from lib.ui.i18n import t
from lib.ui.saturation_panel import saturation_panel
from lib.ui.state import PageState, Param

MANUAL = ("w0", "w1", "w2")
# The author's published result for the textbook data (Adam, 5000 full-batch epochs).
PUBLISHED = (-3.45, 0.072, 0.160)

STATE = PageState("logistic", [
    *data_panel.weight_params("logistic"),
    *controls.params("rmsprop", 0.001, 5000, 0),
    Param("tab", "manual", "choice", choices=("manual", "training")),  # the open tab
    # Also train with a loss written on the clipped P, beside the slide's loss.
    Param("clip", False, "bool", widget="toggle", label="logistic.clip_toggle",
          help="logistic.clip_help"),
])


def copy_trained_weights(weights) -> None:
    """Button callback: move the manual sliders to the trained parameters."""
    for name, value, param in zip(MANUAL, weights, (STATE.params[m] for m in MANUAL)):
        STATE.set(name, param.clamp(round(float(value), 3)))


@st.fragment
def manual_section(points, look) -> None:
    chart, controls_column = ui.chart_beside_controls(look)
    with controls_column:
        w = manual_controls(points, look)
        class_lines.publish("logistic", w)
    x_range, y_range = points.extent()
    figure = charts.boundary_figure(points.x, points.t, w, x_range, y_range, ui.chart_labels(),
                                    look)
    with chart:
        ui.plotly(figure, "logistic.manual_chart")
        st.caption(t("logistic.manual_caption"))


def manual_controls(points, look) -> tuple:
    """The sliders of w0, w1, w2 and what the line they make scores; returns (w0, w1, w2)."""
    st.markdown(t("logistic.manual_intro"))
    columns = ui.control_columns(look, 3)
    w = tuple(STATE.widget(name, column) for name, column in zip(MANUAL, columns))
    f = maths.linear(*w, points.x[:, 0], points.x[:, 1])
    st.latex(rf"f(x, y) = {w[0]:.2f} {w[1]:+.3f}\,x {w[2]:+.3f}\,y")
    a, b, c = st.columns(3)
    a.metric(t("logistic.cross_entropy"), f"{maths.cross_entropy(f, points.t):.3f}",
             help=t("logistic.cross_entropy_help"))
    b.metric(t("logistic.mean_loss"), f"{maths.cross_entropy(f, points.t, 'mean'):.4f}",
             help=t("logistic.mean_loss_help"))
    c.metric(t("logistic.accuracy"), f"{maths.accuracy(f, points.t):.1%}",
             help=t("logistic.accuracy_help", n=len(points)))
    return w


def run_training(points, settings, loss: str = "binary"):
    return training_run.train(lambda caller: logistic.run(
        points, settings["opt"], settings["lr"], settings["epochs"], settings["batch"],
        settings["test"], settings["iseed"], caller=caller, loss=loss))


def result_metrics(run, look) -> None:
    """The trained parameters and accuracies, and the button that hands them to the sliders."""
    w = run.final
    columns = ui.control_columns(look, 5, lecture_count=2)
    columns[0].metric("w0", f"{w[0]:.4f}")
    columns[1].metric("w1", f"{w[1]:.4f}")
    columns[2].metric("w2", f"{w[2]:.4f}")
    columns[3].metric(t("logistic.train_accuracy"), f"{run.curves['train'][1][-1]:.1%}")
    if "test" in run.curves:
        columns[4].metric(t("logistic.test_accuracy"), f"{run.curves['test'][1][-1]:.1%}",
                          help=t("logistic.test_help", n=len(run.test)))
    st.button(t("logistic.copy_weights"), on_click=copy_trained_weights, args=(w,),
              key="logistic.copy",
              help=t("logistic.copy_weights_help"))


def run_messages(run) -> None:
    if not run.result.diverged and run.curves["train"][0][-1] > run.curves["train"][0][0]:
        st.warning(t("train.worse"), icon="📈")


def comparison_table(run, points, is_textbook: bool, look) -> None:
    rows = [(t("logistic.row_trained"), run.final)]
    optimum, converged = maths.logistic_optimum(run.train.x, run.train.t)
    if converged:
        rows.append((t("logistic.row_optimum"), optimum))
    if is_textbook:
        rows.append((t("logistic.row_published"), np.array(PUBLISHED)))
    table = []
    for label, w in rows:
        f = maths.linear(*w, run.train.x[:, 0], run.train.x[:, 1])
        table.append({"": label, "w0": f"{w[0]:.4f}", "w1": f"{w[1]:.4f}", "w2": f"{w[2]:.4f}",
                      "E": f"{maths.cross_entropy(f, run.train.t):.3f}",
                      t("logistic.accuracy"): f"{maths.accuracy(f, run.train.t):.1%}"})
    ui.table(table, look)
    st.caption(t("logistic.optimum_note") if converged else t("logistic.separable_note"))


@st.fragment
def training_section(points, is_textbook: bool, look) -> None:
    chart, controls_column = ui.chart_beside_controls(look)
    with controls_column:
        st.markdown(t("logistic.train_intro"))
        controls.draw(STATE, len(points), columns=ui.control_columns(look, 3))
        settings = controls.values(STATE)
        run = run_training(points, settings)
        if run is None:
            return
        run_messages(run)
        result_metrics(run, look)

    epochs = charts.snapshot_epochs(run.result.epochs_done)
    x_range, y_range = points.extent()
    labels = ui.chart_labels(frame_title=t("chart.frame_title"))
    with chart:
        ui.plotly(charts.training_animation(
            run.train.x, run.train.t, run.weights[epochs], epochs, x_range, y_range, labels,
            look), "logistic.animation")
        st.caption(t("logistic.animation_caption", frames=len(epochs)))

    shown = charts.thin(len(run.weights))
    curves = {name: (loss[shown], acc[shown]) for name, (loss, acc) in run.curves.items()}
    ui.plotly(charts.curves_figure(shown, curves, labels, look), "logistic.curves")
    st.caption(t("logistic.curves_caption"))
    comparison_table(run, points, is_textbook, look)

    start = run.weights[0]
    st.info(t("logistic.logits_note", count=logistic_maths.saturated_points(run.train, start),
              n=len(run.train)), icon="🧮")
    if STATE.widget("clip"):
        clipped_run = run_training(points, settings, loss="binary_clipped")
        if clipped_run is not None:
            saturation_panel(run, clipped_run)
    with st.expander(t("common.code_title"), expanded=not look.lecture):
        test = run.test if len(run.test) else None
        ui.code_panel(codegen.scripts(run.spec, test.x if test else None,
                                      test.t if test else None), "logistic_regression.py")


def preset(optimizer: str) -> dict:
    """The slide's view: textbook data, full batch, 5000 epochs; RMSprop (slide) or Adam (book)."""
    training_values = {"opt": optimizer, "lr": 0.001, "epochs": 5000, "batch": 0, "test": 0.0,
                       "iseed": 1, "clip": False}
    manual_values = {name: STATE.params[name].default for name in MANUAL}
    return {data_panel.DATA_STATE: {"src": "textbook"}, STATE: training_values | manual_values}


look = looks.current()
st.title(t("logistic.title"))
ui.explain("logistic.intro")
# Side by side at their natural widths: lecture-mode lettering must not cut a label short.
with st.container(horizontal=True):
    ui.preset_button("logistic.preset_slide", "logistic.preset_slide_help", preset("rmsprop"),
                     "logistic.preset_slide")
    ui.preset_button("logistic.preset_book", "logistic.preset_book_help", preset("adam"),
                     "logistic.preset_book")
with ui.section_box(look, t("logistic.data_heading")):
    points = data_panel.data_panel()
notices = STATE.load()
ui.show_notices(notices, STATE)
manual_tab, training_tab = STATE.tabs("tab", {"manual": t("logistic.tab_manual"),
                                              "training": t("logistic.tab_training")})
with manual_tab:
    ui.explain("logistic.sigmoid_text", expanded_outside_lecture=False)
    manual_section(points, look)
    class_lines.projector("logistic", points, ui.chart_labels(), look)
with training_tab:
    ui.explain("logistic.training_text", expanded_outside_lecture=False)
    training_section(points, data_panel.DATA_STATE.get("src") == "textbook", look)
exercise_panel.show("logistic", STATE, points=points)
