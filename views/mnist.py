"""The MNIST classifier (slides 30–33): an image is 784 numbers; ten linear functions split
that space into ten regions; train it, look at right and wrong answers, and try your own digit."""

import numpy as np
import streamlit as st

from lib.figures import logistic as charts
from lib.figures import mnist as charts_mnist
from lib.core import digits
from lib.core import mnist
from lib.engine import mnist as mnist_engine
from lib.scripts import mnist as mnist_code
from lib.ui import common as ui
from lib.ui import canvas
from lib.ui import mnist_digits as digits_tab
from lib.ui import mnist_results as results
from lib.ui import training_controls as controls
from lib.ui import exercise_panel
from lib.ui import training_run
from lib.ui.i18n import t
from lib.ui.state import PageState, Param

SIZES = (100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 30_000, 0)  # 0: every image
INPUTS = ("canvas", "upload")
CANVAS_SIZE = 280

STATE = PageState("mnist", [
    Param("idx", 0, "int", 0, 59_999, widget="number_input", help="mnist.index_help", step=1),
    *controls.params("adam", 0.001, 10, 128, test=None, rates=controls.LEARNING_RATES[:9],
                     epoch_choices=(1, 2, 3, 5, 10, 15, 20, 30),
                     batches=(16, 32, 64, 128, 256, 512, 1024),
                     helps={"epochs": "mnist.epochs_help", "batch": "mnist.batch_help",
                            "iseed": "mnist.seed_help"}),
    Param("size", 0, "int", choices=SIZES, widget="select_slider", label="mnist.size",
          help="mnist.size_help"),
    Param("layers", 0, "int", 0, mnist.MAX_HIDDEN_LAYERS,
          choices=tuple(range(mnist.MAX_HIDDEN_LAYERS + 1)), widget="radio",
          label="mnist.layers", help="mnist.layers_help", labels="mnist.layers_"),
    Param("width", 128, "int", choices=mnist.HIDDEN_WIDTHS, widget="select_slider",
          label="mnist.width", help="mnist.width_help"),
    Param("true", 4, "int", 0, 9, choices=tuple(range(10)), widget="selectbox",
          label="mnist.true"),
    Param("pred", 9, "int", 0, 9, choices=tuple(range(10)), widget="selectbox",
          label="mnist.predicted"),
    Param("input", "canvas", "choice", choices=INPUTS, widget="radio", label="mnist.input",
          labels="mnist.input_"),
    Param("tab", "digit", "choice", choices=("digit", "training", "draw")),  # the open tab
])
_SHOWN = "mnist._shown_run"  # key of the run the whole page last showed (drawing included)


# ---------------------------------------------------------------------------------------------
# ② Training and results (① a digit is 784 numbers: lib/ui/mnist_digits.py)


def size_options(n_train: int) -> list[int]:
    return [s for s in SIZES if 0 < s < n_train] + [0]


def training_controls(data: mnist.Digits, look) -> None:
    key = STATE.key
    sizes = size_options(data.n_train)
    if st.session_state[key("size")] not in sizes:
        st.session_state[key("size")] = 0  # more than there are: every image
    # Labels are looked up now, not inside format_func, which may run outside this session.
    size_names = {s: t("mnist.size_all", n=data.n_train) if s == 0 else f"{s:,}" for s in sizes}
    left, middle, right = ui.control_columns(look, 3, lecture_count=2, places=(0, 1, 1))
    # The seed under the optimizer: the third column holds the network's shape.
    controls.draw(STATE, columns=(left, middle, left))
    STATE.widget("size", middle, options=sizes, format_func=size_names.get)
    STATE.widget("layers", right)
    STATE.widget("width", right, disabled=STATE.get("layers") == 0)


def current_settings() -> mnist.Settings:
    layers = STATE.get("layers")
    return mnist.Settings(hidden=(STATE.get("width"),) * layers, optimizer=STATE.get("opt"),
                          learning_rate=STATE.get("lr"), batch_size=STATE.get("batch"),
                          epochs=STATE.get("epochs"), train_size=STATE.get("size"),
                          seed=STATE.get("iseed"))


def run_training(data: mnist.Digits, settings: mnist.Settings):
    allowed = settings.budget_epochs(mnist.subset_size(data.n_train, settings.train_size))

    def start(caller):
        def progress(epochs_done: float, loss: float, accuracy: float) -> None:
            caller.progress(epochs_done / allowed, t(
                "mnist.progress", epoch=min(allowed, int(np.ceil(epochs_done - 1e-9))),
                epochs=allowed, loss=loss, accuracy=accuracy))

        return mnist_engine.train(data, settings, progress=progress, caller=caller)[0]

    return training_run.train(start)


