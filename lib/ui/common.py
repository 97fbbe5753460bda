"""Shared Streamlit pieces: the sidebar (language, lecture mode), explanations, notices, code,
charts and tables, and the chart-beside-controls layout of lecture mode.

Pages call these so that every page looks and behaves alike.
"""
from __future__ import annotations

import unicodedata

import streamlit as st

from lib.figures.base import Look
from lib.ui import fit, i18n
from lib.ui import look as looks
from lib.ui.i18n import t
from lib.ui.state import Notice, PageState, Param

APP_STATE = PageState("app", [
    Param("lang", i18n.DEFAULT_LANGUAGE, "choice", choices=tuple(i18n.LANGUAGES),
          widget="radio", label="sidebar.language"),
    Param("lecture", False, "bool", widget="toggle", label="sidebar.lecture_mode",
          help="sidebar.lecture_mode_help"),
])
i18n.LANG_KEY = APP_STATE.key("lang")

def setup_sidebar() -> None:
    """Language and lecture-mode switches, bound to the URL (lang=en, lecture=1)."""
    notices = APP_STATE.load()
    i18n.remember_language()
    with st.sidebar:
        APP_STATE.widget("lang", format_func=i18n.LANGUAGES.get)
        APP_STATE.widget("lecture")
        copy_link_button()
    fit.apply()
    looks.settle(i18n.current_language(), bool(APP_STATE.get("lecture")))
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


def page_start(state: PageState, slide_view: dict | None = None) -> Look:
    """The opening every lesson page shares, named after its state's page: the title, the
    "as on the slide" button (slide_view: PageState -> settings; the page's defaults unless
    given), the introduction and a warning for URL values it could not take. Returns this
    run's look."""
    look = looks.current()
    page = state.page
    st.title(t(f"{page}.title"))
    preset_button("common.preset_slide", "common.preset_slide_help",
                  slide_view or {state: state.defaults()}, f"{page}.preset_slide")
    explain(f"{page}.intro")
    show_notices(state.load(), state)
    return look


def plotly(figure, key: str, **chart_options):
    """Show a figure as its builder made it (lettered from the run's Look), without plotly's
    logo. chart_options go to st.plotly_chart (on_select, ...); returns its value."""
    return st.plotly_chart(figure, key=key, config={"displaylogo": False}, **chart_options)


def table(rows: list[dict], look: Look) -> None:
    """A small table of results. In lecture mode an HTML table, whose cells the lecture lettering
    reaches (st.dataframe paints its cells on a canvas, in the theme's small size)."""
    if look.lecture:
        st.table(rows, hide_index=True)
    else:
        st.dataframe(rows, hide_index=True, width="stretch")


def chart_beside_controls(look: Look, chart_share: float = 0.7):
    """(chart, controls) containers: side by side in lecture mode, the chart on the left taking
    `chart_share` of the width, so that both fit the first screen of a projector; one above the
    other otherwise (controls first)."""
    if look.lecture:
        chart, controls = st.columns([chart_share, 1 - chart_share], gap="medium")
        return chart, controls
    controls = st.container()
    return st.container(), controls


def control_columns(look: Look, count: int, lecture_count: int = 1,
                    places: tuple | None = None) -> list:
    """`count` columns for controls or metrics in a row; in lecture mode, where they sit in the
    narrow column beside the chart, `lecture_count` columns (the i-th of the `count` going to
    column places[i], evenly by default), each holding its share stacked."""
    if not look.lecture:
        return st.columns(count)
    columns = st.columns(lecture_count) if lecture_count > 1 else [st.container()]
    places = places or [i * len(columns) // count for i in range(count)]
    return [columns[place] for place in places]


def section_box(look: Look, heading: str):
    """A bordered section under its heading; in lecture mode an expander under that heading,
    so that the first screen is left to the chart and its controls."""
    if look.lecture:
        return st.expander(heading)
    box = st.container(border=True)
    box.subheader(heading)
    return box


def explain(key: str, expanded_outside_lecture: bool = True) -> None:
    """A longer explanation from the catalogs: shown in full, collapsed in lecture mode."""
    if looks.current().lecture:
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
