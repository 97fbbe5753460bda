"""The cross-entropy surface (slide 17): the parameters that minimise E give a good boundary.

One point's cost, every point's share of E, E as a landscape over two parameters with a Keras
training path on it, and the mean squared error's landscape beside it. TensorFlow is loaded
only when a training path is asked for.
"""
import numpy as np
import streamlit as st

from lib.figures import cross_entropy as charts_loss
from lib.scripts import logistic as codegen
from lib.ui import points_panel as data_panel
from lib.engine import logistic
from lib.core import cross_entropy as loss_surface
from lib.core import maths
from lib.engine import training
from lib.ui import common as ui
from lib.ui import exercise_panel
from lib.ui import look as looks
from lib.ui import training_run
from lib.ui.i18n import t
from lib.core.cross_entropy import PARAMS
from lib.ui.state import PageState, Param

# The same training choices as the logistic-regression page.
LEARNING_RATES = (0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0)
EPOCHS = (1, 10, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000)
BATCHES = (0, 1, 2, 4, 8, 16, 32, 64, 128, 256)  # 0: the whole set per step, as on the slide
TRAINING = ("opt", "lr", "epochs", "batch", "iseed")
BOUNDS = {"w0": (-30.0, 30.0), "w1": (-2.0, 2.0), "w2": (-2.0, 2.0)}
STEPS = {"w0": 0.01, "w1": 0.001, "w2": 0.001}  # parameter sliders
VIEW_STEPS = {"w0": 0.5, "w1": 0.01, "w2": 0.01}  # the surface's axis ranges
MIN_WIDTH = {"w0": 1.0, "w1": 0.02, "w2": 0.02}
DEFAULT_VIEW = {"w0": (-20.0, 5.0), "w1": (-0.5, 1.5), "w2": (-0.5, 1.5)}
GRID = 100
# (w1, w2) that put every point of data like the textbook's far on one side of the line.
WRONG = (-0.3, -0.3)

STATE = PageState("xent", [
    Param("p", 0.9, "float", 0.0, 1.0),
    Param("w0", -6.0, "float", *BOUNDS["w0"]),
    Param("w1", 0.2, "float", *BOUNDS["w1"]),
    Param("w2", 0.2, "float", *BOUNDS["w2"]),
    Param("pair", "w1w2", "choice", choices=tuple(loss_surface.PAIRS)),
    *[Param(f"{name}{end}", DEFAULT_VIEW[name][index], "float", *BOUNDS[name])
      for name in PARAMS for index, end in enumerate(("lo", "hi"))],
    Param("path", False, "bool"),
    Param("opt", "rmsprop", "choice", choices=training.OPTIMIZERS),
    Param("lr", 0.001, "float", choices=LEARNING_RATES),
    Param("epochs", 5000, "int", choices=EPOCHS),
    Param("batch", 0, "int", choices=BATCHES),
    Param("iseed", 1, "int", 0, 99_999),
])
VIEW = tuple(f"{name}{end}" for name in PARAMS for end in ("lo", "hi"))


@st.cache_data(max_entries=64, show_spinner=False)
def cached_surface(x, t_, pair, fixed, a_range, b_range):
    size = loss_surface.grid_size(len(t_), GRID)
    return loss_surface.surface(x, t_, pair, fixed, a_range, b_range, size)


@st.cache_data(max_entries=64, show_spinner=False)
def cached_optimum(x, t_):
    w, converged = maths.logistic_optimum(x, t_)
    return (w, loss_surface.xent(w, x, t_)) if converged else (None, None)


def labels() -> dict:
    names = ("circle_curve", "cross_curve", "cost", "term", "rank", "rank_axis", "cumulative",
             "xent_short", "mse_short", "path", "start", "trained", "minimum", "current",
             "descent")
    return ui.chart_labels(**{name: t(f"xent.lbl_{name}") for name in names})


def surface_height(look) -> int:
    """3-D scenes fit their height: keep them about as tall as a half-page column is wide."""
    return 520 if look.lecture else 460


def current_weights() -> np.ndarray:
    return np.array([STATE.get(name) for name in PARAMS], dtype=float)


# ---------------------------------------------------------------------------------------------
# Button callbacks: they change settings before the widgets are drawn again.


