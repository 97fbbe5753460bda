"""Sessions stay apart on a real server, even when they train at the same moment.

Two tabs speak Streamlit's websocket protocol to one `streamlit run` process (bench/st_client.py)
with different data and settings, and act at the same moment, round after round: each must
see its own data points, URL, widget values and training results, exactly those this engine
computes for its own settings, and never the other's.
"""
import asyncio
import functools
import sys
from urllib.parse import parse_qsl

import numpy as np
import pytest

from conftest import ROOT, run_async
from conftest import decode as _array
from lib.core import datasets
from lib.ui import i18n
from lib.engine import logistic
from lib.core import maths

sys.path.insert(0, str(ROOT / "bench"))
from st_client import Session  # noqa: E402

FULL = {  # every setting of the page, for the expected results
    "src": "textbook", "n": 20, "sep": 12.0, "spread": 4.5, "dseed": 1,
    "w0": -6.0, "w1": 0.2, "w2": 0.2,
    "opt": "rmsprop", "lr": 0.001, "epochs": 5000, "batch": 0, "test": 0.0, "iseed": 1,
}
# Two students' links: every value differs from the default and from the other student's.
ALICE = {"lang": "en", "src": "generated", "n": 40, "sep": 20.0, "spread": 2.0, "dseed": 3,
         "opt": "adam", "lr": 0.01, "epochs": 500, "iseed": 11, "w0": -3.5}
BOB = {"lang": "en", "opt": "sgd", "lr": 0.1, "epochs": 1000, "batch": 8, "test": 0.2,
       "iseed": 22, "w1": 0.05}
ROUNDS = 2


def query(settings: dict) -> str:
    return "&".join(f"{name}={value:g}" if isinstance(value, float) else f"{name}={value}"
                    for name, value in settings.items())


def points_of(settings: dict):
    s = FULL | settings
    if s["src"] == "generated":
        return datasets.generated_points(s["n"], s["sep"], s["spread"], s["dseed"])
    return datasets.textbook_points()


@functools.lru_cache(maxsize=None)
def _trained(items: tuple) -> np.ndarray:
    settings = dict(items)
    s = FULL | settings
    return logistic.run(points_of(settings), s["opt"], s["lr"], s["epochs"], s["batch"],
                        s["test"], s["iseed"]).final


def trained(settings: dict) -> np.ndarray:
    """The parameters this engine trains for these settings (computed in this process)."""
    return _trained(tuple(sorted(settings.items())))


def shown_points(tab: Session) -> np.ndarray:
    """The (x, y) of every ◦ and × on the manual chart, sorted."""
    import json

    chart = next(e for e in tab.of_kind("plotly_chart") if e.key == "logistic.manual_chart")
    traces = json.loads(chart.proto.spec)["data"][2:]
    xy = np.vstack([np.column_stack([_array(t["x"]), _array(t["y"])]) for t in traces])
    return xy[np.lexsort(xy.T[::-1])]


def check(tab: Session, settings: dict, other: dict) -> None:
    """Everything this tab shows belongs to its own settings."""
    s = FULL | settings
    assert not tab.of_kind("exception")
    # The URL holds this student's settings, and only those.
    url = dict(parse_qsl(tab.query))
    assert url == dict(parse_qsl(query(settings))), (url, settings)
    # The widgets show them.
    assert float(tab.value("logistic.w0")) == pytest.approx(s["w0"])
    assert float(tab.value("logistic.w1")) == pytest.approx(s["w1"])
    assert int(tab.value("logistic.iseed")) == s["iseed"]
    assert float(tab.value("logistic.lr")) == pytest.approx(s["lr"])
    # The data on the chart is this student's data.
    points = points_of(settings)
    expected = points.x[np.lexsort(points.x.T[::-1])]
    assert shown_points(tab) == pytest.approx(expected, abs=1e-9)
    # The cross-entropy of the manual line is computed on it.
    f = maths.linear(s["w0"], s["w1"], s["w2"], points.x[:, 0], points.x[:, 1])
    assert tab.metric(i18n.t("logistic.cross_entropy", lang="en")) == \
        f"{maths.cross_entropy(f, points.t):.3f}"
    # The trained parameters are those of this student's training, not the other's.
    mine, theirs = trained(settings), trained(other)
    shown = np.array([float(tab.metric(name)) for name in ("w0", "w1", "w2")])
    assert shown == pytest.approx(mine, abs=2e-3)
    assert np.abs(shown - theirs).max() > 1e-2


def rounds():
    """The settings of both students after each round: new seeds, moved manual sliders."""
    alice, bob = dict(ALICE), dict(BOB)
    for round_ in range(ROUNDS):
        alice, bob = dict(alice), dict(bob)
        alice["iseed"], bob["iseed"] = 100 + round_, 200 + round_
        alice["w0"], bob["w1"] = -4.0 - 0.5 * round_, round(0.1 + 0.05 * round_, 3)
        yield alice, bob


async def _two_students(url: str):
    alice, bob = dict(ALICE), dict(BOB)
    async with Session(url) as a, Session(url) as b:
        # Both open their links at the same moment: two first trainings at once.
        runs = await asyncio.gather(a.open("logistic", query(alice)),
                                    b.open("logistic", query(bob)))
        assert [r.status for r in runs] == ["ok", "ok"]
        check(a, alice, bob)
        check(b, bob, alice)
        for alice, bob in rounds():
            # Each changes the training seed at the same moment: two new trainings at once...
            runs = await asyncio.gather(a.set("logistic.iseed", alice["iseed"]),
                                        b.set("logistic.iseed", bob["iseed"]))
            assert [r.status for r in runs] == ["ok", "ok"]
            # ...and moves a manual slider at the same moment.
            await asyncio.gather(a.set("logistic.w0", alice["w0"]),
                                 b.set("logistic.w1", bob["w1"]))
            check(a, alice, bob)
            check(b, bob, alice)


def test_two_sessions_training_at_once_stay_apart(app_url):
    for alice, bob in [(ALICE, BOB), *rounds()]:  # the expected results, before the tabs open
        trained(alice), trained(bob)
    run_async(_two_students(app_url))
