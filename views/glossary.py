"""The glossary: every term of the lecture in Japanese and English, with the page that shows it."""
import streamlit as st

from lib.ui import glossary
from lib.ui import links
from lib.ui import common as ui
from lib.ui.i18n import current_language, t

st.title(t("glossary.title"))
st.markdown(t("glossary.intro"))
query = st.text_input(t("glossary.search"), key="glossary.q", max_chars=glossary.MAX_QUERY,
                      placeholder=t("glossary.search_placeholder"))
found = glossary.search(query)
st.caption(t("glossary.count", shown=len(found), total=len(glossary.TERMS)))
if not found:
    # The search text is the user's: shown literally, never as markdown.
    st.info(t("glossary.none", query=ui.literal(query.strip())), icon="🔍")

lang = current_language()
other = next(code for code in ("ja", "en") if code != lang)
for group in glossary.GROUPS:
    terms = [term for term in found if term.group == group]
    if not terms:
        continue
    st.subheader(t(f"glossary.group_{group}"))
    for term in terms:
        with st.container(border=True, key=f"glossary.term.{term.id}"):
            name, explanation, page = st.columns([3, 6, 3], vertical_alignment="center")
            name.markdown(f"**{term.name(lang)}**  \n{term.name(other)}")
            explanation.markdown(term.explanation(lang))
            with page:
                if links.first_link(term.pages, icon=":material/arrow_forward:") is None:
                    st.caption(t("glossary.no_page"))
