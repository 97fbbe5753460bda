"""AppTest checks of small things a lecturer relies on: 'As on the slide' in the same place with
the same label on every page, the MNIST canvas's own undo and clear buttons, and a multiclass
default whose classes overlap (so the cross-entropy has a minimum to reach)."""
import os

import numpy as np
import pytest

from conftest import app_test, assert_clean
from lib.core import multiclass_data
from lib.core import mnist
from lib.ui import i18n, multiclass_panel

os.environ.setdefault(mnist.OFFLINE_ENV, "1")


@pytest.mark.parametrize("page", ["regression", "logistic", "sigmoid", "cross_entropy",
                                  "multiclass", "mnist"])
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_as_on_the_slide_is_the_first_button_with_the_common_label(page, lang):
    at = app_test(page, {"lang": lang})
    assert_clean(at)
    first = at.main.button[0]
    assert first.key == f"{page}.preset_slide"
    assert first.label == i18n.t("common.preset_slide", lang=lang)


def _draw(at, strokes: int):
    """The canvas component's value after `strokes` strokes (what the browser sends)."""
    at.session_state["mnist.canvas"] = {
        "drawing": {"raw": {"objects": [{"type": "path", "n": i} for i in range(strokes)]},
                    "data": None},
        "backgroundFit": None}
    return at.run()


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_mnist_canvas_undo_and_clear(lang):
    at = app_test("mnist", {"lang": lang})
    assert_clean(at)
    undo, clear = at.button(key="mnist.canvas.undo"), at.button(key="mnist.canvas.clear")
    assert undo.label == i18n.t("mnist.canvas_undo", lang=lang)
    assert clear.label == i18n.t("mnist.canvas_clear", lang=lang)
    assert undo.disabled and clear.disabled  # an empty canvas has nothing to take back

    at = _draw(at, 3)
    assert not at.button(key="mnist.canvas.undo").disabled
    at.button(key="mnist.canvas.undo").click().run()
    assert_clean(at)
    start = at.session_state["mnist.canvas._start"]
    assert [o["n"] for o in start["objects"]] == [0, 1]  # the canvas restarts without the last

    at = _draw(at, 2)
    at.button(key="mnist.canvas.undo").click().run()
    again = at.session_state["mnist.canvas._start"]
    assert [o["n"] for o in again["objects"]] == [0] and again != start

    at.button(key="mnist.canvas.clear").click().run()
    assert_clean(at)
    assert at.session_state["mnist.canvas._start"]["objects"] == []
    assert at.button(key="mnist.canvas.undo").disabled  # empty at once, prediction gone
    assert any(i18n.t("mnist.empty_drawing", lang=lang) in info.value for info in at.info)


def _separable(x, c, k) -> bool:
    """Whether k linear functions put every point's own class strictly first: the linear
    programme f_c(x_n) − f_j(x_n) ≥ 1 (j ≠ c_n) is feasible. scipy comes with mlxtend."""
    from scipy.optimize import linprog

    n, d = x.shape
    xa = np.column_stack([np.ones(n), x])
    rows = []
    for i in range(n):
        for j in range(k):
            if j != c[i]:
                row = np.zeros(k * (d + 1))
                row[c[i] * (d + 1):(c[i] + 1) * (d + 1)] -= xa[i]
                row[j * (d + 1):(j + 1) * (d + 1)] += xa[i]
                rows.append(row)
    result = linprog(np.zeros(k * (d + 1)), A_ub=np.array(rows), b_ub=-np.ones(len(rows)),
                     bounds=[(None, None)] * (k * (d + 1)), method="highs")
    assert result.status in (0, 2)  # 0: feasible, 2: infeasible; anything else is a failure
    return result.status == 0


def test_the_multiclass_default_is_not_linearly_separable():
    defaults = {p.name: p.default for p in multiclass_panel.PARAMS}
    points = multiclass_data.generated_points(defaults["k"], defaults["n"], defaults["spread"],
                                              defaults["dseed"])
    assert not _separable(points.x, points.c, points.k)
    # The programme does tell the two apart: the old default (spread 3) was separable.
    old = multiclass_data.generated_points(defaults["k"], defaults["n"], 3.0, defaults["dseed"])
    assert _separable(old.x, old.c, old.k)
