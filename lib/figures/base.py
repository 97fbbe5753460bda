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
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go


PLAIN_TEXT, PLAIN_TICK = 13, 12


@dataclass(frozen=True)
class Look:
    """How this run's figures are lettered and sized: settled once per run from the sidebar
    (language, lecture mode) and handed to every figure builder, which sets each piece of
    lettering from it. Nothing changes a figure after its builder made it.

    Sizes are pixels, by role: `text` (general lettering, legends, hover labels, text beside
    markers), `tick` (tick labels of axes, colour bars and 3-D axes), `axis_title` (axis and
    colour-bar titles), `heading` (titles over a figure or a part of it, animation titles),
    `label` (short labels packed over small pictures). `height` and `marker` are the main
    chart's height and marker size. In lecture mode nothing a student reads is under 18 px.
    """

    language: str = "ja"
    lecture: bool = False
    text: int = PLAIN_TEXT
    tick: int = PLAIN_TICK
    axis_title: int = PLAIN_TEXT
    heading: int = 15
    label: int = 12
    height: int = 520
    marker: int = 11

    @property
    def axis_growth(self) -> int:
        """How many pixels more an x axis's tick labels and title take than in the plain look:
        what sits below a plot (an animation's buttons and slider) moves down by as much."""
        return 2 * (self.tick - PLAIN_TICK) + (self.axis_title - PLAIN_TEXT)

    @classmethod
    def of(cls, language: str = "ja", lecture: bool = False) -> "Look":
        if lecture:  # read from the back of a room on a 1920 × 1080 projector
            return cls(language, True, text=20, tick=18, axis_title=20, heading=22, label=18,
                       height=600, marker=16)
        return cls(language, False)

    def font(self, size: int | None = None, **extra) -> dict:
        return dict(extra, size=size or self.text)

    def layout(self, **settings) -> dict:
        """A layout lettered in this look: its text, legend and hover labels."""
        hover = settings.get("hoverlabel", {})
        layout = dict(settings, font=self.font(),
                      hoverlabel=dict(hover, font=self.font(**hover.get("font", {}))))
        if "legend" in settings:
            layout["legend"] = self.legend(**settings["legend"])
        return layout

    def axis(self, title: str | None = None, **settings) -> dict:
        """An axis (2-D or of a 3-D scene) with lettered ticks and, if given, a title."""
        axis = dict(settings, tickfont=self.font(self.tick))
        if title is not None:
            axis["title"] = dict(text=title, font=self.font(self.axis_title))
        return axis

    def plane_scale(self) -> dict:
        """A y axis's tie to x in a plane of points. One unit is as long on both axes in the plain
        look. In lecture mode the plane fills its chart at the chart's own aspect, as in the
        slides' own pictures, so that the plot uses the projector's width: a square plot there
        would leave two thirds of a wide column empty."""
        return {} if self.lecture else dict(scaleanchor="x", scaleratio=1)

    def legend(self, **settings) -> dict:
        legend = dict(settings, font=self.font())
        if isinstance(settings.get("title"), dict):
            legend["title"] = dict(settings["title"], font=self.font())
        return legend

    def colorbar(self, title: str = "", **settings) -> dict:
        return dict(settings, tickfont=self.font(self.tick),
                    title=dict(text=title, side="right", font=self.font(self.axis_title)))

    def annotation(self, size: int | None = None, **settings) -> dict:
        """An annotation lettered as a heading (or at `size`); settings["font"] may add a colour."""
        return dict(settings, font=self.font(size or self.heading, **settings.get("font", {})))

    def title(self, text: str, **settings) -> dict:
        """A figure's own title (an animation's frame title)."""
        return dict(settings, text=text, font=self.font(self.heading))

    def slider(self, **settings) -> dict:
        """An animation's epoch slider: its tick labels and its current value."""
        current = dict(settings.get("currentvalue", {}), font=self.font())
        return dict(settings, currentvalue=current, font=self.font(self.tick))

    def buttons(self, **settings) -> dict:
        """An animation's play and pause buttons."""
        return dict(settings, font=self.font())


PLAIN = Look()


def animation_controls(names: list[str], labels: dict, look: Look, plot: float, redraw: bool,
                       buttons_below: int, slider_below: int) -> dict:
    """Play and pause buttons and an epoch slider under an animated plot, as layout settings.

    names: the frames' names (their epochs), the slider's steps in order; the last is shown
    first. plot: the plot area's height in pixels. redraw: whether a frame must redraw the
    whole plot (a heatmap's new shade) or only moves traces. buttons_below / slider_below:
    how far (pixels, in the plain look) the buttons and the slider sit below the plot.
    """
    play = dict(label="▶ " + labels["play"], method="animate",
                args=[None, dict(frame=dict(duration=80, redraw=redraw), fromcurrent=True,
                                 transition=dict(duration=0), mode="immediate")])
    pause = dict(label="⏸ " + labels["pause"], method="animate",
                 args=[[None], dict(frame=dict(duration=0, redraw=False), mode="immediate")])
    steps = [dict(method="animate", label=name,
                  args=[[name], dict(frame=dict(duration=0, redraw=redraw), mode="immediate",
                                     transition=dict(duration=0))]) for name in names]
    return dict(
        updatemenus=[look.buttons(type="buttons", direction="left", buttons=[play, pause], x=0,
                                  y=-(buttons_below + look.axis_growth) / plot, xanchor="left",
                                  yanchor="top", showactive=False)],
        sliders=[look.slider(active=len(steps) - 1, steps=steps, x=0.22, len=0.78,
                             y=-(slider_below + look.axis_growth) / plot,
                             currentvalue=dict(prefix=labels["epoch"] + " "), pad=dict(t=30))])


class PlainFigure(go.Figure):
    """A finished figure: {"data": [...], "layout": {...}, "frames": [...]} and nothing else.

    st.plotly_chart and plotly.io only call to_dict(). Nothing else of go.Figure works here:
    to change a figure, change its builder. go.Figure's constructor, which validates, is
    deliberately not called.
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

    def __repr__(self) -> str:
        return f"PlainFigure({len(self._spec.get('data', []))} traces)"


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
