"""Translations: every string a user sees comes from lib/ui/locales/{ja,en}.toml.

Keys are dotted paths into the TOML tables ("logistic.title"). Values are str.format
templates: t("train.batch_all", n=35) fills {n}.
"""
from __future__ import annotations

import threading
import tomllib
from functools import lru_cache
from pathlib import Path

LANGUAGES = {"ja": "日本語", "en": "English"}
DEFAULT_LANGUAGE = "ja"
_LOCALES = Path(__file__).parent / "locales"
LANG_KEY = "lang"  # session_state key of the chosen language


def _flatten(table: dict, prefix: str = "") -> dict[str, str]:
    flat = {}
    for name, value in table.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{name}."))
        else:
            flat[prefix + name] = str(value)
    return flat


@lru_cache(maxsize=None)
def catalog(lang: str) -> dict[str, str]:
    with open(_LOCALES / f"{lang}.toml", "rb") as handle:
        return _flatten(tomllib.load(handle))


# The language of the script run on this thread, once the sidebar has settled it: a page calls
# t() a hundred times or more per run, and each session_state lookup costs tens of µs.
_RUN = threading.local()


def remember_language() -> None:
    """Settle this run's language (call after the URL's lang= has been applied)."""
    _RUN.lang = None
    _RUN.lang = current_language()


def current_language() -> str:
    remembered = getattr(_RUN, "lang", None)
    if remembered is not None:
        return remembered
    try:
        import streamlit as st

        lang = st.session_state.get(LANG_KEY, DEFAULT_LANGUAGE)
    except Exception:  # outside a Streamlit run (tests, scripts)
        lang = DEFAULT_LANGUAGE
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, lang: str | None = None, **values) -> str:
    """The text for `key` in `lang` (default: the session's language), filled with `values`.

    A key missing from a catalog is a bug the catalog test catches; at run time the key itself
    is shown rather than crashing a lecture.
    """
    text = catalog(lang or current_language()).get(key, key)
    return text.format(**values) if values else text
