"""The home page: the lecture as a map, and the three kinds of learning as tiny live examples.

Plain numpy only (lib/core/home.py): the app opens here, so this page must load fast and never
import TensorFlow.
"""
import numpy as np
import streamlit as st

from lib.figures import home as charts_home
from lib.figures.home import FIELDS_HTML
from lib.core import home as kinds
from lib.core import lecture_map
from lib.ui import links
from lib.ui import common as ui
from lib.ui import exercise_panel
from lib.ui import look as looks
from lib.ui.i18n import t
from lib.ui.state import PageState, Param

STATE = PageState("home", [
    Param("k", 3, "int", 2, 4, widget="slider", label="home.k"),
    Param("kstep", 0, "int", 0, 8, widget="slider", label="home.kmeans_step"),
    Param("episodes", 30, "int", 0, 500, widget="slider", label="home.episodes", step=10),
    Param("kind", "supervised", "choice",  # the open tab of the kinds of learning
          choices=("supervised", "unsupervised", "reinforcement")),
])


def item_figure(name: str, look) -> None:
    if name == "fields":
        labels = {key: t(f"home.fields_{key}") for key in ("ai", "ml", "dl")}
        st.html(FIELDS_HTML.format(**charts_home.field_texts(labels)))
    elif name == "spam":
        st.info(t("home.spam_flow"))


def lecture_item(item, look) -> None:
    with st.container(border=True):
        pages = lecture_map.page_label(item)
        slides = t("home.map_slides" if "–" in pages or "," in pages else "home.map_slide",
                   pages=pages)
        st.markdown(f"**{slides} · {t(f'home.map.i{item.number}')}**")
        st.markdown(t(f"home.map.i{item.number}_text"))
        if item.figure:
            item_figure(item.figure, look)
        drawn = [links.page_link(page, icon=":material/arrow_forward:") for page in item.pages]
        if item.pages and not any(drawn):
            st.caption(t("home.no_page_yet"))


@st.fragment
def supervised(look) -> None:
    spend, sales, beats, target = kinds.supervised_points()
    st.markdown(t("home.supervised_text", target=target))
    keys = ("classification", "regression", "above", "below", "spend", "sales", "fitted")
    ui.plotly(charts_home.supervised_figure(spend, sales, beats, target,
                                            {k: t(f"home.{k}") for k in keys}, look),
              "home.supervised")


# Both examples are the same for everyone at the same slider values: computed once per server,
# not on every rerun (Q-learning alone took a good share of this page's rerun).
@st.cache_data(max_entries=64, show_spinner=False)
def kmeans_step(k: int, steps: int):
    """The example's points, and the centres and assignment after `steps` k-means steps."""
    points = kinds.cluster_points()
    centres, assignment = kinds.kmeans_history(points, k, steps)[-1]
    return points, centres, assignment


@st.cache_data(max_entries=64, show_spinner=False)
def q_learned(episodes: int):
    """Q-values and returns after `episodes` episodes, and the greedy path they lead to."""
    grid = kinds.Grid()
    q, returns = kinds.q_learning(grid, episodes)
    return q, returns, kinds.greedy_path(grid, q)


@st.fragment
def unsupervised(look) -> None:
    st.markdown(t("home.unsupervised_text"))
    left, right = st.columns(2)
    points, centres, assignment = kmeans_step(STATE.widget("k", left), STATE.widget("kstep", right))
    labels = {"cluster": t("home.cluster"), "centre": t("home.centre")}
    ui.plotly(charts_home.kmeans_figure(points, centres, assignment, labels, look),
              "home.kmeans")


@st.fragment
def reinforcement(look) -> None:
    st.markdown(t("home.reinforcement_text"))
    q, returns, path = q_learned(STATE.widget("episodes"))
    labels = {key: t(f"home.{key}") for key in ("goal", "pit", "start", "value", "path")}
    ui.plotly(charts_home.grid_figure(kinds.Grid(), q, path, labels, look), "home.grid")
    if len(returns):
        st.caption(t("home.episode_return", value=float(np.mean(returns[-10:]))))


look = looks.current()
st.title(t("home.title"))
st.markdown(t("home.intro"))
ui.explain("home.how_to")
ui.show_notices(STATE.load(), STATE)

st.header(t("home.map_heading"))
st.caption(t("home.map_intro"))
part1, part2 = st.columns(2)
with part1:
    st.subheader(t("home.part1_title"))
    for entry in lecture_map.PART1:
        lecture_item(entry, look)
with part2:
    st.subheader(t("home.part2_title"))
    for entry in lecture_map.PART2:
        lecture_item(entry, look)

st.header(t("home.kinds_heading"), anchor="kinds")
st.caption(t("home.kinds_intro"))
supervised_tab, unsupervised_tab, reinforcement_tab = STATE.tabs(
    "kind", {kind: t(f"home.tab_{kind}") for kind in STATE.params["kind"].choices})
with supervised_tab:
    supervised(look)
with unsupervised_tab:
    unsupervised(look)
with reinforcement_tab:
    reinforcement(look)
exercise_panel.show("home", STATE)
