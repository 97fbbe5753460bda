"""ML Intro Lab: the entry point. Page frame, sidebar and navigation; the pages do the rest."""
import streamlit as st

from lib.ui import heap
from lib.ui import classroom
from lib.ui import common as ui
from lib.ui.i18n import t

st.set_page_config(page_title="ML Intro Lab", page_icon="🧠", layout="wide")
ui.setup_sidebar()

# In the order of the lecture: Part 1, then Part 2 slide by slide.
PAGES = {
    "": [
        st.Page("views/home.py", title=t("nav.home"), icon="🏠", default=True),
    ],
    t("home.part1_title"): [
        st.Page("views/regression.py", title=t("regression.nav"), icon="📉",
                url_path="regression"),
    ],
    t("home.part2_title"): [
        st.Page("views/logistic.py", title=t("nav.logistic"), icon="📈", url_path="logistic"),
        st.Page("views/sigmoid.py", title=t("sigmoid.nav"), icon="〰️", url_path="sigmoid"),
        st.Page("views/cross_entropy.py", title=t("xent.nav"), icon="⛰️",
                url_path="cross_entropy"),
        st.Page("views/multiclass.py", title=t("multiclass.nav"), icon="🔺",
                url_path="multiclass"),
        st.Page("views/mnist.py", title=t("mnist.nav"), icon="🔢", url_path="mnist"),
    ],
    t("glossary.nav"): [
        st.Page("views/glossary.py", title=t("glossary.nav"), icon="📖", url_path="glossary"),
    ],
}
page = st.navigation(PAGES)
page.run()
# After the page, so the lecturer publishes what the page has just written to the URL.
classroom.sidebar(page, {p.url_path: p for group in PAGES.values() for p in group})
classroom.ended_notice()
# After the page: what it imported (TensorFlow on a first training) leaves the collector's sight.
heap.freeze_after_imports()
