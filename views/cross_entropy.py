"""The cross-entropy surface (slide 26): the parameters that minimise E give a good boundary.

One point's cost, every point's share of E, E as a landscape over two parameters with a Keras
training path on it, and the mean squared error's landscape beside it. TensorFlow is loaded
only when a training path is asked for.
"""
import numpy as np
import streamlit as st

from lib.figures import cross_entropy as charts_loss
from lib.figures import cross_entropy_surfaces as surfaces
from lib.ui import points_panel as data_panel
from lib.engine import logistic
from lib.core import cross_entropy as loss_surface
from lib.core import maths
from lib.ui import common as ui
from lib.ui import cross_entropy_panels as panels
from lib.ui import training_controls as controls
from lib.ui import exercise_panel
from lib.ui import fit
from lib.ui import look as looks
from lib.ui import training_run
from lib.ui.i18n import t
from lib.core.cross_entropy import PARAMS
from lib.ui.state import PageState, Param

BOUNDS = {"w0": (-30.0, 30.0), "w1": (-2.0, 2.0), "w2": (-2.0, 2.0)}
STEPS = {"w0": 0.01, "w1": 0.001, "w2": 0.001}  # parameter sliders
VIEW_STEPS = {"w0": 0.5, "w1": 0.01, "w2": 0.01}  # the surface's axis ranges
MIN_WIDTH = {"w0": 1.0, "w1": 0.02, "w2": 0.02}
DEFAULT_VIEW = {"w0": (-20.0, 5.0), "w1": (-0.5, 1.5), "w2": (-0.5, 1.5)}

STATE = PageState("xent", [
    Param("p", 0.9, "float", 0.0, 1.0, widget="slider", label="xent.p_slider",
          help="xent.p_help", step=0.001, format="%.3f"),
    *[Param(name, default, "float", *BOUNDS[name], widget="slider", help=f"logistic.{name}_help",
            step=STEPS[name], format="%.2f" if name == "w0" else "%.3f")
      for name, default in zip(PARAMS, (-6.0, 0.2, 0.2))],
    Param("pair", "w1w2", "choice", choices=tuple(loss_surface.PAIRS), widget="selectbox",
          label="xent.pair", help="xent.pair_help", labels="xent.pair_"),
    # The surface's axis ranges: two settings per range slider, which is drawn by hand.
    *[Param(f"{name}{end}", DEFAULT_VIEW[name][index], "float", *BOUNDS[name])
      for name in PARAMS for index, end in enumerate(("lo", "hi"))],
    Param("path", False, "bool", widget="toggle", label="xent.path_toggle", help="xent.path_help"),
    *controls.params("rmsprop", 0.001, 5000, 0, test=None),
    Param("view", "shares", "choice", choices=("shares", "surface", "compare")),  # open tab
])


@st.cache_data(max_entries=64, show_spinner=False)
def cached_optimum(x, t_):
    w, converged = maths.logistic_optimum(x, t_)
    return (w, loss_surface.xent(w, x, t_)) if converged else (None, None)


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
# ③ The parameters, and what they cost (② one point's cost: lib/ui/cross_entropy_panels.py).


def parameter_sliders() -> np.ndarray:
    return np.array([STATE.widget(name, column) for name, column in zip(PARAMS, st.columns(3))],
                    dtype=float)


def view_controls() -> tuple[str, tuple, tuple]:
    """The pair of parameters on the axes and their ranges (range sliders bound to the URL)."""
    left, middle, right = st.columns(3)  # a third: the choice reads in full at 1280 px
    pair = STATE.widget("pair", left)
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
    STATE.widget("path")
    # Always drawn (greyed out while no path is asked for), so their values are kept.
    controls.draw(STATE, n_points, disabled=not STATE.get("path"))


def path_run(points):
    """The Keras run whose path is drawn (cached by the engine), or None if none is asked for."""
    if not STATE.get("path"):
        return None
    return training_run.train(lambda caller: logistic.run(
        points, STATE.get("opt"), STATE.get("lr"), STATE.get("epochs"), STATE.get("batch"), 0.0,
        STATE.get("iseed"), caller=caller))


def surface_tab(points, w, gradient, optimum, optimum_e, look) -> None:
    st.markdown(t("xent.surface_intro"))
    pair, a_range, b_range = view_controls()
    with st.container(border=True):
        training_controls(len(points))
        run = path_run(points)
    i, j, k = loss_surface.axes(pair)
    surface = panels.cached_surface(points.x, points.t, pair, float(w[k]), a_range, b_range)
    step, line = panels.descent_line(points, w, gradient, surface, a_range, b_range)
    path = run.weights if run is not None else None
    path_z = loss_surface.path_values(path, points.x, points.t) if path is not None else None
    current_e = loss_surface.xent(w, points.x, points.t)
    slice_e = None
    if optimum is not None:  # the slice's height above the minimum, for the 3-D pin
        slice_e = loss_surface.xent(surface.params(optimum[i], optimum[j]), points.x, points.t)
    height = panels.surface_height(look)
    names = panels.labels()
    left, right = st.columns(2)
    with left, fit.scene_box("xent.surface3d"):
        ui.plotly(surfaces.surface_figure(
            surface, "xent", names, current=w, current_z=current_e, arrow_line=line, path=path,
            path_z=path_z, minimum=optimum, minimum_z=optimum_e, minimum_slice_z=slice_e,
            look=look, height=height), "xent.surface3d", height="stretch")
    with right, fit.scene_box("xent.contour"):  # as tall as the 3-D scene beside it
        ui.plotly(surfaces.contour_figure(
            surface, "xent", names, current=w, arrow=step, path=path, minimum=optimum,
            look=look, height=height), "xent.contour", height="stretch")
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
        panels.path_summary(points, run, optimum, optimum_e, look)


@st.fragment
def landscape_section(points, look) -> None:
    st.markdown(t("xent.params_intro"))
    w = parameter_sliders()
    gradient = loss_surface.xent_gradient(w, points.x, points.t)
    panels.parameter_summary(points, w, gradient)
    optimum, optimum_e = cached_optimum(points.x, points.t)
    share_tab, surf_tab, comp_tab = STATE.tabs(
        "view", {name: t(f"xent.tab_{name}") for name in STATE.params["view"].choices})
    with surf_tab:  # first: it owns the view controls the comparison reuses
        surface_tab(points, w, gradient, optimum, optimum_e, look)
    with share_tab:
        panels.shares_tab(points, w, look)
    with comp_tab:
        pair = STATE.get("pair")
        i, j, _ = loss_surface.axes(pair)
        ranges = [(STATE.get(f"{PARAMS[x]}lo"), STATE.get(f"{PARAMS[x]}hi")) for x in (i, j)]
        panels.compare_tab(points, w, (pair, *ranges), move_to, look)


look = looks.current()
st.title(t("xent.title"))
# The slide's view: the textbook data, the default parameters, and the training path shown.
SLIDE_VIEW = {data_panel.DATA_STATE: {"src": "textbook"},
              STATE: STATE.defaults() | {"path": True, "view": STATE.get("view")}}
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
    panels.one_point_section(STATE, look)
with st.container(border=True):
    st.subheader(t("xent.params_heading"))
    landscape_section(points, look)
exercise_panel.show("cross_entropy", STATE, points=points)
