"""The drawing canvas with its own, always visible "undo" and "clear" buttons.

The canvas component's toolbar shows only while the mouse hovers over it, with English tooltips:
a lecturer on a touch screen never finds it. These buttons say what they do in the page's
language. They work through the component's `initial_drawing`: a new one (the strokes minus the
last, or none) makes the canvas load it and send the drawing back, as if drawn by hand.
"""
from __future__ import annotations

import streamlit as st
from streamlit_drawable_canvas import st_canvas

from lib.ui.i18n import t


def _start_key(key: str) -> str:
    return f"{key}._start"


def _objects(key: str) -> list:
    """The strokes on the canvas now, as the component last reported them."""
    value = st.session_state.get(key)  # what the client sent: any shape may arrive
    drawing = value.get("drawing") if isinstance(value, dict) else None
    raw = drawing.get("raw") if isinstance(drawing, dict) else None
    objects = raw.get("objects") if isinstance(raw, dict) else None
    return list(objects) if isinstance(objects, list) else []


def _restart(key: str, objects: list) -> None:
    """Give the canvas a new drawing to start from. The count makes every restart a new value,
    so the canvas reloads even when it gets the same strokes (or none) twice."""
    previous = st.session_state.get(_start_key(key)) or {}
    st.session_state[_start_key(key)] = {"objects": objects,
                                         "restarts": previous.get("restarts", 0) + 1}


def _undo(key: str) -> None:
    _restart(key, _objects(key)[:-1])


def _clear(key: str) -> None:
    _restart(key, [])
    # Empty at once: the prediction goes away in this run, not after the canvas answers.
    st.session_state[key] = {"drawing": {"raw": {"objects": []}, "data": None},
                             "backgroundFit": None}


def drawing_canvas(key: str, size: int, stroke_width: int = 20):
    """A white size × size canvas for black free drawing, and its undo and clear buttons.

    Returns the component's result (image_data: the RGBA pixels, or None before any drawing).
    """
    result = st_canvas(stroke_width=stroke_width, stroke_color="#000000",
                       background_color="#ffffff", height=size, width=size,
                       drawing_mode="freedraw", return_image_data=True,
                       initial_drawing=st.session_state.get(_start_key(key)), key=key)
    nothing = not _objects(key)
    with st.container(horizontal=True):
        st.button(t("mnist.canvas_undo"), key=f"{key}.undo", icon=":material/undo:",
                  help=t("mnist.canvas_undo_help"), on_click=_undo, args=(key,), disabled=nothing)
        st.button(t("mnist.canvas_clear"), key=f"{key}.clear", icon=":material/delete:",
                  help=t("mnist.canvas_clear_help"), on_click=_clear, args=(key,), disabled=nothing)
    return result
