"""Regression (slides 10, 11, 15, 16): advertising spend against sales, by hand and with Keras."""
import numpy as np
import streamlit as st

from lib.figures import logistic as charts
from lib.scripts import regression as codegen_regression
from lib.core import regression
from lib.engine import regression as regression_engine
from lib.ui import class_lines
from lib.ui import regression_panel
from lib.ui import common as ui
from lib.ui import regression_results as results
from lib.ui import training_controls as controls
from lib.ui import exercise_panel
from lib.ui import training_run
from lib.figures import regression as rcharts
from lib.core.datasets import DataError
from lib.ui.i18n import t
from lib.ui.state import PageState, Param

# One click to the author's over-fitting example ("as on the slide", the page's starting view,
# sits under the title as on every page).
OVERFIT_PRESET = dict(deg=9, scale=True, test=0.3, opt="adam", lr=0.1, epochs=5000, batch=0)

STATE = PageState("regression", regression_panel.DATA_PARAMS + [
    # The hand sliders' range and step follow the data's scale (drawn with them).
    Param("slope", 1.0, "float", -1e6, 1e6, widget="slider", label="regression.slope",
          help="regression.slope_help"),
    Param("icpt", 5.0, "float", -1e6, 1e6, widget="slider", label="regression.intercept",
          help="regression.intercept_help"),
    Param("ls", False, "bool", widget="checkbox", label="regression.show_exact",
          help="regression.show_exact_help"),
    Param("deg", 1, "int", 1, regression.MAX_DEGREE, widget="slider", label="regression.degree",
          help="regression.degree_help"),
    Param("scale", False, "bool", widget="toggle", label="regression.scale",
          help="regression.scale_help"),
    *controls.params("adam", 0.1, 1000, 0, rates=controls.LEARNING_RATES[:-2],
                     batches=controls.BATCHES[:-1], optimizer_labels="regression.optimizer_",
                     helps={"epochs": "regression.epochs_help", "test": "regression.test_help",
                            "iseed": "regression.seed_help"}),
    Param("budget", 12.0, "float", -1e6, 1e6, widget="number_input", label="regression.budget",
          help="regression.budget_help", step=0.5, format="%.2f"),
    Param("tab", "hand", "choice", choices=("hand", "training")),  # the open tab
])


def labels_for(axes: dict, **extra) -> dict:
    labels = dict(axes)
    for name in ("data", "line", "residual", "exact", "fitted", "train", "test", "prediction",
                 "play", "pause", "epoch", "loss", "exact_floor", "degree", "mse", "current",
                 "frame_title"):
        labels[name] = t(f"regression.chart_{name}")
    labels.update(extra)
    return labels


@st.fragment
def hand_section(data, axes, look) -> None:
    chart, controls_column = ui.chart_beside_controls(look)
    with controls_column:
        a, b, exact = hand_controls(data, look)
        class_lines.publish("regression", (a, b))
    x_range, y_range = data.extent()
    figure = rcharts.hand_figure(data.x, data.y, a, b, x_range, y_range, labels_for(axes),
                                 exact, look)
    with chart:
        ui.plotly(figure, "regression.hand_chart")
        st.caption(t("regression.hand_caption"))


def hand_controls(data, look):
    """Slope and intercept sliders and their error; returns (slope, intercept, exact line or
    None when it is not asked for)."""
    st.markdown(t("regression.hand_intro"))
    slope_bound, intercept_bound = regression.hand_ranges(data)
    for name, bound in (("slope", slope_bound), ("icpt", intercept_bound)):
        value = STATE.get(name)
        if not -bound <= value <= bound:  # the data changed scale: keep the slider valid
            STATE.set(name, float(np.clip(value, -bound, bound)))
    left, right = ui.control_columns(look, 2)
    slope_step, intercept_step = slope_bound / 200, intercept_bound / 200
    a = float(STATE.widget("slope", left, min_value=-slope_bound, max_value=slope_bound,
                           step=slope_step, format=regression.slider_format(slope_step)))
    b = float(STATE.widget("icpt", right, min_value=-intercept_bound, max_value=intercept_bound,
                           step=intercept_step, format=regression.slider_format(intercept_step)))
    show_exact = STATE.widget("ls")
    st.latex(rf"y = {a:.4g}\,x {'+' if b >= 0 else '-'} {abs(b):.4g}")
    error = regression.mse(a * data.x + b, data.y)
    fit = regression.least_squares(data.x, data.y, 1)
    exact = regression.line_of(fit.coef, fit.scaling)
    columns = ui.control_columns(look, 3, lecture_count=2)
    columns[0].metric(t("regression.mse"), results.number(error), help=t("regression.mse_help",
                                                                  n=len(data)))
    if show_exact:
        columns[1].metric(t("regression.exact_mse"), results.number(regression.mse(fit(data.x), data.y)),
                          help=t("regression.exact_mse_help"))
        columns[2].metric(t("regression.exact_line"), f"y = {exact[0]:.4g} x {exact[1]:+.4g}")
    return a, b, exact if show_exact else None