def move_to(w) -> None:
    """Put the parameter sliders at w (rounded to the sliders' steps)."""
    for name, value in zip(PARAMS, w):
        digits = 2 if name == "w0" else 3
        STATE.set(name, STATE.params[name].clamp(round(float(value), digits)))


def set_view(ranges: dict) -> None:
    for name, (lo, hi) in ranges.items():
        STATE.set(f"{name}lo", lo)
        STATE.set(f"{name}hi", hi)
        st.session_state.pop(f"xent.view_{name}", None)  # the range slider takes the new value


def fit_view(extra_points) -> None:
    """Choose axis ranges that hold the current parameters and the given points."""
    rows = [current_weights()] + [np.asarray(p, dtype=float) for p in extra_points]
    table = np.vstack(rows)
    set_view({name: loss_surface.fit_range(table[:, index], BOUNDS[name], 4 * MIN_WIDTH[name],
                                           step=VIEW_STEPS[name])
              for index, name in enumerate(PARAMS)})


def reset_view() -> None:
    set_view(DEFAULT_VIEW)


# ---------------------------------------------------------------------------------------------
# ② One point's cost.


@st.fragment
def one_point_section(look) -> None:
    # In lecture mode the introduction and the slider sit beside the curves, at the top of the
    # narrower column.
    above = st.container()
    left, right = st.columns([7, 3] if look.lecture else [3, 2])
    (right if look.lecture else above).markdown(t("xent.point_intro"))
    (right if look.lecture else above).slider(
        t("xent.p_slider"), 0.0, 1.0, step=0.001, format="%.3f", key=STATE.key("p"),
        help=t("xent.p_help"))
    p = float(STATE.get("p"))
    STATE.save(("p",))
    circle_cost, cross_cost = (float(c) for c in loss_surface.point_costs(p))
    with left:
        ui.plotly(charts_loss.cost_curves_figure(p, labels(), look), "xent.cost_curves")
    with right:
        a, b = st.columns(2)
        a.metric(t("xent.cost_if_circle"), f"{circle_cost:.3f}", help=t("xent.cost_if_circle_help"))
        b.metric(t("xent.cost_if_cross"), f"{cross_cost:.3f}", help=t("xent.cost_if_cross_help"))
        wrong_circle = p < 0.5
        wrong_cost = circle_cost if wrong_circle else cross_cost
        st.markdown(t("xent.confident_circle" if wrong_circle else "xent.confident_cross",
                      p=p, sure=(1 - p) if wrong_circle else p, cost=wrong_cost,
                      count=loss_surface.equivalent_answers(wrong_cost),
                      good=-np.log(0.9)))
        if loss_surface.is_clipped(p):
            st.info(t("xent.clipped", eps=loss_surface.EPSILON,
                      cost=-np.log(loss_surface.EPSILON)), icon="✂️")
    st.caption(t("xent.point_caption"))


# ---------------------------------------------------------------------------------------------
# ③ The parameters, and what they cost.


def parameter_sliders() -> np.ndarray:
    key = STATE.key
    columns = st.columns(3)
    for column, name in zip(columns, PARAMS):
        column.slider(name, *BOUNDS[name], step=STEPS[name],
                      format="%.2f" if name == "w0" else "%.3f", key=key(name),
                      help=t(f"logistic.{name}_help"))
    return current_weights()


def parameter_summary(points, w, gradient) -> None:
    st.latex(rf"f(x, y) = {w[0]:.2f} {w[1]:+.3f}\,x {w[2]:+.3f}\,y")
    f = maths.linear(*w, points.x[:, 0], points.x[:, 1])
    a, b, c, d = st.columns(4)
    a.metric(t("logistic.cross_entropy"), f"{maths.cross_entropy(f, points.t):.3f}",
             help=t("logistic.cross_entropy_help"))
    b.metric(t("logistic.mean_loss"), f"{maths.cross_entropy(f, points.t, 'mean'):.4f}",
             help=t("logistic.mean_loss_help"))
    c.metric(t("logistic.accuracy"), f"{maths.accuracy(f, points.t):.1%}",
             help=t("logistic.accuracy_help", n=len(points)))
    d.metric(t("xent.slope"), f"{np.linalg.norm(gradient):.4g}", help=t("xent.slope_help"))
    st.caption(t("xent.gradient_caption", g0=gradient[0], g1=gradient[1], g2=gradient[2]))


