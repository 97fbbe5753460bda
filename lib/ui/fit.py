"""What only the browser can size: 3-D scenes that fit their column, page links that wrap, and
plotly's toolbar clear of the legends on a phone.

The server never knows how wide a column is on the screen that shows it, so these are fixed
rules of the page's stylesheet (our own fixed CSS, no user text), set once per run.
"""
from __future__ import annotations

import streamlit as st

# The class Streamlit gives a container whose key starts with "scene."
_SCENE_CLASS = "st-key-scene-"
# Width : height of a 3-D scene's box.
SCENE_RATIO = (10, 9)
PHONE_SCENE_RATIO = (10, 8)
# Room above a chart for plotly's toolbar on a phone (its buttons are about 24 px high).
PHONE_TOOLBAR_PX = 32
PHONE_MAX_WIDTH_PX = 640

_CSS = f"""
<style>
/* plotly scales a 3-D scene by its figure's height alone: in a narrow column a fixed height cut
   the scene (and its z labels) at the left, in a wide one the scene filled a third of it. A box
   whose height follows its width keeps the scene whole and filling its column. */
[class*="{_SCENE_CLASS}"] {{ aspect-ratio: {SCENE_RATIO[0]} / {SCENE_RATIO[1]}; max-height: 85vh; }}
/* Page links wrap onto a second line instead of being cut ("MNIST 手書き数字の分…"). */
[data-testid="stPageLink"] a span, [data-testid="stPageLink"] a p,
[data-testid="stPageLink"] a [data-testid="stMarkdownContainer"] {{
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }}
/* A touch screen always shows plotly's toolbar, and over the chart it covered the legends:
   on a phone it gets a strip of its own above the chart. */
@media (max-width: {PHONE_MAX_WIDTH_PX}px) {{
  /* The scene's lettering keeps its size on a phone: a little less height, so it still fits. */
  [class*="{_SCENE_CLASS}"] {{ aspect-ratio: {PHONE_SCENE_RATIO[0]} / {PHONE_SCENE_RATIO[1]}; }}
  [data-testid="stPlotlyChart"] {{ padding-top: {PHONE_TOOLBAR_PX}px; }}
  [data-testid="stPlotlyChart"] .js-plotly-plot {{ overflow: visible !important; }}
  [data-testid="stPlotlyChart"] .modebar-container {{ top: -{PHONE_TOOLBAR_PX}px !important; }}
}}
</style>
"""


def apply() -> None:
    """The rules above, for the page being drawn (a style-only st.html takes no room)."""
    st.html(_CSS)


def scene_box(key: str):
    """A container for one 3-D figure (or the map beside it), as tall as the rule above makes
    it; draw the figure inside with height="stretch". key: unique on the page."""
    return st.container(key=f"scene.{key}")
