"""The regression page's results: the run's messages, its numbers and formula, how far it is
from the exact least-squares fit, and the errors by polynomial degree (over-fitting)."""
from __future__ import annotations

import numpy as np
import streamlit as st

from lib.core import regression
from lib.figures import regression as rcharts
from lib.ui import common as ui
from lib.ui.i18n import t


def number(value: float) -> str:
    """4 significant digits; large values in full with separators, not as 4.836e+04."""
    return f"{value:,.0f}" if abs(value) >= 1e4 else f"{value:.4g}"


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