def shares_tab(points, w, look) -> None:
    st.markdown(t("xent.shares_intro"))
    shares = loss_surface.shares(w, points.x, points.t)
    x_range, y_range = points.extent()
    left, right = st.columns(2)
    with left:
        ui.plotly(charts_loss.shares_map_figure(
            points.x, points.t, w, shares, x_range, y_range, labels(), look), "xent.shares_map")
    with right:
        ui.plotly(charts_loss.shares_bar_figure(points.x, points.t, w, shares, labels(), look),
                  "xent.shares_bars")
    n = len(points)
    st.markdown(t("xent.shares_summary", top=min(3, n), share=shares.top_share(3),
                  half=shares.points_for(0.5), n=n))
    if n > charts_loss.MAX_BARS:
        st.caption(t("xent.shares_bars_limited", shown=charts_loss.MAX_BARS, n=n))
    st.caption(t("xent.shares_caption"))


def view_controls() -> tuple[str, tuple, tuple]:
    """The pair of parameters on the axes and their ranges (range sliders bound to the URL)."""
    key = STATE.key
    left, middle, right = st.columns([1, 2, 2])
    # Labels are looked up now, not inside format_func, which may run outside this session.
    pairs = {p: t(f"xent.pair_{p}") for p in loss_surface.PAIRS}
    left.selectbox(t("xent.pair"), tuple(pairs), key=key("pair"), format_func=pairs.get,
                   help=t("xent.pair_help"))
    pair = STATE.get("pair")
    i, j, _ = loss_surface.axes(pair)
    ranges = []
    for column, index in ((middle, i), (right, j)):
        name = PARAMS[index]
        widget = f"xent.view_{name}"
        if widget not in st.session_state:
            st.session_state[widget] = loss_surface.clean_range(
                STATE.get(f"{name}lo"), STATE.get(f"{name}hi"), BOUNDS[name], MIN_WIDTH[name])
        lo, hi = column.slider(t("xent.view_range", name=name), *BOUNDS[name],
                               step=VIEW_STEPS[name], key=widget, help=t("xent.view_range_help"))
        lo, hi = loss_surface.clean_range(lo, hi, BOUNDS[name], MIN_WIDTH[name])
        STATE.set(f"{name}lo", lo)
        STATE.set(f"{name}hi", hi)
        ranges.append((lo, hi))
    return pair, ranges[0], ranges[1]


def training_controls(n_points: int) -> None:
    key = STATE.key
    st.toggle(t("xent.path_toggle"), key=key("path"), help=t("xent.path_help"))
    # Always drawn (greyed out while no path is asked for), so their values are kept.
    off = not STATE.get("path")
    optimizers = {o: t(f"train.optimizer_{o}") for o in training.OPTIMIZERS}
    batches = {b: t("train.batch_all", n=n_points) if b == 0 else str(b) for b in BATCHES}
    left, middle, right = st.columns(3)
    left.selectbox(t("train.optimizer"), training.OPTIMIZERS, key=key("opt"), disabled=off,
                   format_func=optimizers.get, help=t("train.optimizer_help"))
    left.select_slider(t("train.learning_rate"), LEARNING_RATES, key=key("lr"), disabled=off,
                       format_func=lambda v: f"{v:g}", help=t("train.learning_rate_help"))
    middle.select_slider(t("train.epochs"), EPOCHS, key=key("epochs"), disabled=off,
                         help=t("train.epochs_help"))
    middle.select_slider(t("train.batch"), BATCHES, key=key("batch"), disabled=off,
                         format_func=batches.get, help=t("train.batch_help"))
    right.number_input(t("train.seed"), 0, 99_999, step=1, key=key("iseed"), disabled=off,
                       help=t("train.seed_help"))


def path_run(points):
    """The Keras run whose path is drawn (cached by the engine), or None if none is asked for."""
    if not STATE.get("path"):
        return None
    return training_run.train(lambda caller: logistic.run(
        points, STATE.get("opt"), STATE.get("lr"), STATE.get("epochs"), STATE.get("batch"), 0.0,
        STATE.get("iseed"), caller=caller))


def descent_line(points, w, gradient, surface, a_range, b_range):
    """The descent arrow: its 2-D step, and a 3-D line lying on the surface along it."""
    i, j, _ = surface.axes
    step = loss_surface.descent_arrow(gradient[[i, j]], a_range, b_range)
    if step is None:
        return None, None
    direction = np.zeros(3)
    direction[i], direction[j] = step
    s = np.linspace(0.0, 1.0, 16)
    heights = loss_surface.values_along(points.x, points.t, w, direction, s)
    line = (w[i] + s * step[0], w[j] + s * step[1], heights)
    return step, line


