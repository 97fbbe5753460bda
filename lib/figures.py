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

import plotly.graph_objects as go
from _plotly_utils.utils import convert_to_base64


class PlainFigure(go.Figure):
    """A finished figure: {"data": [...], "layout": {...}, "frames": [...]} and nothing else.

    Only to_dict() / to_plotly_json() are meant to be used (that is all st.plotly_chart and
    plotly.io call); to edit a figure, change the builder. go.Figure's constructor, which
    validates, is deliberately not called.
    """

    def __init__(self, spec: dict):  # noqa: super().__init__ skipped on purpose (see above)
        self._spec = spec

    @property
    def spec(self) -> dict:
        """The figure as built: numpy arrays still arrays (for tests and reuse; do not mutate)."""
        return self._spec

    def to_dict(self) -> dict:
        spec = _copy(self._spec)
        convert_to_base64(spec)  # numpy arrays travel as typed arrays, as plotly sends them
        return spec

    def to_plotly_json(self) -> dict:
        return self.to_dict()

    def __repr__(self) -> str:
        return f"PlainFigure({len(self._spec.get('data', []))} traces)"


def _copy(value):
    """A copy of the dicts and lists (not of the arrays and numbers inside them)."""
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_copy(item) for item in value]
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
