"""Links to other pages of the app that never point at a page the app does not have.

Pages are added over time; a link to a page that app.py does not register would crash the
page that shows it. `page_link` draws the link only when the page is registered right now.
"""
from __future__ import annotations

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError


def page_link(page: str, label: str | None = None, icon: str | None = None) -> bool:
    """st.page_link to `page` (e.g. "views/mnist.py") if app.py registers it; True if drawn.

    Without a label the link shows the page's title as registered in app.py.
    """
    try:
        st.page_link(page, label=label, icon=icon)
    except StreamlitPageNotFoundError:
        return False
    return True


def first_link(pages, icon: str | None = None) -> str | None:
    """A link to the first page of `pages` that app.py registers; returns it, or None."""
    for page in pages:
        if page_link(page, icon=icon):
            return page
    return None