def surface_tab(points, w, gradient, optimum, optimum_e, look) -> None:
    st.markdown(t("xent.surface_intro"))
    pair, a_range, b_range = view_controls()
    with st.container(border=True):
        training_controls(len(points))
        run = path_run(points)
    i, j, k = loss_surface.axes(pair)
    surface = cached_surface(points.x, points.t, pair, float(w[k]), a_range, b_range)
    step, line = descent_line(points, w, gradient, surface, a_range, b_range)
    path = run.weights if run is not None else None
    path_z = loss_surface.path_values(path, points.x, points.t) if path is not None else None
    current_e = loss_surface.xent(w, points.x, points.t)
    slice_e = None
    if optimum is not None:  # the slice's height above the minimum, for the 3-D pin
        slice_e = loss_surface.xent(surface.params(optimum[i], optimum[j]), points.x, points.t)
    height = surface_height(look)
    names = labels()
    left, right = st.columns(2)
    with left:
        ui.plotly(charts_loss.surface_figure(
            surface, "xent", names, current=w, current_z=current_e, arrow_line=line, path=path,
            path_z=path_z, minimum=optimum, minimum_z=optimum_e, minimum_slice_z=slice_e,
            look=look, height=height), "xent.surface3d")
    with right:
        ui.plotly(charts_loss.contour_figure(
            surface, "xent", names, current=w, arrow=step, path=path, minimum=optimum,
            look=look, height=height), "xent.contour")
    shown = {"current", "descent"} | ({"minimum"} if optimum is not None else set()) \
        | ({"start", "trained", "path"} if path is not None else set())
    st.markdown(" · ".join(f"{symbol} {names[name]}" for symbol, name in charts_loss.MARKER_KEY
                           if name in shown))
    st.caption(t("xent.surface_caption", fixed=PARAMS[k], value=w[k], a=PARAMS[i], b=PARAMS[j]))
    extra = [p for p in (optimum,) if p is not None]
    if path is not None:
        extra += [path[0], path[-1]]
    buttons = st.columns(4)
    if optimum is not None:
        buttons[0].button(t("xent.to_minimum"), on_click=move_to, args=(optimum,),
                          key="xent.go_minimum", help=t("xent.to_minimum_help"))
    if path is not None:
        buttons[1].button(t("xent.to_trained"), on_click=move_to, args=(path[-1],),
                          key="xent.go_trained", help=t("xent.to_trained_help"))
    buttons[2].button(t("xent.fit_view"), on_click=fit_view, args=(extra,),
                      key="xent.fit_view", help=t("xent.fit_view_help"))
    buttons[3].button(t("xent.reset_view"), on_click=reset_view, key="xent.reset_view")
    if optimum is None:
        st.info(t("logistic.separable_note"), icon="♾️")
    if run is not None:
        path_summary(points, run, optimum, optimum_e, look)


def path_summary(points, run, optimum, optimum_e, look) -> None:
    weights = run.weights
    values = loss_surface.path_values(weights[[0, -1]], points.x, points.t)
    rows = [(t("xent.row_start"), weights[0], values[0]), (t("xent.row_trained"), weights[-1],
                                                            values[1])]
    if optimum is not None:
        rows.append((t("logistic.row_optimum"), optimum, optimum_e))
    table = []
    for label, w, e in rows:
        row = {"": label, "w0": f"{w[0]:.4f}", "w1": f"{w[1]:.4f}", "w2": f"{w[2]:.4f}",
               "E": f"{e:.3f}"}
        if optimum is not None:
            row[t("xent.distance")] = f"{np.linalg.norm(np.asarray(w) - optimum):.3f}"
        table.append(row)
    ui.table(table, look)
    epochs = run.result.epochs_done
    if optimum is not None:
        progress = loss_surface.path_progress(weights[0], weights[-1], optimum)
        text = "xent.path_reached" if progress > 0.98 else "xent.path_far"
        st.markdown(t(text, epochs=epochs, start=values[0], end=values[1], best=optimum_e,
                      progress=progress, w0=weights[-1][0], w0_best=optimum[0]))
    else:
        st.markdown(t("xent.path_separable", epochs=epochs, start=values[0], end=values[1]))
    with st.expander(t("common.code_title"), expanded=False):
        ui.code_panel(codegen.logistic_script(run.spec), "logistic_regression.py")


