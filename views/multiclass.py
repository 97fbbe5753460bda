"""Linear multiclass classifier (slide 30): K linear functions, the softmax, regions in the plane,
planes in space, and the bridge to the MNIST page's model."""
import streamlit as st

from lib.figures import logistic as charts
from lib.scripts import multiclass as codegen_multiclass
from lib.ui import links
from lib.engine import multiclass
from lib.core import multiclass_data
from lib.ui import multiclass_panel
from lib.ui import common as ui
from lib.ui import training_controls as controls
from lib.ui import exercise_panel
from lib.ui import training_run
from lib.figures.multiclass import glyph, regions_figure, space_figure
from lib.ui.i18n import t
from lib.ui.state import PageState, Param

SPACE = ("k3", "spread3", "seed3")
# The 3-D example trains with one fixed recipe (said in its caption), so it never waits long.
SPACE_RECIPE = dict(optimizer="adam", learning_rate=0.01, epochs=2000, batch_size=0, seed=1)
SPACE_POINTS = 40  # per class

STATE = PageState("multiclass", multiclass_panel.PARAMS + [
    *controls.params("adam", 0.01, 2000, 0, helps={"epochs": "multiclass.epochs_help",
                                                   "batch": "multiclass.batch_help"}),
    Param("ties", False, "bool", widget="toggle", label="multiclass.show_ties",
          help="multiclass.ties_help"),
    Param("k3", 3, "int", choices=multiclass_data.GENERATOR_CLASSES, widget="radio",
          label="multiclass.classes", help="multiclass.classes_help"),
    Param("spread3", 2.5, "float", 0.5, 8.0, widget="slider", label="data.spread",
          help="data.spread_help", step=0.5),
    Param("seed3", 1, "int", 0, 99_999, widget="number_input", label="data.seed",
          help="data.seed_help", step=1),
])


def class_names(k: int) -> list[str]:
    return [t("multiclass.class_name", k=i, glyph=glyph(i)) for i in range(k)]


def chart_labels(k: int) -> dict:
    return ui.chart_labels(
        classes=class_names(k), z="z", predicted=t("multiclass.predicted"),
        boundary=t("multiclass.boundary"), ties=t("multiclass.ties"),
        region=t("multiclass.region"), face=t("multiclass.face"))




def run_messages(run) -> None:
    if not run.result.diverged and run.curves["train"][0][-1] > run.curves["train"][0][0]:
        st.warning(t("train.worse"), icon="📈")


def parameters_table(run, k: int, look) -> None:
    names = class_names(k)
    rows = []
    for name, (w0, w1, w2) in zip(names, run.parameters()):
        rows.append({t("multiclass.class_column"): name, "w0": f"{w0:.4f}", "w1": f"{w1:.4f}",
                     "w2": f"{w2:.4f}"})
    ui.table(rows, look)
    st.caption(t("multiclass.parameters_caption", k=k, count=3 * k))


@st.fragment
def training_section(points, look) -> None:
    chart, controls_column = ui.chart_beside_controls(look)
    with controls_column:
        run = trained_model(points, look)
    if run is None:
        return
    x_range, y_range = points.extent()
    labels = chart_labels(points.k)
    with chart:
        ui.plotly(regions_figure(run.kernel, run.bias, points.x, points.c, x_range, y_range,
                                 labels, STATE.get("ties"), look), "multiclass.regions")
        st.caption(t("multiclass.regions_caption"))
    parameters_table(run, points.k, look)

    curves = {name: (loss, acc) for name, (loss, acc) in run.curves.items()}
    ui.plotly(charts.curves_figure(run.shown, curves, labels, look), "multiclass.curves")
    st.caption(t("multiclass.curves_caption"))
    with st.expander(t("common.code_title")):
        test = run.test if len(run.test) else None
        scripts = codegen_multiclass.scripts(run.spec, test.x if test else None,
                                             test.c if test else None)
        ui.code_panel(scripts, "linear_multiclass.py")


def trained_model(points, look):
    """The training controls, the run they ask for and its scores; returns the run (None while
    it is not there yet)."""
    st.markdown(t("multiclass.train_intro"))
    controls.draw(STATE, len(points), columns=ui.control_columns(look, 3))
    settings = controls.values(STATE)
    run = training_run.train(lambda caller: multiclass.run(
        points, settings["opt"], settings["lr"], settings["epochs"], settings["batch"],
        settings["test"], settings["iseed"], caller=caller))
    if run is None:
        return None
    run_messages(run)
    columns = st.columns(3)
    columns[0].metric(t("multiclass.train_accuracy"), f"{run.curves['train'][1][-1]:.1%}")
    if "test" in run.curves:
        columns[1].metric(t("multiclass.test_accuracy"), f"{run.curves['test'][1][-1]:.1%}",
                          help=t("multiclass.test_help", n=len(run.test)))
    columns[2].metric(t("multiclass.mean_loss"), f"{run.curves['train'][0][-1]:.4f}",
                      help=t("multiclass.mean_loss_help"))
    STATE.widget("ties")
    return run


@st.cache_data(max_entries=64, show_spinner=False)
def space_points(k: int, spread: float, seed: int):
    return multiclass_data.generated_points(k, SPACE_POINTS, spread, seed, dim=3)


@st.fragment
def space_section(look) -> None:
    points = space_points(*(STATE.widget(name, column)
                            for name, column in zip(SPACE, st.columns(3))))
    run = training_run.train(lambda caller: multiclass.run(
        points, SPACE_RECIPE["optimizer"], SPACE_RECIPE["learning_rate"], SPACE_RECIPE["epochs"],
        SPACE_RECIPE["batch_size"], 0.0, SPACE_RECIPE["seed"], caller=caller))
    if run is None:
        return
    st.metric(t("multiclass.train_accuracy"), f"{run.curves['train'][1][-1]:.1%}")
    box = points.extent()
    figure = space_figure(points.x, points.c, run.kernel, run.bias, box, chart_labels(points.k),
                          look)
    ui.plotly(figure, "multiclass.space")
    st.caption(t("multiclass.space_caption", k=points.k, n=SPACE_POINTS,
                 epochs=SPACE_RECIPE["epochs"]))
    with st.expander(t("common.code_title")):
        ui.code_panel(codegen_multiclass.scripts(run.spec), "linear_multiclass_3d.py")


def mnist_bridge() -> None:
    st.markdown(t("multiclass.mnist_text"))
    if not links.page_link("mnist", t("multiclass.mnist_link"), icon="🔢"):
        st.caption(t("multiclass.mnist_pending"))


look = ui.page_start(STATE)
with ui.section_box(look, t("multiclass.data_heading")):
    data = multiclass_panel.data_panel(STATE)

st.subheader(t("multiclass.train_heading"))
ui.explain("multiclass.model_text", expanded_outside_lecture=False)
training_section(data, look)

st.subheader(t("multiclass.space_heading"))
ui.explain("multiclass.space_text")
space_section(look)

st.subheader(t("multiclass.mnist_heading"))
mnist_bridge()
exercise_panel.show("multiclass", STATE)
