"""ML Intro Lab: the entry point. Page frame, sidebar and navigation; the pages do the rest."""
import streamlit as st

from lib.engine import jobs
from lib.ui import classroom, heap, uploads
from lib.ui import common as ui
from lib.ui import pages
from lib.ui.i18n import t

st.set_page_config(page_title="ML Intro Lab", page_icon="🧠", layout="wide")
uploads.install()  # bounds on what a session keeps uploaded (once per server)
jobs.backend()  # the training workers start loading TensorFlow now, not at the first training
# A follower taking over the lecturer's new view waits its turn (lib/ui/classroom.py).
with classroom.catching_up():
    ui.setup_sidebar()
    navigation = pages.navigation(t)
    page = st.navigation(navigation)
    page.run()
    uploads.release_unreferenced()  # files no widget refers to any more
    # After the page, so the lecturer publishes what the page has just written to the URL.
    classroom.sidebar(page, {p.url_path: p for group in navigation.values() for p in group})
    classroom.ended_notice()
    # After the page: what it imported (TensorFlow on a first training) leaves the collector's
    # sight.
    heap.freeze_after_imports()