def compare_tab(points, w, pair_ranges, look) -> None:
    st.markdown(t("xent.compare_intro"))
    pair, a_range, b_range = pair_ranges
    i, j, k = loss_surface.axes(pair)
    surface = cached_surface(points.x, points.t, pair, float(w[k]), a_range, b_range)
    n = max(len(points), 1)
    mean_surface = loss_surface.Surface(surface.pair, surface.a, surface.b, surface.fixed,
                                        surface.xent / n, surface.mse)
    names = labels()
    names["xent_short"] = t("xent.lbl_mean_xent")
    height = surface_height(look)
    e_mean = loss_surface.xent(w, points.x, points.t) / n
    m = loss_surface.mse(w, points.x, points.t)
    left, right = st.columns(2)
    with left:
        st.markdown(t("xent.compare_left"))
        ui.plotly(charts_loss.surface_figure(mean_surface, "xent", names, current=w,
                                             current_z=e_mean, look=look, height=height),
                  "xent.compare_xent")
    with right:
        st.markdown(t("xent.compare_right"))
        ui.plotly(charts_loss.surface_figure(surface, "mse", names, current=w, current_z=m,
                                             look=look, height=height), "xent.compare_mse")
    g_xent = np.linalg.norm(loss_surface.xent_gradient(w, points.x, points.t)) / n
    g_mse = np.linalg.norm(loss_surface.mse_gradient(w, points.x, points.t))
    a, b = st.columns(2)
    a.metric(t("xent.slope_mean_xent"), f"{g_xent:.4g}")
    b.metric(t("xent.slope_mse"), f"{g_mse:.4g}")
    st.markdown(t("xent.compare_text", fixed=PARAMS[k], value=w[k]))
    wrong = np.array([w[0], *WRONG])
    st.button(t("xent.go_wrong", w1=WRONG[0], w2=WRONG[1]), on_click=move_to, args=(wrong,),
              key="xent.go_wrong", help=t("xent.go_wrong_help"))


@st.fragment
def landscape_section(points, look) -> None:
    st.markdown(t("xent.params_intro"))
    w = parameter_sliders()
    gradient = loss_surface.xent_gradient(w, points.x, points.t)
    parameter_summary(points, w, gradient)
    optimum, optimum_e = cached_optimum(points.x, points.t)
    share_tab, surf_tab, comp_tab = st.tabs([t("xent.tab_shares"), t("xent.tab_surface"),
                                             t("xent.tab_compare")])
    with surf_tab:  # first: it owns the view controls the comparison reuses
        surface_tab(points, w, gradient, optimum, optimum_e, look)
    with share_tab:
        shares_tab(points, w, look)
    with comp_tab:
        pair = STATE.get("pair")
        i, j, _ = loss_surface.axes(pair)
        ranges = [(STATE.get(f"{PARAMS[x]}lo"), STATE.get(f"{PARAMS[x]}hi")) for x in (i, j)]
        compare_tab(points, w, (pair, *ranges), look)
    STATE.save(PARAMS + ("pair",) + VIEW + ("path",) + TRAINING)


look = looks.current()
st.title(t("xent.title"))
# The slide's view: the textbook data, the default parameters, and the training path shown.
SLIDE_VIEW = {data_panel.DATA_STATE: {"src": "textbook"}, STATE: STATE.defaults() | {"path": True}}
ui.preset_button("common.preset_slide", "common.preset_slide_help", SLIDE_VIEW,
                 "cross_entropy.preset_slide")
ui.explain("xent.intro")
st.latex(r"E = -\sum_{n=1}^{N} \Big[\, t_n \log P(x_n, y_n)"
         r" + (1 - t_n) \log\big(1 - P(x_n, y_n)\big) \Big]")
ui.explain("xent.symbols")
with ui.section_box(look, t("xent.data_heading")):
    points = data_panel.data_panel()
notices = STATE.load()
ui.show_notices(notices, STATE)
with st.container(border=True):
    st.subheader(t("xent.point_heading"))
    one_point_section(look)
with st.container(border=True):
    st.subheader(t("xent.params_heading"))
    landscape_section(points, look)
exercise_panel.show("cross_entropy", STATE, points=points)
