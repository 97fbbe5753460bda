"""The home page: what the lecture covers and where each part can be touched."""
import streamlit as st

from lib import ui
from lib.i18n import t

st.title(t("home.title"))
st.markdown(t("home.intro"))
ui.explain("home.how_to")

st.subheader(t("home.pages_heading"))
with st.container(border=True):
    st.page_link("views/regression.py", label=t("regression.nav"), icon="📉")
    st.markdown(t("regression.home_summary"))
with st.container(border=True):
    st.page_link("views/logistic.py", label=t("nav.logistic"), icon="📈")
    st.markdown(t("home.logistic_summary"))
with st.container(border=True):
    st.page_link("views/sigmoid.py", label=t("sigmoid.nav"), icon="〰️")
    st.markdown(t("sigmoid.home_summary"))
    st.page_link("views/cross_entropy.py", label=t("xent.nav"), icon="⛰️")
    st.markdown(t("xent.home_summary"))
    st.page_link("views/mnist.py", label=t("mnist.nav"), icon="🔢")
    st.markdown(t("mnist.home_summary"))

st.subheader(t("home.lecture_heading"))
left, right = st.columns(2)
with left:
    st.markdown(t("home.part1"))
with right:
    st.markdown(t("home.part2"))
