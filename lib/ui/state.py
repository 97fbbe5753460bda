"""Page settings, declared once: the value, its range, its widget, and its place in the URL.

Each page declares its settings as Params: default, range or choices, step, and the widget
that shows it with its label. `PageState.widget(name)` draws that widget from the declaration;
a setting's value lives in st.session_state under "<page>.<name>" (the widget's key) and is
written to the URL whenever the page loads it, its widget is drawn or code sets it, so a copied
link reproduces the view, also after a fragment alone reran. There is no list of names to keep.

Values read from a URL are untrusted: each is parsed, validated and clamped, and every problem
is reported as a notice the page shows. Values that arrive from a client for a widget are
untrusted too: one the setting cannot hold (NaN for an integer, a number for a choice) puts the
setting back to its default, with a notice, instead of reaching the page.

When a widget's key is absent from the session (a new session, or returning to the page), the
value comes from the URL if it has one, else from the last value this session used on the
page, else from the default.
"""
from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import streamlit as st

from lib.ui import widget_guard

widget_guard.install()
MAX_RAW_LENGTH = 64  # longer URL values are refused outright
WIDGETS = ("slider", "select_slider", "selectbox", "radio", "toggle", "checkbox",
           "number_input")


def _log(x: float) -> float:
    """Distance scale for snapping: logarithmic for positive choices (learning rates)."""
    return math.log(x) if x > 0 else -1e9 + x


