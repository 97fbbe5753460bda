"""Widget values crafted over the websocket never show a traceback.

A tab speaks Streamlit's protocol to a running server (bench/st_client.py) and sends values no
browser would: NaN to an integer number input, a number to a select slider, an unknown option
to a select box, text to a slider. Each time the page runs to its end without an exception,
the setting is back at its default, a notice in the user's language says so, and the page
keeps working for the next ordinary value.
"""
import math
import sys

import pytest

from conftest import ROOT, run_async
from lib.ui import i18n

sys.path.insert(0, str(ROOT / "bench"))
from st_client import Session  # noqa: E402
from streamlit.proto.WidgetStates_pb2 import WidgetState  # noqa: E402

def _nan(state):
    state.double_value = math.nan


def _number_list(state):
    state.double_array_value.data.extend([5.0])


def _text(state):
    state.string_value = "<b>x</b>"


def _text_list(state):
    state.string_array_value.data.extend(["zzz", "1e999"])


def _integer(state):
    state.int_value = 99


def _too_big(state):
    state.double_value = 1e300


# (page and query, widget key, setting, what is sent)
CASES = [
    ("logistic", "logistic.iseed", "iseed", _nan),
    ("logistic", "logistic.lr", "lr", _number_list),
    ("logistic", "logistic.opt", "opt", _integer),
    ("logistic", "logistic.opt", "opt", _text),
    ("logistic", "logistic.w0", "w0", _text),
    ("logistic", "logistic.epochs", "epochs", _text_list),
    ("logistic&src=generated", "data.dseed", "dseed", _too_big),
    ("sigmoid", "sigmoid.deriv", "deriv", _text),
    ("sigmoid", "sigmoid.a", "a", _text_list),
    ("mnist", "mnist.true", "true", _number_list),
]


async def _send(tab: Session, key: str, fill):
    element = tab.widget(key)
    state = WidgetState(id=element.proto.id)
    fill(state)
    tab.states[state.id] = state
    return await tab._rerun(page_hash=tab.page_hash, fragment_id=element.fragment_id)


def _reset_notice(lang: str) -> str:
    """The words of the reset notice between the setting's name and its default."""
    return i18n.catalog(lang)["url.reset"].split("{name}")[1].split("{used}")[0]


async def _crafted(url: str, page: str, key: str, name: str, fill):
    async with Session(url) as tab:
        page, _, query = page.partition("&")
        run = await tab.open(page, "&".join(["lang=en", query]).strip("&"))
        assert run.status == "ok" and not run.exceptions
        default = tab.value(key)
        run = await _send(tab, key, fill)
        assert run.status == "ok", run.status
        assert not run.exceptions and not tab.of_kind("exception"), run.exceptions
        notices = [text for text in tab.texts("alert") if f"`{name}`" in text
                   and _reset_notice("en") in text]
        assert notices, tab.texts("alert")
        # The setting holds its default again (out of the link), and the page answers an
        # ordinary value.
        assert not any(part.startswith(f"{name}=") for part in tab.query.split("&")), tab.query
        run = await tab.rerun()
        assert not run.exceptions
        assert tab.value(key) == default  # the page set the widget back
        options = tab.options(key) if tab.widget(key).kind in ("selectbox", "radio") or \
            len(getattr(tab.widget(key).proto, "options", [])) else None
        if options:
            run = await tab.choose(key, -1)
            assert not run.exceptions and tab.value(key) == options[-1]


@pytest.mark.parametrize("page, key, name, fill", CASES,
                         ids=[f"{c[1]}-{c[3].__name__}" for c in CASES])
def test_a_crafted_value_resets_the_widget_with_a_notice(app_url, page, key, name, fill):
    run_async(_crafted(app_url, page, key, name, fill))


def test_a_fragment_rerun_writes_its_setting_to_the_url(app_url):
    """Moving a slider reruns only its fragment; the link must still carry the new value."""
    async def move():
        async with Session(app_url) as tab:
            await tab.open("sigmoid", "lang=en")
            run = await tab.set("sigmoid.w1", 0.5)
            assert tab.widget("sigmoid.w1").fragment_id  # a fragment's own rerun
            assert not run.exceptions and "w1=0.5" in tab.query.split("&")
            await tab.set("sigmoid.w1", 0.2)  # back to the default: gone from the link
            assert not any(part.startswith("w1=") for part in tab.query.split("&"))

    run_async(move())


def test_the_notice_is_in_both_languages():
    for lang in i18n.LANGUAGES:
        text = i18n.t("url.reset", lang=lang, name="`w0`", used="`-6`")
        assert "`w0`" in text and "`-6`" in text and not text.startswith("url.")
