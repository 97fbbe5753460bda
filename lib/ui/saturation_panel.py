"""The logistic page's saturation panel: the slide's loss beside a loss written on clipped P.

The page trains twice with the same settings: with Keras' binary_crossentropy (computed from f)
and with the cross-entropy written on the clipped probability (engine loss "binary_clipped").
This panel shows what the clip loses: the points that give no gradient, the share of the
gradient lost at the start, and where each run ends.
"""
from __future__ import annotations

import numpy as np
import streamlit as st

from lib.core import maths, saturation
from lib.figures import logistic as charts
from lib.ui import common as ui
from lib.ui.i18n import t


def _row(label: str, run, clip: bool) -> dict:
    x, target = run.train.x, run.train.t
    start, end = run.weights[0], run.final
    f_start, f_end = saturation.linear(start, x), saturation.linear(end, x)
    lost = saturation.lost_share(start, x, target) if clip else 0.0
    f = maths.linear(*end, x[:, 0], x[:, 1])
    return {
        "": label,
        t("logistic.clip_no_gradient_start"): int(saturation.clipped(f_start).sum()) if clip else 0,
        t("logistic.clip_lost"): f"{lost:.0%}",
        t("logistic.clip_no_gradient_end"): int(saturation.clipped(f_end).sum()) if clip else 0,
        "(w0, w1, w2)": f"({end[0]:.3f}, {end[1]:.3f}, {end[2]:.3f})",
        "E": f"{maths.cross_entropy(f, target):.3f}",
        t("logistic.accuracy"): f"{maths.accuracy(f, target):.1%}",
    }


def saturation_panel(run, clipped_run) -> None:
    """The two runs side by side: a table, and their E and accuracy against the epochs."""
    x, target = run.train.x, run.train.t
    f0 = saturation.linear(run.weights[0], x)
    wrong = saturation.clipped(f0) & ((f0 > 0) != (np.ravel(target) > 0.5))
    st.markdown(t("logistic.clip_result", ones=int(saturation.saturated(f0).sum()),
                  clipped=int(saturation.clipped(f0).sum()), wrong=int(wrong.sum()),
                  n=len(x)))
    st.dataframe([_row(t("logistic.clip_row_keras"), run, False),
                  _row(t("logistic.clip_row_clipped"), clipped_run, True)],
                 hide_index=True, width="stretch")
    shown = charts.thin(min(len(run.weights), len(clipped_run.weights)))
    curves = {"train": tuple(a[shown] for a in run.curves["train"]),
              "clipped": tuple(a[shown] for a in clipped_run.curves["train"])}
    labels = ui.chart_labels(train=t("logistic.clip_row_keras"),
                             clipped=t("logistic.clip_row_clipped"))
    ui.plotly(charts.curves_figure(shown, curves, labels), "logistic.clip_curves")
    st.caption(t("logistic.clip_caption"))