def training_controls(n_points: int, look) -> None:
    st.markdown(t("regression.presets"))
    ui.preset_button("regression.preset_overfit", "regression.preset_overfit_help",
                     {STATE: OVERFIT_PRESET}, "regression.preset_overfit")
    left, middle, right = ui.control_columns(look, 3, lecture_count=2, places=(0, 1, 1))
    STATE.widget("deg", left)
    STATE.widget("scale", left)
    controls.draw(STATE, n_points, columns=(middle, right, left))


def run_training(data, settings):
    return training_run.train(lambda caller: regression_engine.run(
        data, settings["deg"], settings["scale"], settings["test"], settings["opt"],
        settings["lr"], settings["epochs"], settings["batch"], settings["iseed"], caller=caller),
        diverged_hint="" if settings["scale"] else t("regression.diverged_unscaled"))


def prediction_block(run):
    """The next budget and the predicted sales; returns (budget, predicted) for the figure."""
    st.markdown(t("regression.predict_intro"))
    left, middle, right = st.columns(3)
    budget = float(STATE.widget("budget", left))
    predicted = float(run.predict([budget])[0])
    middle.metric(t("regression.predicted"), results.number(predicted),
                  help=t("regression.predicted_help"))
    right.metric(t("regression.predicted_exact"), results.number(float(run.exact([budget])[0])))
    lo, hi = float(run.train.x.min()), float(run.train.x.max())
    if not lo <= budget <= hi:
        st.caption(t("regression.extrapolation", lo=lo, hi=hi))
    return budget, predicted


def view_of(run, prediction):
    """The axis ranges (data and prediction included) and the grid the curves are drawn on."""
    everything = regression.Sales(np.r_[run.train.x, run.test.x], np.r_[run.train.y, run.test.y])
    x_range, y_range = regression.view_ranges(everything, *prediction)
    grid = np.linspace(*x_range, 2 if run.degree == 1 else 150)  # a line needs two points
    return x_range, y_range, grid


def fit_chart(run, axes, prediction, look) -> None:
    x_range, y_range, grid = view_of(run, prediction)
    shown = prediction if x_range[0] <= prediction[0] <= x_range[1] else None
    ui.plotly(rcharts.fit_figure(run.train, run.test, grid, run.predict(grid), run.exact(grid),
                                 x_range, y_range, labels_for(axes), shown, look),
              "regression.fit_chart")
    st.caption(t("regression.fit_caption"))
    results.gap_statement(run)


def figures(run, axes, prediction, look) -> None:
    labels = labels_for(axes)
    x_range, y_range, grid = view_of(run, prediction)
    st.subheader(t("regression.animation_heading"))
    epochs = charts.snapshot_epochs(run.result.epochs_done)
    curves = regression.evaluate_many(run.weights[epochs], grid, run.scaling)
    losses = regression.mse_many(regression.evaluate_many(run.weights[epochs], run.train.x,
                                                          run.scaling), run.train.y)
    ui.plotly(rcharts.fit_animation(run.train, run.test, grid, curves, epochs, losses,
                                    run.exact(grid), x_range, y_range, labels, look),
              "regression.animation")
    st.caption(t("regression.animation_caption", frames=len(epochs)))
    exact_mse = regression.mse(run.exact(run.train.x), run.train.y)
    ui.plotly(rcharts.loss_figure(run.curve_epochs, run.curves, labels, exact_mse, look),
              "regression.loss_chart")
    st.caption(t("regression.loss_caption"))


@st.fragment
def training_section(data, axes, look) -> None:
    chart, controls_column = ui.chart_beside_controls(look)
    with controls_column:
        st.markdown(t("regression.train_intro"))
        training_controls(len(data), look)
        try:
            run = run_training(data, STATE.values())
        except DataError as error:
            st.error(regression_panel.message(error), icon="⚠️")
            return
        if run is None:
            return
        results.run_messages(run)
        results.result_metrics(run, look)
        st.subheader(t("regression.predict_heading"))
        prediction = prediction_block(run)
    with chart:
        fit_chart(run, axes, prediction, look)
    figures(run, axes, prediction, look)
    results.overfitting_block(run, labels_for(axes), look)
    with st.expander(t("common.code_title"), expanded=not look.lecture):
        scripts = codegen_regression.scripts(
            run.spec, run.train.x, run.train.y, run.degree, run.scaling,
            run.test.x if len(run.test) else None, run.test.y if len(run.test) else None,
            budget=prediction[0])
        st.markdown(t("regression.code_note"))
        ui.code_panel(scripts, "regression.py")


look = ui.page_start(STATE)
with ui.section_box(look, t("regression.data_heading")):
    data, axes = regression_panel.data_panel(STATE)
hand_tab, training_tab = STATE.tabs("tab", {"hand": t("regression.tab_hand"),
                                            "training": t("regression.tab_training")})
with hand_tab:
    ui.explain("regression.hand_text", expanded_outside_lecture=False)
    hand_section(data, axes, look)
    class_lines.projector("regression", data, labels_for(axes), look)
with training_tab:
    ui.explain("regression.training_text", expanded_outside_lecture=False)
    training_section(data, axes, look)
exercise_panel.show("regression", STATE, data=data)
