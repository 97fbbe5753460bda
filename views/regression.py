"""Regression (slides 5, 6, 9, 10): advertising spend against sales, by hand and with Keras."""
import numpy as np
import streamlit as st

from lib.figures import logistic as charts
from lib.scripts import regression as codegen_regression
from lib.core import regression
from lib.engine import regression as regression_engine
from lib.ui import regression_panel
from lib.engine import training
from lib.ui import common as ui
from lib.ui import exercise_panel
from lib.ui import look as looks
from lib.ui import training_run
from lib.figures import regression as rcharts
from lib.core.datasets import DataError
from lib.ui.i18n import t
from lib.ui.state import PageState, Param

LEARNING_RATES = (0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
EPOCHS = (1, 10, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000)
BATCHES = (0, 1, 2, 4, 8, 16, 32, 64, 128)  # 0: the whole set per step, as on the slides
HAND = ("slope", "icpt", "ls")
TRAINING = ("deg", "scale", "test", "opt", "lr", "epochs", "batch", "iseed", "budget")
# One click to the slide's straight line, or to the author's over-fitting example.
SLIDE_PRESET = dict(deg=1, scale=False, test=0.0, opt="adam", lr=0.1, epochs=1000, batch=0)
OVERFIT_PRESET = dict(deg=9, scale=True, test=0.3, opt="adam", lr=0.1, epochs=5000, batch=0)

STATE = PageState("regression", regression_panel.DATA_PARAMS + [
    Param("slope", 1.0, "float", -1e6, 1e6),
    Param("icpt", 5.0, "float", -1e6, 1e6),
    Param("ls", False, "bool"),
    Param("deg", 1, "int", 1, regression.MAX_DEGREE),
    Param("scale", False, "bool"),
    Param("test", 0.0, "float", 0.0, 0.5),
    Param("opt", "adam", "choice", choices=training.OPTIMIZERS),
    Param("lr", 0.1, "float", choices=LEARNING_RATES),
    Param("epochs", 1000, "int", choices=EPOCHS),
    Param("batch", 0, "int", choices=BATCHES),
    Param("iseed", 1, "int", 0, 99_999),
    Param("budget", 12.0, "float", -1e6, 1e6),
])


def number(value: float) -> str:
    """4 significant digits; large values in full with separators, not as 4.836e+04."""
    return f"{value:,.0f}" if abs(value) >= 1e4 else f"{value:.4g}"


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
    chart, controls = ui.chart_beside_controls(look)
    with controls:
        a, b, exact = hand_controls(data, look)
    x_range, y_range = data.extent()
    figure = rcharts.hand_figure(data.x, data.y, a, b, x_range, y_range, labels_for(axes),
                                 exact, look)
    with chart:
        ui.plotly(figure, "regression.hand_chart")
        st.caption(t("regression.hand_caption"))
    STATE.save(HAND)


def hand_controls(data, look):
    """Slope and intercept sliders and their error; returns (slope, intercept, exact line or
    None when it is not asked for)."""
    st.markdown(t("regression.hand_intro"))
    key = STATE.key
    slope_bound, intercept_bound = regression.hand_ranges(data)
    for name, bound in (("slope", slope_bound), ("icpt", intercept_bound)):
        value = STATE.get(name)
        if not -bound <= value <= bound:  # the data changed scale: keep the slider valid
            STATE.set(name, float(np.clip(value, -bound, bound)))
    left, right = ui.control_columns(look, 2)
    slope_step, intercept_step = slope_bound / 200, intercept_bound / 200
    left.slider(t("regression.slope"), -slope_bound, slope_bound, step=slope_step,
                format=regression.slider_format(slope_step), key=key("slope"),
                help=t("regression.slope_help"))
    right.slider(t("regression.intercept"), -intercept_bound, intercept_bound,
                 step=intercept_step, format=regression.slider_format(intercept_step),
                 key=key("icpt"), help=t("regression.intercept_help"))
    show_exact = st.checkbox(t("regression.show_exact"), key=key("ls"),
                             help=t("regression.show_exact_help"))
    a, b = float(STATE.get("slope")), float(STATE.get("icpt"))
    st.latex(rf"y = {a:.4g}\,x {'+' if b >= 0 else '-'} {abs(b):.4g}")
    error = regression.mse(a * data.x + b, data.y)
    fit = regression.least_squares(data.x, data.y, 1)
    exact = regression.line_of(fit.coef, fit.scaling)
    columns = ui.control_columns(look, 3, lecture_count=2)
    columns[0].metric(t("regression.mse"), number(error), help=t("regression.mse_help",
                                                                  n=len(data)))
    if show_exact:
        columns[1].metric(t("regression.exact_mse"), number(regression.mse(fit(data.x), data.y)),
                          help=t("regression.exact_mse_help"))
        columns[2].metric(t("regression.exact_line"), f"y = {exact[0]:.4g} x {exact[1]:+.4g}")
    return a, b, exact if show_exact else None


def training_controls(n_points: int, look) -> None:
    key = STATE.key
    st.markdown(t("regression.presets"))
    left, right = st.columns(2)
    with left:
        ui.preset_button("regression.preset_slide", "regression.preset_slide_help",
                         {STATE: SLIDE_PRESET}, "regression.preset_slide")
    with right:
        ui.preset_button("regression.preset_overfit", "regression.preset_overfit_help",
                         {STATE: OVERFIT_PRESET}, "regression.preset_overfit")
    left, middle, right = ui.control_columns(look, 3, lecture_count=2, places=(0, 1, 1))
    left.slider(t("regression.degree"), 1, regression.MAX_DEGREE, key=key("deg"),
                help=t("regression.degree_help"))
    left.toggle(t("regression.scale"), key=key("scale"), help=t("regression.scale_help"))
    left.slider(t("train.test_fraction"), 0.0, 0.5, step=0.05, format="%.2f", key=key("test"),
                help=t("regression.test_help"))
    # Labels are looked up now, not inside format_func, which may run outside this session.
    optimizers = {o: t(f"regression.optimizer_{o}") for o in training.OPTIMIZERS}
    batches = {b: t("train.batch_all", n=n_points) if b == 0 else str(b) for b in BATCHES}
    middle.selectbox(t("train.optimizer"), training.OPTIMIZERS, key=key("opt"),
                     format_func=optimizers.get, help=t("train.optimizer_help"))
    middle.select_slider(t("train.learning_rate"), LEARNING_RATES, key=key("lr"),
                         format_func=lambda v: f"{v:g}", help=t("train.learning_rate_help"))
    right.select_slider(t("train.epochs"), EPOCHS, key=key("epochs"),
                        help=t("regression.epochs_help"))
    right.select_slider(t("train.batch"), BATCHES, key=key("batch"),
                        format_func=batches.get, help=t("train.batch_help"))
    right.number_input(t("train.seed"), 0, 99_999, step=1, key=key("iseed"),
                       help=t("regression.seed_help"))


def run_training(data, settings):
    return training_run.train(lambda caller: regression_engine.run(
        data, settings["deg"], settings["scale"], settings["test"], settings["opt"],
        settings["lr"], settings["epochs"], settings["batch"], settings["iseed"], caller=caller),
        diverged_hint="" if settings["scale"] else t("regression.diverged_unscaled"))


def run_messages(run) -> None:
    if not run.result.diverged and run.curves["train"][-1] > run.curves["train"][0]:
        st.warning(t("train.worse"), icon="📈")
    if not run.exact.unique:
        st.warning(t("regression.underdetermined", n=len(run.train), degree=run.degree,
                     needed=run.degree + 1), icon="🧩")


def result_metrics(run, look) -> None:
    columns = ui.control_columns(look, 4, lecture_count=2)
    if run.degree == 1:
        slope, intercept = regression.line_of(run.final, run.scaling)
        columns[0].metric(t("regression.trained_slope"), f"{slope:.4f}")
        columns[1].metric(t("regression.trained_intercept"), f"{intercept:.4f}")
    else:
        columns[0].metric(t("regression.coefficients"), str(run.degree + 1),
                          help=t("regression.coefficients_help"))
    columns[2].metric(t("regression.train_mse"), number(run.curves["train"][-1]),
                      help=t("regression.train_mse_help", n=len(run.train)))
    if "test" in run.curves:
        columns[3].metric(t("regression.test_mse"), number(run.curves["test"][-1]),
                          help=t("regression.test_mse_help", n=len(run.test)))
    st.latex(formula(run))


def formula(run) -> str:
    """The trained model as LaTeX: y = b + w1·x (or the polynomial in u, and what u is)."""
    b, w = run.final[0], run.final[1:]
    variable = "x" if run.scaling == regression.Scaling() else "u"
    terms = [f"{b:.4g}"]
    for k, value in enumerate(w, start=1):
        power = variable if k == 1 else f"{variable}^{{{k}}}"
        terms.append(f"{'+' if value >= 0 else '-'} {abs(value):.4g}\\,{power}")
    text = r"\hat{y} = " + " ".join(terms)
    if variable == "u":
        s = run.scaling
        text += rf"\\ u = \frac{{x - {s.centre:.4g}}}{{{s.half_width:.4g}}}"
    return text


def gap_statement(run) -> None:
    exact_mse = regression.mse(run.exact(run.train.x), run.train.y)
    gap = regression.max_gap(run)
    if run.degree == 1:
        slope, intercept = regression.line_of(run.exact.coef, run.exact.scaling)
        text = t("regression.gap_line", slope=slope, intercept=intercept, gap=gap,
                 mse=run.curves["train"][-1], exact_mse=exact_mse)
    else:
        text = t("regression.gap_curve", gap=gap, mse=run.curves["train"][-1],
                 exact_mse=exact_mse)
    st.info(text, icon="📏")


def prediction_block(run):
    """The next budget and the predicted sales; returns (budget, predicted) for the figure."""
    st.markdown(t("regression.predict_intro"))
    left, middle, right = st.columns(3)
    left.number_input(t("regression.budget"), -1e6, 1e6, step=0.5, format="%.2f",
                      key=STATE.key("budget"), help=t("regression.budget_help"))
    budget = float(STATE.get("budget"))
    predicted = float(run.predict([budget])[0])
    middle.metric(t("regression.predicted"), number(predicted),
                  help=t("regression.predicted_help"))
    right.metric(t("regression.predicted_exact"), number(float(run.exact([budget])[0])))
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
    gap_statement(run)


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


def overfitting_block(run, labels, look) -> None:
    st.subheader(t("regression.overfit_heading"))
    ui.explain("regression.overfit_text", expanded_outside_lecture=False)
    train_errors, test_errors = regression.errors_by_degree(run.train, run.test)
    ui.plotly(rcharts.degree_figure(train_errors, test_errors, run.degree, labels, look),
              "regression.degree_chart")
    if len(run.test):
        best = int(np.nanargmin(test_errors)) + 1
        st.caption(t("regression.degree_caption", best=best))
    else:
        st.info(t("regression.no_test"), icon="🧪")


@st.fragment
def training_section(data, axes, look) -> None:
    chart, controls = ui.chart_beside_controls(look)
    with controls:
        st.markdown(t("regression.train_intro"))
        training_controls(len(data), look)
        settings = {name: STATE.get(name) for name in TRAINING}
        try:
            run = run_training(data, settings)
        except DataError as error:
            st.error(regression_panel.message(error), icon="⚠️")
            STATE.save(TRAINING)
            return
        if run is None:
            STATE.save(TRAINING)
            return
        run_messages(run)
        result_metrics(run, look)
        st.subheader(t("regression.predict_heading"))
        prediction = prediction_block(run)
    STATE.save(TRAINING)
    with chart:
        fit_chart(run, axes, prediction, look)
    figures(run, axes, prediction, look)
    overfitting_block(run, labels_for(axes), look)
    with st.expander(t("common.code_title"), expanded=not look.lecture):
        script = codegen_regression.regression_script(
            run.spec, run.train.x, run.train.y, run.degree, run.scaling,
            run.test.x if len(run.test) else None, run.test.y if len(run.test) else None,
            budget=prediction[0])
        st.markdown(t("regression.code_note"))
        ui.code_panel(script, "regression.py")


look = looks.current()
st.title(t("regression.title"))
ui.explain("regression.intro")
notices = STATE.load()
ui.show_notices(notices, STATE)
with ui.section_box(look, t("regression.data_heading")):
    data, axes = regression_panel.data_panel(STATE)
hand_tab, training_tab = st.tabs([t("regression.tab_hand"), t("regression.tab_training")])
with hand_tab:
    ui.explain("regression.hand_text", expanded_outside_lecture=False)
    hand_section(data, axes, look)
with training_tab:
    ui.explain("regression.training_text", expanded_outside_lecture=False)
    training_section(data, axes, look)
exercise_panel.show("regression", STATE, data=data)
