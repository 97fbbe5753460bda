"""Keep the garbage collections Streamlit runs after every script run cheap.

After each run Streamlit calls gc.collect(2) (runner.postScriptGC) and, once Keras is loaded,
keras.backend.clear_session(), which collects again. With TensorFlow's objects in memory each
full collection holds the GIL for 0.3-0.7 s: every rerun of every session, on every page, would
pay it. Modules and TensorFlow's registries live as long as the process, so scanning them gains
nothing; gc.freeze() moves everything alive into a generation the collector skips.

Keras' collection is dropped altogether (keras_without_collection): its clear_session keeps
resetting Keras' state after each run, and Python's own thresholds decide when to collect.

We freeze when many modules were imported since the last freeze (TensorFlow, Keras, the first
traced training loop): a handful of times per process. Frozen objects are still freed by
reference counting; only cyclic garbage alive at a freeze stays, once.
"""
from __future__ import annotations

import gc
import sys
import threading

# A new page's small imports do not warrant a full collection; TensorFlow brings thousands.
NEW_MODULES = 100
_lock = threading.Lock()
_modules_at_freeze = 0


def freeze_after_imports() -> bool:
    """gc.freeze() if NEW_MODULES modules appeared since the last time; True when it froze."""
    global _modules_at_freeze
    if len(sys.modules) - _modules_at_freeze < NEW_MODULES:
        return False
    with _lock:
        if len(sys.modules) - _modules_at_freeze < NEW_MODULES:
            return False
        gc.collect()
        gc.freeze()
        _modules_at_freeze = len(sys.modules)
        keras_without_collection()
        return True


def keras_without_collection() -> None:
    """Make keras.backend.clear_session() skip its full collection (free_memory=False) by
    default: Streamlit calls it after every run of every session once Keras is loaded."""
    keras = sys.modules.get("keras")
    backend = getattr(keras, "backend", None)
    clear_session = getattr(backend, "clear_session", None)
    if clear_session is None or getattr(clear_session, "spares_collection", False):
        return

    def clear_session_sparing_collection(free_memory: bool = False):
        return clear_session(free_memory=free_memory)

    clear_session_sparing_collection.spares_collection = True
    backend.clear_session = clear_session_sparing_collection
