"""The look of a run: its language and lecture mode, settled once after the sidebar applied the
URL, and what lecture mode does to the page around the figures.

A view takes the look once (`current()`) and hands it to its figure builders (lib/figures),
which letter and size every figure from it; fragments get it as an argument, so a fragment's
own rerun draws in the look of the run that drew the page.
"""
from __future__ import annotations

import streamlit as st

from lib.figures.base import PLAIN, Look

_KEY = "_look"  # session_state: the look settled by this session's last full run

# Lecture mode: everything a student reads is at least 18 px on a 1920 × 1080 projector, and a
# compact header leaves the first screen to the chart and the controls that move it.
# Fixed CSS of our own, never user text.
LECTURE_CSS = """
<style>
[data-testid="stMainBlockContainer"] { padding-top: 3rem !important; padding-bottom: 3rem; }
[data-testid="stMain"] [data-testid="stVerticalBlock"] { gap: 0.6rem !important; }
[data-testid="stMain"] [data-testid="stMetricLabel"] *, [data-testid="stMain"] button *,
[data-testid="stMain"] [data-testid="stWidgetLabel"] *,
[data-testid="stMain"] [data-baseweb="select"] div {
  white-space: normal !important; text-overflow: clip !important; }
[data-testid="stMain"] p, [data-testid="stMain"] li, [data-testid="stMain"] label,
[data-testid="stMain"] [data-testid="stMarkdownContainer"] { font-size: 1.3rem !important; }
[data-testid="stMain"] h1 { font-size: 2.2rem !important; padding-top: 0 !important;
  padding-bottom: 0.4rem !important; }
[data-testid="stMain"] h2, [data-testid="stMain"] h3 { font-size: 1.8rem !important;
  padding-top: 0.3rem !important; }
[data-testid="stMain"] [data-testid="stMetricValue"],
[data-testid="stMain"] [data-testid="stMetricValue"] p { font-size: 2.4rem !important; }
[data-testid="stMain"] [data-testid="stCaptionContainer"],
[data-testid="stMain"] [data-testid="stCaptionContainer"] p { font-size: 1.2rem !important; }
[data-testid="stMain"] [data-testid="stTable"] td,
[data-testid="stMain"] [data-testid="stTable"] th { font-size: 1.3rem !important; }
[data-testid="stMain"] [data-baseweb="select"] div,
[data-testid="stMain"] input, [data-testid="stMain"] textarea { font-size: 1.3rem !important; }
[role="listbox"] [role="option"], [role="listbox"] [role="option"] * {
  font-size: 1.3rem !important; }
[data-testid="stMain"] [data-testid="stCode"] code { font-size: 1.15rem !important; }
[data-testid="stMain"] [data-testid="stExpander"] summary p { font-size: 1.3rem !important; }
[data-testid="stSliderThumbValue"], [data-testid="stSliderTickBar"] {
  font-size: 1.2rem !important; }
</style>
"""


def settle(language: str, lecture: bool) -> Look:
    """This run's look, from the sidebar's settings; kept for the views of this session."""
    look = Look.of(language, lecture)
    st.session_state[_KEY] = look
    if lecture:
        st.markdown(LECTURE_CSS, unsafe_allow_html=True)
    return look


def current() -> Look:
    """The look the sidebar settled for this run (the plain look before it has)."""
    return st.session_state.get(_KEY, PLAIN)
