"""AppTest runs of the app and what a test reads from them: metrics, charts, arrays, settings."""
from __future__ import annotations

import base64
import functools
import json

import numpy as np

from . import ROOT


def app_test(page: str | None = None, query: dict | None = None, timeout: float = 180):
    """An AppTest of the whole app (sidebar included), switched to views/<page>.py and run."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    for name, value in (query or {}).items():
        at.query_params[name] = value
    if page:
        at.switch_page(f"views/{page}.py")
    return at.run()


def assert_clean(at) -> None:
    """No exception element and no uncaught error in an AppTest run."""
    assert not at.exception, [e.value for e in at.exception]


def open_page(page: str, query: dict | None = None):
    """app_test of a page that must run without an exception."""
    at = app_test(page, {name: str(value) for name, value in (query or {}).items()})
    assert_clean(at)
    return at


def plotly_specs(at) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def chart_spec(at, key: str) -> dict:
    """The spec of the chart whose key ends with `key` (a chart's element id ends with it)."""
    for chart in at.get("plotly_chart"):
        if chart.proto.id.endswith(key):
            return json.loads(chart.proto.spec)
    raise AssertionError(f"no chart {key!r}")


def metric(at, label: str) -> str:
    """The value of the metric with this label (or whose label starts with it)."""
    found = [m.value for m in at.metric if m.label == label] or \
        [m.value for m in at.metric if m.label.startswith(label)]
    assert found, f"no metric {label!r} in {[m.label for m in at.metric]}"
    return found[0]


def decode(value) -> np.ndarray:
    """A figure's array as sent: a typed array ({"dtype", "bdata"[, "shape"]}) or a list."""
    if isinstance(value, dict) and "bdata" in value:
        array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
        if "shape" in value:
            array = array.reshape([int(n) for n in str(value["shape"]).split(",")])
        return array.astype(float)
    return np.asarray(value, dtype=float)


def run_page(page: str, query: dict):
    """An AppTest run of the page, and the PageStates it loaded (their Params by name)."""
    from lib.ui import state

    loaded = []
    original = state.PageState.load

    def load(self):
        loaded.append(self)
        return original(self)

    state.PageState.load = load
    try:
        at = app_test(page, query)
    finally:
        state.PageState.load = original
    return at, loaded


@functools.lru_cache(maxsize=None)
def page_params(page: str) -> tuple:
    """(name, Param) of every setting the page reads from its URL."""
    at, loaded = run_page(page, {})
    assert_clean(at)
    return tuple((name, param) for s in loaded for name, param in s.params.items())
