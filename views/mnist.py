"""The MNIST classifier (slides 19–21): an image is 784 numbers; ten linear functions split
that space into ten regions; train it, look at right and wrong answers, and try your own digit."""

import numpy as np
import streamlit as st
from streamlit_drawable_canvas import st_canvas

from lib.figures import logistic as charts
from lib.figures import mnist as charts_mnist
from lib.core import digits
from lib.core import mnist
from lib.engine import mnist as mnist_engine
from lib.scripts import mnist as mnist_code
from lib.engine import training
from lib.ui import common as ui
from lib.ui import exercise_panel
from lib.ui import look as looks
from lib.ui import training_run
from lib.ui.i18n import t
from lib.ui.state import PageState, Param

LEARNING_RATES = (0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
EPOCHS = (1, 2, 3, 5, 10, 15, 20, 30)
BATCHES = (16, 32, 64, 128, 256, 512, 1024)
SIZES = (100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 30_000, 0)  # 0: every image
INPUTS = ("canvas", "upload")
TRAINING = ("opt", "lr", "epochs", "batch", "size", "layers", "width", "iseed")
CANVAS_SIZE = 280

STATE = PageState("mnist", [
    Param("idx", 0, "int", 0, 59_999),
    Param("opt", "adam", "choice", choices=training.OPTIMIZERS),
    Param("lr", 0.001, "float", choices=LEARNING_RATES),
    Param("epochs", 10, "int", choices=EPOCHS),
    Param("batch", 128, "int", choices=BATCHES),
    Param("size", 0, "int", choices=SIZES),
    Param("layers", 0, "int", 0, mnist.MAX_HIDDEN_LAYERS),
    Param("width", 128, "int", choices=mnist.HIDDEN_WIDTHS),
    Param("iseed", 1, "int", 0, 99_999),
    Param("true", 4, "int", 0, 9),
    Param("pred", 9, "int", 0, 9),
    Param("input", "canvas", "choice", choices=INPUTS),
])
_SHOWN = "mnist._shown_run"  # key of the run the whole page last showed (drawing included)


def image_labels(**extra) -> dict:
    labels = {"pixel_hover": t("mnist.pixel_hover"), "digit": t("mnist.digit"),
              "pc1": t("mnist.pc1"), "pc2": t("mnist.pc2"), "predicted": t("mnist.predicted"),
              "true": t("mnist.true"), "cell_hover": t("mnist.cell_hover"),
              "weight_hover": t("mnist.weight_hover"), "probability": t("mnist.probability"),
              "probability_hover": t("mnist.probability_hover")}
    labels.update(extra)
    return labels


def load_data() -> mnist.Digits:
    if mnist.loaded():
        return mnist.load()
    with st.spinner(t("mnist.loading")):
        return mnist.load()


def data_banner(data: mnist.Digits, look) -> None:
    """Where the digits come from; folded under its heading in lecture mode."""
    if look.lecture:
        with st.expander(t("mnist.data_heading")):
            data_source(data)
    else:
        data_source(data)


def data_source(data: mnist.Digits) -> None:
    if data.source == "keras":
        st.success(t("mnist.source_keras", train=data.n_train, test=data.n_test), icon="🗂️")
    else:
        st.info(t("mnist.source_offline", train=data.n_train, test=data.n_test), icon="🗂️")
        if data.problem:
            st.caption(t("mnist.source_problem", problem=ui.literal(data.problem)))


# ---------------------------------------------------------------------------------------------
# ① A digit is 784 numbers; similar digits gather


@st.fragment
def digit_section(data: mnist.Digits, look) -> None:
    if look.lecture:  # the numbers beside everything else, all in the first screen
        intro, numbers = st.columns([1, 2], gap="medium")
        chooser = label = picture = intro
    else:
        intro = st.container()
        chooser, label = st.columns([1, 2], vertical_alignment="bottom")
        picture, numbers = st.columns([2, 3])
    intro.markdown(t("mnist.digit_intro"))
    key = STATE.key("idx")
    if st.session_state[key] > data.n_train - 1:
        st.session_state[key] = data.n_train - 1
    chooser.number_input(t("mnist.index", last=data.n_train - 1), 0, data.n_train - 1, step=1,
                         key=key, help=t("mnist.index_help"))
    index = STATE.get("idx")
    image = data.image(index)
    label.markdown(t("mnist.digit_label", index=index, label=int(data.train_y[index])))
    labels = image_labels()
    with picture:
        ui.plotly(charts_mnist.digit_figure(image, image_labels(title=t("mnist.as_image")),
                                            height=360, look=look), "mnist.digit_image")
    with numbers:
        ui.plotly(charts_mnist.digit_figure(image, dict(labels, title=t("mnist.as_numbers")),
                                            numbers=True, height=max(560, look.height),
                                            look=look), "mnist.digit_numbers")
    st.caption(t("mnist.digit_caption"))
    with st.expander(t("mnist.vector_title")):
        st.code("[" + ", ".join(str(v) for v in image.ravel()) + "]", language=None,
                wrap_lines=True)
    STATE.save(("idx",))


@st.cache_resource(show_spinner=False, max_entries=2)
def projection_view(source: str, n_train: int, _data: mnist.Digits):
    """The PCA of the server's data and its points per digit with their hover pictures, made
    once per server and shared by every session (read only)."""
    view = mnist.projection(_data)
    hover = [charts_mnist.braille(_data.image(i)) for i in view.index]
    return view, charts_mnist.projection_traces(view.coords, view.labels, hover)


@st.fragment
def projection_section(data: mnist.Digits, look) -> None:
    st.markdown(t("mnist.projection_intro"))
    view, parts = projection_view(data.source, data.n_train, data)
    figure = charts_mnist.projection_figure(parts, image_labels(), look)
    event = ui.plotly(figure, "mnist.projection", on_select="rerun",
                      selection_mode=("points", "box", "lasso"))
    st.caption(t("mnist.projection_caption", n=len(view.index),
                 share=float(view.explained.sum())))
    chosen = _selected_points(event, figure)
    if chosen:
        shown = chosen[:30]
        index = view.index[shown]
        st.markdown(t("mnist.selection_heading", n=len(chosen), shown=len(shown)))
        titles = [str(int(data.train_y[i])) for i in index]
        ui.plotly(charts_mnist.gallery_figure(data.train_x[index], titles, columns=10,
                                              look=look), "mnist.projection_gallery")
    else:
        st.caption(t("mnist.selection_hint"))


def _selected_points(event, figure) -> list[int]:
    """Positions in the projection of the points chosen by click, box or lasso."""
    try:
        points = event.selection.points
    except AttributeError:
        return []
    chosen = []
    traces = figure.spec["data"]
    for point in points:
        trace = point.get("curve_number")
        number = point.get("point_number", point.get("point_index"))
        if trace is None or number is None or trace >= len(traces):
            continue
        custom = traces[trace].get("customdata")
        if custom is not None and number < len(custom):
            chosen.append(int(custom[number]))
    return chosen


# ---------------------------------------------------------------------------------------------
# ② Training and results


def size_options(n_train: int) -> list[int]:
    return [s for s in SIZES if 0 < s < n_train] + [0]


def training_controls(data: mnist.Digits, look) -> None:
    key = STATE.key
    sizes = size_options(data.n_train)
    if st.session_state[key("size")] not in sizes:
        st.session_state[key("size")] = 0  # more than there are: every image
    # Labels are looked up now, not inside format_func, which may run outside this session.
    optimizers = {o: t(f"train.optimizer_{o}") for o in training.OPTIMIZERS}
    size_names = {s: t("mnist.size_all", n=data.n_train) if s == 0 else f"{s:,}" for s in sizes}
    layer_names = {n: t(f"mnist.layers_{n}") for n in range(mnist.MAX_HIDDEN_LAYERS + 1)}
    left, middle, right = ui.control_columns(look, 3, lecture_count=2, places=(0, 1, 1))
    left.selectbox(t("train.optimizer"), training.OPTIMIZERS, key=key("opt"),
                   format_func=optimizers.get, help=t("train.optimizer_help"))
    left.select_slider(t("train.learning_rate"), LEARNING_RATES, key=key("lr"),
                       format_func=lambda v: f"{v:g}", help=t("train.learning_rate_help"))
    left.number_input(t("train.seed"), 0, 99_999, step=1, key=key("iseed"),
                      help=t("mnist.seed_help"))
    middle.select_slider(t("train.epochs"), EPOCHS, key=key("epochs"), help=t("mnist.epochs_help"))
    middle.select_slider(t("train.batch"), BATCHES, key=key("batch"), help=t("mnist.batch_help"))
    middle.select_slider(t("mnist.size"), sizes, key=key("size"), format_func=size_names.get,
                         help=t("mnist.size_help"))
    right.radio(t("mnist.layers"), list(layer_names), key=key("layers"),
                format_func=layer_names.get, help=t("mnist.layers_help"))
    right.select_slider(t("mnist.width"), mnist.HIDDEN_WIDTHS, key=key("width"),
                        disabled=STATE.get("layers") == 0, help=t("mnist.width_help"))


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


def result_metrics(run: mnist_engine.Run, data: mnist.Digits, look) -> None:
    columns = ui.control_columns(look, 4, lecture_count=2)
    columns[0].metric(t("mnist.test_accuracy"), f"{run.test_accuracy:.1%}",
                      help=t("mnist.test_accuracy_help", n=data.n_test))
    columns[1].metric(t("mnist.train_accuracy"), f"{run.history['accuracy'][-1]:.1%}"
                      if run.epochs_done else "–", help=t("mnist.train_accuracy_help"))
    columns[2].metric(t("mnist.parameters"), f"{run.settings.parameters():,}",
                      help=t("mnist.parameters_help"))
    columns[3].metric(t("mnist.train_images"), f"{run.n_train:,}",
                      help=t("mnist.train_images_help"))
    if run.settings.linear and run.settings.optimizer == "adam" and run.settings.epochs == 10 \
            and run.settings.batch_size == 128 and data.source == "keras" and run.n_train == 60_000:
        st.caption(t("mnist.published_note"))


def examples_section(run: mnist_engine.Run, data: mnist.Digits, look) -> None:
    st.subheader(t("mnist.examples_heading"))
    st.markdown(t("mnist.examples_intro"))
    headers = ((0, t("mnist.examples_right")), (3, t("mnist.examples_wrong")))
    figure = charts_mnist.examples_figure(data.test_x, data.test_y, run.test_pred,
                                          mnist.examples(data.test_y, run.test_pred), headers,
                                          look)
    ui.plotly(figure, "mnist.examples")
    st.caption(t("mnist.examples_caption"))


def pick_cell(chart_key: str) -> None:
    """Chart callback: a clicked confusion-matrix cell becomes the chosen (true, predicted)."""
    try:
        points = st.session_state[chart_key].selection.points
    except (KeyError, AttributeError):
        return
    for point in points:
        x, y = point.get("x"), point.get("y")
        if x is not None and y is not None:
            STATE.set("true", int(round(float(y))))
            STATE.set("pred", int(round(float(x))))
            return


def confusion_section(run: mnist_engine.Run, data: mnist.Digits, look) -> None:
    st.subheader(t("mnist.confusion_heading"))
    st.markdown(t("mnist.confusion_intro"))
    counts = mnist.confusion(data.test_y, run.test_pred)
    true, pred = STATE.get("true"), STATE.get("pred")
    left, right = st.columns([3, 2])
    with left:
        figure = charts_mnist.confusion_figure(counts, (true, pred), image_labels(), look)
        ui.plotly(figure, "mnist.confusion", on_select=lambda: pick_cell(
            "mnist.confusion"), selection_mode="points")
        st.caption(t("mnist.confusion_caption"))
    with right:
        a, b = st.columns(2)
        a.selectbox(t("mnist.true"), range(10), key=STATE.key("true"))
        b.selectbox(t("mnist.predicted"), range(10), key=STATE.key("pred"))
        true, pred = STATE.get("true"), STATE.get("pred")
        index = np.flatnonzero((data.test_y == true) & (run.test_pred == pred))
        kind = "mnist.cell_right" if true == pred else "mnist.cell_wrong"
        st.markdown(t(kind, n=len(index), true=true, pred=pred))
        if len(index):
            shown = index[:24]
            titles = [f"{pred} / {true}"] * len(shown)
            ui.plotly(charts_mnist.gallery_figure(data.test_x[shown], titles, columns=6,
                                                  look=look), "mnist.cell_gallery")
            if len(index) > len(shown):
                st.caption(t("mnist.cell_more", shown=len(shown), n=len(index)))


def templates_section(run: mnist_engine.Run, look) -> None:
    st.subheader(t("mnist.templates_heading"))
    if not run.settings.linear:
        st.info(t("mnist.templates_deep"), icon="🕸️")
        return
    st.markdown(t("mnist.templates_intro"))
    kernel, bias = run.weights[0]
    titles = [t("mnist.template_title", digit=d, bias=float(bias[d])) for d in range(10)]
    figure = charts_mnist.templates_figure(kernel.T, titles, image_labels(),
                                           height=420 if look.lecture else 340,
                                           colorbar_title=t("mnist.weight"), look=look)
    ui.plotly(figure, "mnist.templates")
    st.caption(t("mnist.templates_caption"))


@st.fragment
def training_section(data: mnist.Digits, look) -> None:
    chart, controls = ui.chart_beside_controls(look)
    with controls:
        st.markdown(t("mnist.train_intro"))
        training_controls(data, look)
        settings = current_settings()
        STATE.save(TRAINING)
        run = run_training(data, settings)
    if run is None:
        return
    key = mnist.run_key(data, settings)
    if st.session_state.get(_SHOWN) not in (None, key):
        # A new model: the drawing tab must predict with it too, so redraw the whole page.
        st.session_state[_SHOWN] = key
        st.rerun(scope="app")
    st.session_state[_SHOWN] = key
    with controls:
        result_metrics(run, data, look)
    if run.epochs_done:
        epochs = np.arange(1, run.epochs_done + 1)
        h = run.history
        curves = {"train": (h["loss"], h["accuracy"]), "test": (h["test_loss"], h["test_accuracy"])}
        with chart:
            ui.plotly(charts.curves_figure(epochs, curves, ui.chart_labels(), look,
                                           height=look.height if look.lecture else None),
                      "mnist.curves")
            st.caption(t("mnist.curves_caption"))
    examples_section(run, data, look)
    confusion_section(run, data, look)
    STATE.save(("true", "pred"))
    templates_section(run, look)
    with st.expander(t("common.code_title"), expanded=not look.lecture):
        st.markdown(t("mnist.code_intro"))
        script = mnist_code.script(settings, data.source, data.n_train)
        st.download_button(t("common.download_script"), script, file_name="mnist_keras.py",
                           mime="text/x-python", icon="⬇️", key="mnist.download_script")
        st.code(script, language="python", line_numbers=True)


# ---------------------------------------------------------------------------------------------
# ③ Draw a digit


def drawn_input() -> np.ndarray | None:
    """The 28×28 input from the canvas or an upload; messages for empty or unusable pictures."""
    names = {c: t(f"mnist.input_{c}") for c in INPUTS}
    choice = st.radio(t("mnist.input"), INPUTS, key=STATE.key("input"), horizontal=True,
                      format_func=names.get)
    STATE.save(("input",))
    if choice == "canvas":
        st.space("medium")  # room for the canvas's toolbar, which sits above its top edge
        result = st_canvas(stroke_width=20, stroke_color="#000000", background_color="#ffffff",
                           height=CANVAS_SIZE, width=CANVAS_SIZE, drawing_mode="freedraw",
                           return_image_data=True, key="mnist.canvas")
        st.caption(t("mnist.canvas_hint"))
        try:
            rgba = result.image_data
        except RuntimeError:
            rgba = None
        try:
            x = digits.from_canvas(rgba)
        except digits.ImageProblem as problem:
            st.warning(t(f"mnist.image_{problem.code}"), icon="🖼️")
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
        st.error(t(f"mnist.image_{problem.code}", mb=digits.MAX_BYTES // (1024 * 1024)), icon="🖼️")
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
        ui.plotly(charts_mnist.digit_figure(x, image_labels(title=t("mnist.input_28")),
                                            height=300, zmax=1.0, look=look),
                  "mnist.drawn_input")
    probabilities = mnist.predict(run.weights, x.reshape(1, -1))[0]
    best = int(np.argmax(probabilities))
    with answer:
        st.markdown(t("mnist.prediction", digit=best, p=float(probabilities[best])))
        ui.plotly(charts_mnist.probability_figure(
            probabilities, image_labels(), look, height=480 if look.lecture else 320),
            "mnist.probabilities")
        st.caption(t("mnist.probabilities_caption"))
    if settings.linear:
        kernel, bias = run.weights[0]
        parts = mnist.evidence(run.weights, x)
        scores = parts.reshape(10, -1).sum(axis=1) + bias
        titles = [t("mnist.evidence_title", digit=d, z=float(scores[d])) for d in range(10)]
        st.markdown(t("mnist.evidence_intro"))
        ui.plotly(charts_mnist.templates_figure(parts, titles, image_labels(),
                                                colorbar_title=t("mnist.evidence"), look=look),
                  "mnist.evidence")
        st.caption(t("mnist.evidence_caption"))


# ---------------------------------------------------------------------------------------------

look = looks.current()
st.title(t("mnist.title"))
ui.preset_button("common.preset_slide", "common.preset_slide_help", {STATE: STATE.defaults()},
                 "mnist.preset_slide")
ui.explain("mnist.intro")
notices = STATE.load()
ui.show_notices(notices, STATE)
data = load_data()
data_banner(data, look)
digit_tab, training_tab, draw_tab = st.tabs(
    [t("mnist.tab_digit"), t("mnist.tab_training"), t("mnist.tab_draw")])
with digit_tab:
    digit_section(data, look)
    st.divider()
    projection_section(data, look)
with training_tab:
    ui.explain("mnist.training_text", expanded_outside_lecture=False)
    training_section(data, look)
with draw_tab:
    draw_section(data, look)
exercise_panel.show("mnist", STATE, data=data,
                    run=mnist_engine.cached_run(data, current_settings()))