@dataclass(frozen=True)
class Param:
    """One setting. kind: "int", "float", "choice" or "bool"; lo/hi clamp numbers.

    A number with `choices` (a select_slider's options) snaps to the nearest choice.
    The widget: `widget` (one of WIDGETS), `label` and `help` (catalog keys; without a label
    the name itself is shown, as for w0), `step` and `format` (printf, for numbers and for the
    choices of a select slider) and `labels` (a catalog prefix: choice c reads t(labels + c)).
    """

    name: str
    default: object
    kind: str = "float"
    lo: float | None = None
    hi: float | None = None
    choices: tuple = ()
    widget: str | None = None
    label: str | None = None
    help: str | None = None
    step: float | None = None
    format: str | None = None
    labels: str | None = None

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

    def format_value(self, value) -> str:
        if self.kind == "bool":
            return "1" if value else "0"
        if self.kind == "float":
            return f"{float(value):.6g}"
        return str(value)

    def holds(self, value) -> bool:
        """Whether `value` is one this setting can take (what a widget may hand back)."""
        if self.kind == "bool":
            return isinstance(value, bool)
        if self.kind == "choice" or self.choices:
            return any(value == c and type(value) is type(c) for c in self.choices)
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            return False
        if self.kind == "int" and not isinstance(value, numbers.Integral):
            return False
        if not math.isfinite(value):
            return False
        return (self.lo is None or value >= self.lo) and (self.hi is None or value <= self.hi)

    def widget_options(self, t) -> dict:
        """The keyword arguments of this setting's widget, texts in the session's language."""
        options = {"label": t(self.label) if self.label else self.name}
        if self.help:
            options["help"] = t(self.help)
        if self.widget in ("slider", "number_input"):
            cast = int if self.kind == "int" else float
            options.update(min_value=cast(self.lo), max_value=cast(self.hi))
            if self.step is not None:
                options["step"] = cast(self.step)
            if self.format:
                options["format"] = self.format
        elif self.widget in ("select_slider", "selectbox", "radio"):
            options["options"] = self.choices
            # Labels are looked up now, not inside format_func, which may run outside this
            # session's thread.
            if self.labels:
                names = {c: t(f"{self.labels}{c}") for c in self.choices}
                options["format_func"] = names.get
            elif self.format:
                options["format_func"] = lambda c, pattern=self.format: pattern % c
            if self.widget == "radio":
                options["horizontal"] = True
        return options


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
        """Give every setting a value before its widget is drawn; return the URL problems.

        Writes every setting to the URL: returning to a page restores its link.
        """
        notices, saved = [], self._saved()
        query = st.query_params
        for name, param in self.params.items():
            key = self.key(name)
            if key in st.session_state:
                self._guard(name)
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
                                          param.format_value(value)))
            st.session_state[key] = value
        for name in self.params:
            self._write(name)
        return notices

    def get(self, name: str):
        return st.session_state.get(self.key(name), self.params[name].default)

    def set(self, name: str, value) -> None:
        """Change a setting from code (a preset, a click on a chart) before its widget is drawn."""
        st.session_state[self.key(name)] = value
        self._write(name)

    def defaults(self) -> dict:
        """Every setting at its default: the view the page opens with (the slide's, by design)."""
        return {name: param.default for name, param in self.params.items()}

    def values(self) -> dict:
        return {name: self.get(name) for name in self.params}

    def widget(self, name: str, where=None, **options):
        """Draw the setting's declared widget (in `where`, e.g. a column); return its value.

        `options` add to or replace the declared widget arguments (format_func with a count,
        disabled, max_value for the data at hand). The value goes to the URL at once, so a
        fragment's rerun keeps the link up to date.
        """
        from lib.ui.i18n import t

        param, key = self.params[name], self.key(name)
        was_reset = self._guard(name)
        draw = getattr(where if where is not None else st, param.widget)
        try:
            draw(**(param.widget_options(t) | options), key=key)
        except (TypeError, ValueError, IndexError, KeyError, OverflowError):
            if was_reset:  # failing at its default too: a fault of the page, not of a value
                raise
            # The widget could not hold what the client sent: put it back on the next run.
            st.session_state[_RESET] = st.session_state.get(_RESET, ()) + (key,)
            st.rerun()
        self._write(name)
        return self.get(name)

    def tabs(self, name: str, labels: dict) -> list:
        """st.tabs whose open tab is the setting `name` (tab ids as its choices, in order):
        a link reproduces the open tab. labels: tab id -> its label in this language."""
        from lib.ui.i18n import current_language

        ids = list(labels)
        self._guard(name)
        value = self.get(name)
        # The widget holds a label, which differs per language: one key per language.
        key, synced = f"{self.key(name)}.{current_language()}", f"_tabs.{self.key(name)}"
        if key in st.session_state and st.session_state.get(synced) == value:
            clicked = {label: id for id, label in labels.items()}.get(st.session_state[key])
            if clicked is not None and clicked != value:  # the user opened another tab
                value = clicked
                st.session_state[self.key(name)] = value
        else:  # a new session, another language, or code chose the tab (a preset)
            st.session_state[key] = labels[value]
        st.session_state[synced] = value
        containers = st.tabs([labels[id] for id in ids], key=key, on_change="rerun")
        self._write(name)
        return list(containers)

    def _guard(self, name: str) -> bool:
        """Put a setting back to its default if its value is not one it can hold, and say so
        (True when it did)."""
        param, key = self.params[name], self.key(name)
        pending = st.session_state.get(_RESET, ())
        try:
            value = st.session_state[key] if key in st.session_state else param.default
            good = key not in pending and param.holds(value)
        except Exception:  # the widget's value could not even be read back
            good = False
        good = not widget_guard.take(key) and good
        if good:
            return False
        st.session_state[_RESET] = tuple(k for k in pending if k != key)
        st.session_state[key] = param.default
        from lib.ui.i18n import t

        st.warning(t("url.reset", name=f"`{param.name}`",
                     used=f"`{param.format_value(param.default)}`"), icon="↩️")
        return True

    def _write(self, name: str) -> None:
        """Remember the value for this session and put it in the URL (non-defaults only)."""
        param, value = self.params[name], self.get(name)
        self._saved()[name] = value
        if value == param.default:
            if name in st.query_params:
                del st.query_params[name]
        else:
            text = param.format_value(value)
            if st.query_params.get(name) != text:
                st.query_params[name] = text


_RESET = "_state.reset"  # widget keys whose value the widget could not hold: reset next run
