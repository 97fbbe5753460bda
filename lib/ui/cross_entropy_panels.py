"""The cross-entropy page's panels: one point's cost, the summary of the current parameters,
every point's share of E, the surface's descent arrow and training path, and the comparison
with the squared error. The page keeps its settings and passes them in."""
from __future__ import annotations

import numpy as np
import streamlit as st

from lib.core import cross_entropy as loss_surface
from lib.core import maths
from lib.core.cross_entropy import PARAMS
from lib.figures import cross_entropy as charts_loss
from lib.figures import cross_entropy_surfaces as surfaces
from lib.scripts import logistic as codegen
from lib.ui import common as ui
from lib.ui import fit
from lib.ui.i18n import t

GRID = 100
# (w1, w2) that put every point of data like the textbook's far on one side of the line.
WRONG = (-0.3, -0.3)


@st.cache_data(max_entries=64, show_spinner=False)
def cached_surface(x, t_, pair, fixed, a_range, b_range):
    size = loss_surface.grid_size(len(t_), GRID)
    return loss_surface.surface(x, t_, pair, fixed, a_range, b_range, size)


def labels() -> dict:
    names = ("circle_curve", "cross_curve", "cost", "term", "rank", "rank_axis", "cumulative",
             "xent_short", "mse_short", "path", "start", "trained", "minimum", "current",
             "descent")
    return ui.chart_labels(**{name: t(f"xent.lbl_{name}") for name in names})


def surface_height(look) -> int:
    """3-D scenes fit their height: keep them about as tall as a half-page column is wide."""
    return 520 if look.lecture else 460


@st.fragment
def one_point_section(state, look) -> None:
    # In lecture mode the introduction and the slider sit beside the curves, at the top of the
    # narrower column.
    above = st.container()
    left, right = st.columns([7, 3] if look.lecture else [3, 2])
    (right if look.lecture else above).markdown(t("xent.point_intro"))
    p = float(state.widget("p", right if look.lecture else above))
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
        ui.code_panel(codegen.scripts(run.spec), "logistic_regression.py")


def compare_tab(points, w, pair_ranges, move_to, look) -> None:
    """E and the squared error side by side; move_to(w) is the page's callback that puts the
    parameter sliders at w."""
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
        with fit.scene_box("xent.compare_xent"):
            ui.plotly(surfaces.surface_figure(mean_surface, "xent", names, current=w,
                                                 current_z=e_mean, look=look, height=height),
                      "xent.compare_xent", height="stretch")
    with right:
        st.markdown(t("xent.compare_right"))
        with fit.scene_box("xent.compare_mse"):
            ui.plotly(surfaces.surface_figure(surface, "mse", names, current=w, current_z=m,
                                                 look=look, height=height), "xent.compare_mse",
                      height="stretch")
    g_xent = np.linalg.norm(loss_surface.xent_gradient(w, points.x, points.t)) / n
    g_mse = np.linalg.norm(loss_surface.mse_gradient(w, points.x, points.t))
    a, b = st.columns(2)
    a.metric(t("xent.slope_mean_xent"), f"{g_xent:.4g}")
    b.metric(t("xent.slope_mse"), f"{g_mse:.4g}")
    st.markdown(t("xent.compare_text", fixed=PARAMS[k], value=w[k]))
    wrong = np.array([w[0], *WRONG])
    st.button(t("xent.go_wrong", w1=WRONG[0], w2=WRONG[1]), on_click=move_to, args=(wrong,),
              key="xent.go_wrong", help=t("xent.go_wrong_help"))
