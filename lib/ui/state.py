"""Page settings <-> URL query parameters: a declarative schema per page.

Each page declares its settings as Params. A setting's value lives in st.session_state under
"<page>.<name>" (the widget's key) and is written back to the URL after every run, so a copied
link reproduces the view. Values read from a URL are untrusted: each is parsed, validated and
clamped, and every problem is reported as a notice the page shows.

When a widget's key is absent from the session (a new session, or returning to the page), the
value comes from the URL if it has one, else from the last value this session used on the
page, else from the default.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import streamlit as st

MAX_RAW_LENGTH = 64  # longer URL values are refused outright


def _log(x: float) -> float:
    """Distance scale for snapping: logarithmic for positive choices (learning rates)."""
    return math.log(x) if x > 0 else -1e9 + x


@dataclass(frozen=True)
class Param:
    """One setting. kind: "int", "float", "choice" or "bool"; lo/hi clamp numbers.

    A number with `choices` (a select_slider's options) snaps to the nearest choice.
    """

    name: str
    default: object
    kind: str = "float"
    lo: float | None = None
    hi: float | None = None
    choices: tuple = ()

    def parse(self, raw: str):
        """(value, problem): problem is None, "clamped", "invalid" — value is always usable."""
        raw = str(raw).strip()
        if len(raw) > MAX_RAW_LENGTH:
            return self.default, "invalid"
        if self.kind == "choice":
            return (raw, None) if raw in self.choices else (self.default, "invalid")
        if self.kind == "bool":
            if raw.lower() in ("1", "true", "yes", "on"):
                return True, None
            if raw.lower() in ("0", "false", "no", "off"):
                return False, None
            return self.default, "invalid"
        try:
            number = float(raw)
        except ValueError:
            return self.default, "invalid"
        if not math.isfinite(number):
            return self.default, "invalid"
        value = self.clamp(number)
        if self.kind == "int" and number != int(number):
            return value, "clamped"
        return value, ("clamped" if value != number else None)

    def clamp(self, number: float):
        if self.choices:
            return min(self.choices, key=lambda c: (abs(_log(c) - _log(number)), c))
        if self.lo is not None:
            number = max(self.lo, number)
        if self.hi is not None:
            number = min(self.hi, number)
        return int(round(number)) if self.kind == "int" else float(number)

    def format(self, value) -> str:
        if self.kind == "bool":
            return "1" if value else "0"
        if self.kind == "float":
            return f"{float(value):.6g}"
        return str(value)


@dataclass(frozen=True)
class Notice:
    """A URL value that could not be used as given: shown to the user, then dropped."""

    name: str
    raw: str
    problem: str
    used: str


class PageState:
    """The settings of one page, bound to widgets by key and to the URL by name."""

    def __init__(self, page: str, params: list[Param]):
        self.page = page
        self.params = {p.name: p for p in params}

    def key(self, name: str) -> str:
        return f"{self.page}.{name}"

    def _saved(self) -> dict:
        return st.session_state.setdefault(f"_saved.{self.page}", {})

    def load(self) -> list[Notice]:
        """Give every setting a value before its widget is drawn; return the URL problems."""
        notices, saved = [], self._saved()
        query = st.query_params
        for name, param in self.params.items():
            key = self.key(name)
            if key in st.session_state:
                continue
            value = saved.get(name, param.default)
            if name in query:
                raw = query.get(name)
                parsed, problem = param.parse(raw)
                if problem is None:
                    value = parsed
                else:
                    value = parsed if problem == "clamped" else value
                    notices.append(Notice(name, str(raw)[:MAX_RAW_LENGTH], problem,
                                          param.format(value)))
            st.session_state[key] = value
        return notices

    def get(self, name: str):
        value = st.session_state.get(self.key(name), self.params[name].default)
        return value

    def set(self, name: str, value) -> None:
        """Change a setting from code (e.g. a preset button) before its widget is drawn."""
        st.session_state[self.key(name)] = value

    def defaults(self) -> dict:
        """Every setting at its default: the view the page opens with (the slide's, by design)."""
        return {name: param.default for name, param in self.params.items()}

    def values(self) -> dict:
        return {name: self.get(name) for name in self.params}

    def save(self, names=None) -> None:
        """Remember the values for this session and write them to the URL (non-defaults only)."""
        saved = self._saved()
        for name in names or self.params:
            param, value = self.params[name], self.get(name)
            saved[name] = value
            if value == param.default:
                if name in st.query_params:
                    del st.query_params[name]
            else:
                text = param.format(value)
                if st.query_params.get(name) != text:
                    st.query_params[name] = text