@st.fragment
def training_section(data: mnist.Digits, look) -> None:
    chart, controls_column = ui.chart_beside_controls(look)
    with controls_column:
        st.markdown(t("mnist.train_intro"))
        training_controls(data, look)
        settings = current_settings()
        run = run_training(data, settings)
    if run is None:
        return
    key = mnist.run_key(data, settings)
    if st.session_state.get(_SHOWN) not in (None, key):
        # A new model: the drawing tab must predict with it too, so redraw the whole page.
        st.session_state[_SHOWN] = key
        st.rerun(scope="app")
    st.session_state[_SHOWN] = key
    with controls_column:
        results.result_metrics(run, data, look)
    if run.epochs_done:
        epochs = np.arange(1, run.epochs_done + 1)
        h = run.history
        curves = {"train": (h["loss"], h["accuracy"]), "test": (h["test_loss"], h["test_accuracy"])}
        with chart:
            ui.plotly(charts.curves_figure(epochs, curves, ui.chart_labels(), look,
                                           height=look.height if look.lecture else None),
                      "mnist.curves")
            st.caption(t("mnist.curves_caption"))
    results.examples_section(run, data, look)
    results.confusion_section(STATE, run, data, look)
    results.templates_section(run, look)
    with st.expander(t("common.code_title"), expanded=not look.lecture):
        ui.code_panel(mnist_code.scripts(settings, data.source, data.n_train), "mnist_keras.py",
                      intro="mnist.code_intro", fast_text="mnist.code_fast_text")


# ---------------------------------------------------------------------------------------------
# ③ Draw a digit


def drawn_input() -> np.ndarray | None:
    """The 28×28 input from the canvas or an upload; messages for empty or unusable pictures."""
    choice = STATE.widget("input")
    if choice == "canvas":
        st.space("medium")  # room for the canvas's toolbar, which sits above its top edge
        try:  # the canvas's state is what the client sent: any shape may arrive
            canvas.drawing_canvas("mnist.canvas", CANVAS_SIZE)
            st.caption(t("mnist.canvas_hint"))
            # The raw data URL, not the result's image_data (which decodes any image
            # unchecked): digits checks and decodes it within its limits.
            x = digits.from_data_url(digits.canvas_data_url(st.session_state.get("mnist.canvas")))
        except (AttributeError, TypeError, KeyError, ValueError):  # ImageProblem included
            st.warning(t("mnist.canvas_unreadable"), icon="🖼️")
            return None
        if x is None:
            st.info(t("mnist.empty_drawing"), icon="✏️")
        return x
    upload = st.file_uploader(t("mnist.upload"), key="mnist.upload", help=t("mnist.upload_help"))
    if upload is None:
        st.info(t("mnist.upload_prompt"), icon="📤")
        return None
    try:
        x = digits.from_upload(upload.getvalue())
    except digits.ImageProblem as problem:
        st.error(t(f"mnist.image_{problem.code}", **problem.details), icon="🖼️")
        return None
    if x is None:
        st.info(t("mnist.empty_upload"), icon="🖼️")
    return x


@st.fragment
def draw_section(data: mnist.Digits, look) -> None:
    if look.lecture:  # the canvas and the input beside the probabilities, in the first screen
        left, right = st.columns([1, 2], gap="medium")
        intro, picture, answer = left, left, right
    else:
        intro = st.container()
        left, right = st.columns([1, 1])
        picture, answer = right, st.container()
    intro.markdown(t("mnist.draw_intro"))
    settings = current_settings()
    run = mnist_engine.cached_run(data, settings)
    with left:
        x = drawn_input()
    if run is None:
        right.info(t("mnist.draw_no_model"), icon="⏳")
        return
    kind = t("mnist.model_linear") if settings.linear else t(
        "mnist.model_deep", layers=len(settings.hidden), width=settings.hidden[0])
    right.caption(t("mnist.draw_model", model=kind, accuracy=run.test_accuracy))
    if x is None:
        return
    with picture:
        ui.plotly(charts_mnist.digit_figure(x, digits_tab.image_labels(title=t("mnist.input_28")),
                                            height=300, zmax=1.0, look=look),
                  "mnist.drawn_input")
    probabilities = mnist.predict(run.weights, x.reshape(1, -1))[0]
    best = int(np.argmax(probabilities))
    with answer:
        st.markdown(t("mnist.prediction", digit=best, p=float(probabilities[best])))
        ui.plotly(charts_mnist.probability_figure(
            probabilities, digits_tab.image_labels(), look, height=480 if look.lecture else 320),
            "mnist.probabilities")
        st.caption(t("mnist.probabilities_caption"))
    if settings.linear:
        kernel, bias = run.weights[0]
        parts = mnist.evidence(run.weights, x)
        scores = parts.reshape(10, -1).sum(axis=1) + bias
        titles = [t("mnist.evidence_title", digit=d, z=float(scores[d])) for d in range(10)]
        st.markdown(t("mnist.evidence_intro"))
        ui.plotly(charts_mnist.templates_figure(parts, titles, digits_tab.image_labels(),
                                                colorbar_title=t("mnist.evidence"), look=look),
                  "mnist.evidence")
        st.caption(t("mnist.evidence_caption"))


# ---------------------------------------------------------------------------------------------

# The slide's view keeps the tab that is open.
look = ui.page_start(STATE, {STATE: STATE.defaults() | {"tab": STATE.get("tab")}})
data = digits_tab.load_data()
digits_tab.data_banner(data, look)
digit_tab, training_tab, draw_tab = STATE.tabs(
    "tab", {name: t(f"mnist.tab_{name}") for name in ("digit", "training", "draw")})
with digit_tab:
    digits_tab.digit_section(STATE, data, look)
    st.divider()
    digits_tab.projection_section(data, look)
with training_tab:
    ui.explain("mnist.training_text", expanded_outside_lecture=False)
    training_section(data, look)
with draw_tab:
    draw_section(data, look)
exercise_panel.show("mnist", STATE, data=data,
                    run=mnist_engine.cached_run(data, current_settings()))
