"""Shared Streamlit pieces: the sidebar (language, lecture mode), explanations, notices, code.

Pages call these so that every page looks and behaves alike.
"""
from __future__ import annotations

import unicodedata

import streamlit as st

from lib.ui import fit, i18n
from lib.ui.i18n import t
from lib.ui.state import Notice, PageState, Param

APP_STATE = PageState("app", [
    Param("lang", i18n.DEFAULT_LANGUAGE, "choice", choices=tuple(i18n.LANGUAGES),
          widget="radio", label="sidebar.language"),
    Param("lecture", False, "bool", widget="toggle", label="sidebar.lecture_mode",
          help="sidebar.lecture_mode_help"),
])
i18n.LANG_KEY = APP_STATE.key("lang")

# Lecture mode: text and controls readable from the back of a room on a projector.
_LECTURE_CSS = """
<style>
[data-testid="stMain"] p, [data-testid="stMain"] li, [data-testid="stMain"] label,
[data-testid="stMain"] [data-testid="stMarkdownContainer"] { font-size: 1.3rem !important; }
[data-testid="stMain"] h1 { font-size: 2.8rem !important; }
[data-testid="stMain"] h2, [data-testid="stMain"] h3 { font-size: 2.0rem !important; }
[data-testid="stMain"] [data-testid="stMetricValue"],
[data-testid="stMain"] [data-testid="stMetricValue"] p { font-size: 2.6rem !important; }
[data-testid="stSliderThumbValue"], [data-testid="stSliderTickBar"] { font-size: 1.15rem !important; }
</style>
"""


def setup_sidebar() -> None:
    """Language and lecture-mode switches, bound to the URL (lang=en, lecture=1)."""
    notices = APP_STATE.load()
    i18n.remember_language()
    with st.sidebar:
        APP_STATE.widget("lang", format_func=i18n.LANGUAGES.get)
        APP_STATE.widget("lecture")
        copy_link_button()
    fit.apply()
    if lecture_mode():
        st.markdown(_LECTURE_CSS, unsafe_allow_html=True)  # our own fixed CSS, never user text
    show_notices(notices, APP_STATE)


# Copies the address bar as it is at the moment of the click, so the link always holds the
# settings the page has just written, fragments included. Fixed markup: no user text in it.
_COPY_LINK_HTML = """
<button class="copy-link" type="button" title="{title}" data-done="{done}">{label}</button>
<script>
document.querySelectorAll("button.copy-link").forEach((button) => {{
  if (button.dataset.ready) return;
  button.dataset.ready = "1";
  button.addEventListener("click", () => {{
    const url = window.location.href;
    navigator.clipboard.writeText(url).then(
      () => {{ button.textContent = button.dataset.done; }},
      () => {{ window.prompt(button.title, url); }});
  }});
}});
</script>
<style>
.copy-link {{ width: 100%; padding: 0.45rem 0.6rem; border-radius: 0.5rem; cursor: pointer;
  border: 1px solid rgba(49, 51, 63, 0.2); background: white; font: inherit; }}
.copy-link:hover {{ border-color: #0072B2; color: #0072B2; }}
</style>
"""


def copy_link_button() -> None:
    """'Copy a link to this view': the URL carries every setting of the page."""
    def quoted(key):
        return t(key).replace("'", "’").replace('"', "”").replace("<", "‹")

    st.html(_COPY_LINK_HTML.format(label=quoted("sidebar.copy_link"),
                                   done=quoted("sidebar.copied"),
                                   title=quoted("sidebar.copy_link_help")),
            unsafe_allow_javascript=True)


def preset_button(label_key: str, help_key: str, settings: dict, key: str) -> None:
    """A one-click view: settings maps PageState -> {name: value} (e.g. 'as on the slide')."""
    def apply():
        for state, values in settings.items():
            for name, value in values.items():
                state.set(name, value)

    st.button(t(label_key), help=t(help_key), on_click=apply, key=key, icon="🎞️")


def lecture_mode() -> bool:
    return bool(st.session_state.get(APP_STATE.key("lecture"), False))


def figure_scale() -> dict:
    """Heights and marker sizes for figures: larger in lecture mode."""
    if lecture_mode():
        return dict(height=680, marker_size=16)
    return dict(height=520, marker_size=11)


