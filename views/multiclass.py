"""Linear multiclass classifier (slide 19): K linear functions, the softmax, regions in the plane,
planes in space, and the bridge to the MNIST page's model."""
import streamlit as st

from lib.figures import logistic as charts
from lib.scripts import multiclass as codegen_multiclass
from lib.ui import links
from lib.engine import multiclass
from lib.core import multiclass_data
from lib.ui import multiclass_panel
from lib.engine import training
from lib.ui import common as ui
from lib.ui import exercise_panel
from lib.ui import look as looks
from lib.ui import training_run
from lib.figures.multiclass import glyph, regions_figure, space_figure
from lib.ui.i18n import t
from lib.ui.state import PageState, Param

LEARNING_RATES = (0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0)
EPOCHS = (1, 10, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000)
BATCHES = (0, 1, 2, 4, 8, 16, 32, 64, 128, 256)  # 0: the whole set per step
TRAINING = ("opt", "lr", "epochs", "batch", "test", "iseed")
SPACE = ("k3", "spread3", "seed3")
# The 3-D example trains with one fixed recipe (said in its caption), so it never waits long.
SPACE_RECIPE = dict(optimizer="adam", learning_rate=0.01, epochs=2000, batch_size=0, seed=1)
SPACE_POINTS = 40  # per class

STATE = PageState("multiclass", multiclass_panel.PARAMS + [
    Param("opt", "adam", "choice", choices=training.OPTIMIZERS),
    Param("lr", 0.01, "float", choices=LEARNING_RATES),
    Param("epochs", 2000, "int", choices=EPOCHS),
    Param("batch", 0, "int", choices=BATCHES),
    Param("test", 0.0, "float", 0.0, 0.5),
    Param("iseed", 1, "int", 0, 99_999),
    Param("ties", False, "bool"),
    Param("k3", 3, "int", choices=multiclass_data.GENERATOR_CLASSES),
    Param("spread3", 2.5, "float", 0.5, 8.0),
    Param("seed3", 1, "int", 0, 99_999),
])


def class_names(k: int) -> list[str]:
    return [t("multiclass.class_name", k=i, glyph=glyph(i)) for i in range(k)]


def chart_labels(k: int) -> dict:
    return ui.chart_labels(
        classes=class_names(k), z="z", predicted=t("multiclass.predicted"),
        boundary=t("multiclass.boundary"), ties=t("multiclass.ties"),
        region=t("multiclass.region"), face=t("multiclass.face"))


def training_controls(n_points: int, look) -> None:
    key = STATE.key
    left, middle, right = ui.control_columns(look, 3)
    # Labels are looked up now, not inside format_func, which may run outside this session.
    optimizers = {o: t(f"train.optimizer_{o}") for o in training.OPTIMIZERS}
    batches = {b: t("train.batch_all", n=n_points) if b == 0 else str(b) for b in BATCHES}
    left.selectbox(t("train.optimizer"), training.OPTIMIZERS, key=key("opt"),
                   format_func=optimizers.get, help=t("train.optimizer_help"))
    left.select_slider(t("train.learning_rate"), LEARNING_RATES, key=key("lr"),
                       format_func=lambda v: f"{v:g}", help=t("train.learning_rate_help"))
    middle.select_slider(t("train.epochs"), EPOCHS, key=key("epochs"),
                         help=t("multiclass.epochs_help"))
    middle.select_slider(t("train.batch"), BATCHES, key=key("batch"),
                         format_func=batches.get, help=t("multiclass.batch_help"))
    right.slider(t("train.test_fraction"), 0.0, 0.5, step=0.05, format="%.2f", key=key("test"),
                 help=t("train.test_fraction_help"))
    right.number_input(t("train.seed"), 0, 99_999, step=1, key=key("iseed"),
                       help=t("train.seed_help"))


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
    chart, controls = ui.chart_beside_controls(look)
    with controls:
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
        script = codegen_multiclass.multiclass_script(
            run.spec, test.x if test else None, test.c if test else None)
        ui.code_panel(script, "linear_multiclass.py")


def trained_model(points, look):
    """The training controls, the run they ask for and its scores; returns the run (None while
    it is not there yet)."""
    st.markdown(t("multiclass.train_intro"))
    training_controls(len(points), look)
    settings = {name: STATE.get(name) for name in TRAINING}
    STATE.save(TRAINING)
    run = training_run.train(lambda caller: multiclass.run(
        points, settings["opt"], settings["lr"], settings["epochs"], settings["batch"],
        settings["test"], settings["iseed"], caller=caller))
    if run is None:
        return
    run_messages(run)

    columns = st.columns(3)
    columns[0].metric(t("multiclass.train_accuracy"), f"{run.curves['train'][1][-1]:.1%}")
    if "test" in run.curves:
        columns[1].metric(t("multiclass.test_accuracy"), f"{run.curves['test'][1][-1]:.1%}",
                          help=t("multiclass.test_help", n=len(run.test)))
    columns[2].metric(t("multiclass.mean_loss"), f"{run.curves['train'][0][-1]:.4f}",
                      help=t("multiclass.mean_loss_help"))

    st.toggle(t("multiclass.show_ties"), key=STATE.key("ties"), help=t("multiclass.ties_help"))
    STATE.save(("ties",))
    return run


@st.cache_data(max_entries=64, show_spinner=False)
def space_points(k: int, spread: float, seed: int):
    return multiclass_data.generated_points(k, SPACE_POINTS, spread, seed, dim=3)


@st.fragment
def space_section(look) -> None:
    key = STATE.key
    left, middle, right = st.columns(3)
    left.radio(t("multiclass.classes"), multiclass_data.GENERATOR_CLASSES, key=key("k3"),
               horizontal=True, help=t("multiclass.classes_help"))
    middle.slider(t("data.spread"), 0.5, 8.0, step=0.5, key=key("spread3"),
                  help=t("data.spread_help"))
    right.number_input(t("data.seed"), 0, 99_999, step=1, key=key("seed3"),
                       help=t("data.seed_help"))
    STATE.save(SPACE)
    points = space_points(STATE.get("k3"), STATE.get("spread3"), STATE.get("seed3"))
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
        ui.code_panel(codegen_multiclass.multiclass_script(run.spec), "linear_multiclass_3d.py")


def mnist_bridge() -> None:
    st.markdown(t("multiclass.mnist_text"))
    if not links.page_link("views/mnist.py", t("multiclass.mnist_link"), icon="🔢"):
        st.caption(t("multiclass.mnist_pending"))


look = looks.current()
st.title(t("multiclass.title"))
ui.preset_button("common.preset_slide", "common.preset_slide_help", {STATE: STATE.defaults()},
                 "multiclass.preset_slide")
ui.explain("multiclass.intro")
notices = STATE.load()
ui.show_notices(notices, STATE)
with ui.section_box(look, t("multiclass.data_heading")):
    data = multiclass_panel.data_panel(STATE)
    STATE.save(tuple(p.name for p in multiclass_panel.PARAMS))

st.subheader(t("multiclass.train_heading"))
ui.explain("multiclass.model_text", expanded_outside_lecture=False)
training_section(data, look)

st.subheader(t("multiclass.space_heading"))
ui.explain("multiclass.space_text")
space_section(look)

st.subheader(t("multiclass.mnist_heading"))
mnist_bridge()
exercise_panel.show("multiclass", STATE)
