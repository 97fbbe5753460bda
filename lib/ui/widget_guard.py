"""Widget values from a client are untrusted: one its widget cannot hold becomes its default.

A browser sends only values its widgets allow, but a crafted websocket message can send any
WidgetState: NaN to an integer number input, a number to a select slider, text to a slider.
Streamlit (1.67) turns the sent value into the widget's value with the widget's own
deserializer, and some of these raise (int(NaN) is a ValueError) before the page's code runs,
in the comparison that decides which callbacks to call, so the sender saw a traceback.

`install()` wraps that one step (WStates.__getitem__, where every received value is
deserialized): a value the deserializer rejects, or sent in another field than the widget's
(which would break writing the value back), becomes the widget's default, as if nothing
had been sent, and the widget's key is remembered for its session, so the page can say so
(`take(key)`, called by PageState before the widget is drawn). Covered by
tests/test_crafted_widgets.py, which sends such messages to a running server.
"""
from __future__ import annotations

import threading

from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx
from streamlit.runtime.state import session_state as _session_state

_LOCK = threading.Lock()
_RECEIVED: dict[str, set[str]] = {}
# Fields a browser legitimately sends besides the widget's own (an integer number input).
_ALSO = {"double_value": ("int_value",)}  # session id -> user keys of rejected values
MAX_SESSIONS = 10_000  # the record is dropped rather than grown without bound


def _user_key(widget_id: str) -> str | None:
    """The user key of a keyed widget's id ("$$ID-<hash>-<key>"), as Streamlit builds it."""
    parts = widget_id.split("-", 2)
    if len(parts) != 3 or not widget_id.startswith("$$ID-") or parts[2] == "None":
        return None
    return parts[2]


def _remember(widget_id: str) -> None:
    ctx, key = get_script_run_ctx(), _user_key(widget_id)
    if ctx is None or key is None:
        return
    with _LOCK:
        if len(_RECEIVED) >= MAX_SESSIONS:
            _RECEIVED.clear()
        _RECEIVED.setdefault(ctx.session_id, set()).add(key)


def take(key: str) -> bool:
    """Whether this session sent `key` a value its widget could not hold (forgotten once told)."""
    ctx = get_script_run_ctx()
    if ctx is None:
        return False
    with _LOCK:
        keys = _RECEIVED.get(ctx.session_id)
        if not keys or key not in keys:
            return False
        keys.discard(key)
        if not keys:
            del _RECEIVED[ctx.session_id]
        return True


def _fell_back(sent, value, metadata) -> bool:
    """Whether the widget quietly took its default for a value it does not know (an unknown
    option label, a number outside its range): the page then resets it to the setting's own
    default, with a notice, rather than to the widget's first option."""
    try:
        default = metadata.deserializer(None)
        if value != default:
            return False
        shown = metadata.serializer(default)
        received = _session_state.unpack_widget_state_value(sent)
        if isinstance(shown, (list, tuple)) or hasattr(received, "__iter__") \
                and not isinstance(received, str):
            return list(received) != list(shown)
        return received != shown
    except Exception:  # noqa: BLE001 - unknown widget kinds: no judgement
        return False


def install() -> None:
    """Wrap the deserialization of received widget values (once per process)."""
    original = _session_state.WStates.__getitem__
    if getattr(original, "guarded", False):
        return

    def reject(self, k, metadata):
        value = metadata.deserializer(None)  # the widget's default
        self.states[k] = _session_state.Value(value)
        _remember(k)
        return value

    def guarded(self, k):
        state, metadata = self.states.get(k), self.widget_metadata.get(k)
        if isinstance(state, _session_state.Serialized) and metadata is not None:
            sent = state.value.WhichOneof("value")
            # A value in another field than the widget's (a number to a select slider) would
            # also change the field the widget's value is later written back in.
            if sent != metadata.value_type and sent not in _ALSO.get(metadata.value_type, ()):
                return reject(self, k, metadata)
        try:
            value = original(self, k)
        except KeyError:
            raise
        except Exception:  # noqa: BLE001 - any value the widget's deserializer rejects
            if metadata is None:
                raise
            return reject(self, k, metadata)
        if isinstance(state, _session_state.Serialized) and metadata is not None \
                and _fell_back(state.value, value, metadata):
            _remember(k)
        return value

    guarded.guarded = True
    _session_state.WStates.__getitem__ = guarded