def plotly(figure, key: str, annotations: bool = True, **chart_options):
    """Show a figure with the app's chart settings; larger lettering in lecture mode.

    annotations=False leaves annotation lettering as the builder set it (titles packed over
    small pictures). chart_options go to st.plotly_chart (on_select, ...); returns its value.
    """
    size = 18 if lecture_mode() else 13
    figure.update_layout(font=dict(size=size), legend=dict(font=dict(size=size)))
    if annotations:
        figure.update_annotations(font_size=size + 2)
    # Streamlit's chart theme sets the axis lettering itself; override it for the projector.
    figure.update_xaxes(tickfont_size=size - 1, title_font_size=size)
    figure.update_yaxes(tickfont_size=size - 1, title_font_size=size)
    return st.plotly_chart(figure, key=key, config={"displaylogo": False}, **chart_options)


def explain(key: str, expanded_outside_lecture: bool = True) -> None:
    """A longer explanation from the catalogs: shown in full, collapsed in lecture mode."""
    if lecture_mode():
        with st.expander(t("common.explanation")):
            st.markdown(t(key))
    elif expanded_outside_lecture:
        st.markdown(t(key))
    else:
        with st.expander(t("common.explanation")):
            st.markdown(t(key))


def literal(text: str) -> str:
    """Show untrusted text literally: inside a code span nothing is rendered as markup.

    A backtick would close the span early and a line break (\n or \r: "x\r\r[a](url)" in a
    link) would end its paragraph and let the rest render as markdown: both become harmless.
    """
    text = "".join(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in text)
    return "`" + (text.replace("`", "'") or " ") + "`"  # `` would be no code span


def data_message(error, page: str = "", own: tuple[str, ...] = ()) -> str:
    """The user's-language message of a data problem (a DataError): the page's own text for the
    codes in `own`, else the shared [csv] one. Every text in it came from the user's file
    (column names, the columns found) and is shown literally; numbers stay numbers."""
    table = page if error.code in own else "csv"
    values = {name: literal(value) if isinstance(value, str) else value
              for name, value in error.detail.items()}
    return t(f"{table}.{error.code}", **values)


def show_notices(notices: list[Notice], state: PageState) -> None:
    """One warning for the URL values that were clamped or ignored."""
    if not notices:
        return
    lines = []
    for notice in notices:
        lines.append("- " + t(f"url.{notice.problem}", name=literal(notice.name),
                              raw=literal(notice.raw), used=literal(notice.used)))
    st.warning(t("url.heading") + "\n" + "\n".join(lines), icon="🔗")


def code_panel(scripts, filename: str, intro: str = "common.code_intro",
               fast_text: str = "common.code_fast_text") -> None:
    """The runnable script of the current run: the slide's form first, the fast one beside it.

    scripts: a lib.scripts template.Scripts (both forms and their times), or one script text.
    """
    st.markdown(t(intro, filename=filename))
    if isinstance(scripts, str):
        _script_box(scripts, filename)
        return
    slide_tab, fast_tab = st.tabs([t("common.code_tab_slide"), t("common.code_tab_fast")])
    seconds = scripts.seconds
    with slide_tab:
        st.markdown(t("common.code_slide_text", epochs=scripts.epochs,
                      time=_duration(seconds["slide"]),
                      ms=f"{1000 * seconds['slide'] / max(1, scripts.epochs):.0f}"))
        _script_box(scripts.forms["slide"], filename)
    with fast_tab:
        st.markdown(t(fast_text, time=_duration(seconds["fast"]),
                      slide_time=_duration(seconds["slide"])))
        _script_box(scripts.forms["fast"], filename.replace(".py", "_fast.py"))


def _script_box(script: str, filename: str) -> None:
    st.download_button(t("common.download_script"), script, file_name=filename,
                       mime="text/x-python", icon="⬇️", key=f"download.{filename}")
    st.code(script, language="python", line_numbers=True)


def _duration(seconds: float) -> str:
    """About how long, in the session's language: "about 3 min", "約 40 秒"."""
    if seconds < 1:
        return t("common.under_a_second")
    if seconds < 90:
        return t("common.about_seconds", n=f"{seconds:.0f}")
    return t("common.about_minutes", n=f"{seconds / 60:.0f}")


def chart_labels(**extra) -> dict:
    """The labels every point chart needs, in the session's language."""
    labels = {
        "circle": t("chart.circle"), "cross": t("chart.cross"), "x": "x", "y": "y",
        "line": t("chart.line"), "play": t("chart.play"), "pause": t("chart.pause"),
        "epoch": t("chart.epoch"), "loss": t("chart.loss"), "accuracy": t("chart.accuracy"),
        "train": t("chart.train"), "test": t("chart.test"),
    }
    labels.update(extra)
    return labels
