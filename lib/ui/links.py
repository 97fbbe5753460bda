"""Links to other pages of the app, by page name, that never point at a page it does not have.

A page is named as in lib/ui/pages.py ("mnist"). A link to a page the running app does not
register (an unknown name, or a test that runs a view alone) would crash the page that shows
it: `page_link` draws the link only when the page is registered right now.
"""
from __future__ import annotations

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from lib.ui import pages


def page_link(page: str, label: str | None = None, icon: str | None = None) -> bool:
    """st.page_link to the page called `page` if the app registers it; True if drawn.

    Without a label the link shows the page's title as registered.
    """
    if page not in pages.BY_NAME:
        return False
    try:
        st.page_link(pages.view(page), label=label, icon=icon)
    except StreamlitPageNotFoundError:
        return False
    return True


def first_link(names, icon: str | None = None) -> str | None:
    """A link to the first page of `names` that the app registers; returns its name, or None."""
    for page in names:
        if page_link(page, icon=icon):
            return page
    return None
