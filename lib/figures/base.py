"""Plotly figures held as plain dicts: no per-rerun validation, no per-object overhead.

Building a figure through plotly's graph objects validates every property and wraps every
trace and animation frame in an object: 20–40 ms for a simple figure and over 100 ms for an
animation here, most of a rerun on pages that only redraw figures when a slider moves. The
figure builders of these pages write plotly's JSON schema as plain dicts and wrap the result in
`PlainFigure`, which st.plotly_chart (and plotly.io) accept like any figure. The unit tests
validate every builder's output against plotly's schema (`validate()`), so a misspelt property
still fails loudly: in the tests, not in front of a class.
"""
from __future__ import annotations

import base64

import numpy as np
import plotly.graph_objects as go


class PlainFigure(go.Figure):
    """A finished figure: {"data": [...], "layout": {...}, "frames": [...]} and nothing else.

    st.plotly_chart and plotly.io only call to_dict(); update_layout(), update_annotations()
    and update_x/yaxes() merge plain settings in (what lib.ui.plotly does for lecture mode). Nothing else of
    go.Figure works here: to change a figure otherwise, change its builder. go.Figure's
    constructor, which validates, is deliberately not called.
    """

    def __init__(self, spec: dict):  # noqa: super().__init__ skipped on purpose (see above)
        self._spec = spec

    @property
    def spec(self) -> dict:
        """The figure as built: numpy arrays still arrays (for tests and reuse; do not mutate)."""
        return self._spec

    def to_dict(self) -> dict:
        """The spec with numpy arrays as typed arrays ({"dtype", "bdata"}), as plotly sends them."""
        return _encoded(self._spec)

    def to_plotly_json(self) -> dict:
        return self.to_dict()

    def update_layout(self, dict1: dict | None = None, **kwargs) -> "PlainFigure":
        """Merge settings into the layout (nested dicts merged, not replaced), as plotly does."""
        _merge(self._spec.setdefault("layout", {}), _expand({**(dict1 or {}), **kwargs}))
        return self

    def update_annotations(self, patch: dict | None = None, **kwargs) -> "PlainFigure":
        """Merge settings into every layout annotation (font_size=14 sets font.size)."""
        changes = _expand({**(patch or {}), **kwargs})
        for annotation in self._spec.get("layout", {}).get("annotations", []):
            _merge(annotation, changes)
        return self

    def update_xaxes(self, patch: dict | None = None, **kwargs) -> "PlainFigure":
        """Merge settings into every x axis of the layout (xaxis, xaxis2, ...)."""
        return self._update_axes("xaxis", {**(patch or {}), **kwargs})

    def update_yaxes(self, patch: dict | None = None, **kwargs) -> "PlainFigure":
        """Merge settings into every y axis of the layout (yaxis, yaxis2, ...)."""
        return self._update_axes("yaxis", {**(patch or {}), **kwargs})

    def _update_axes(self, prefix: str, settings: dict) -> "PlainFigure":
        layout = self._spec.setdefault("layout", {})
        names = [name for name in layout if name.startswith(prefix)] or [prefix]
        for name in names:
            _merge(layout.setdefault(name, {}), _expand(settings))
        return self

    def __repr__(self) -> str:
        return f"PlainFigure({len(self._spec.get('data', []))} traces)"


def _expand(settings: dict) -> dict:
    """Plotly's "magic underscores": {"font_size": 14} -> {"font": {"size": 14}}."""
    expanded: dict = {}
    for name, value in settings.items():
        *parents, leaf = name.split("_")
        target = expanded
        for parent in parents:
            target = target.setdefault(parent, {})
        target[leaf] = _expand(value) if isinstance(value, dict) else value
    return expanded


def _merge(target: dict, changes: dict) -> None:
    for name, value in changes.items():
        if isinstance(value, dict) and isinstance(target.get(name), dict):
            _merge(target[name], value)
        else:
            target[name] = value


_LITERAL_KEYS = ("range", "geojson", "layer", "layers")  # plotly.js wants plain lists there


def _plain(value):
    return value.tolist() if isinstance(value, np.ndarray) else _encoded(value)


def _encoded(value):
    """A copy of the dicts and lists, numeric numpy arrays turned into plotly typed arrays.

    Plotly's own converter does the same but inspects every array through several dataframe
    libraries first, which costs more than the rest of a figure here.
    """
    if isinstance(value, dict):
        return {key: _plain(item) if key in _LITERAL_KEYS else _encoded(item)
                for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_encoded(item) for item in value]
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "biuf" or value.size == 0:
            return value.tolist()
        # float32 stays float32 (half the bytes: big grids are built so), uint8 stays uint8
        # (pictures: an eighth of the bytes); the rest goes as f8.
        dtype = {np.dtype(np.float32): "f4", np.dtype(np.uint8): "u1"}.get(value.dtype, "f8")
        array = np.ascontiguousarray(value, dtype="<" + dtype)
        spec = {"dtype": dtype, "bdata": base64.b64encode(array.tobytes()).decode("ascii")}
        if array.ndim > 1:
            spec["shape"] = ", ".join(str(n) for n in array.shape)
        return spec
    if isinstance(value, np.generic):
        return value.item()
    return value


def figure(data: list, layout: dict, frames: list | None = None) -> PlainFigure:
    """The figure of these traces, layout and (optional) animation frames."""
    spec = {"data": data, "layout": layout}
    if frames:
        spec["frames"] = frames
    return PlainFigure(spec)


def validate(fig) -> go.Figure:
    """The same figure built through plotly's validation: raises ValueError on a bad property."""
    return go.Figure(fig.to_dict())
