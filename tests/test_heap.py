"""lib.heap: long-lived objects leave the collector's sight after big imports, and only then."""
import gc
import sys

from lib.ui import heap


def test_freezes_after_many_new_modules_and_not_again_without_them(monkeypatch):
    monkeypatch.setattr(heap, "_modules_at_freeze", len(sys.modules) - heap.NEW_MODULES)
    try:
        gc.unfreeze()
        assert heap.freeze_after_imports() is True
        frozen = gc.get_freeze_count()
        assert frozen > 0
        assert heap.freeze_after_imports() is False  # nothing new imported since
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()


def test_a_few_new_modules_do_not_trigger_a_collection(monkeypatch):
    monkeypatch.setattr(heap, "_modules_at_freeze", len(sys.modules) - heap.NEW_MODULES + 1)
    assert heap.freeze_after_imports() is False


def test_the_app_freezes_after_a_run_that_imported_much(monkeypatch):
    from conftest import app_test, assert_clean

    monkeypatch.setattr(heap, "_modules_at_freeze", 0)  # as in a fresh server process
    try:
        gc.unfreeze()
        assert_clean(app_test("sigmoid"))
        assert gc.get_freeze_count() > 0
        assert heap._modules_at_freeze == len(sys.modules)
    finally:
        gc.unfreeze()


def test_keras_clear_session_keeps_its_cleanup_but_not_the_collection(monkeypatch):
    import keras

    calls = []
    original = keras.backend.clear_session
    monkeypatch.setattr(keras.backend, "clear_session", lambda free_memory=True: calls.append(
        free_memory))
    heap.keras_without_collection()
    keras.backend.clear_session()  # as Streamlit calls it after a run
    keras.backend.clear_session(free_memory=True)  # an explicit request still collects
    assert calls == [False, True]
    patched = keras.backend.clear_session
    heap.keras_without_collection()  # once only
    assert keras.backend.clear_session is patched
    monkeypatch.setattr(keras.backend, "clear_session", original)
