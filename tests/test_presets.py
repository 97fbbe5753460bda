"""'As on the slide': one click puts a page back to the view the slides show."""
import pytest

from conftest import app_test, assert_clean


@pytest.mark.parametrize("page, changed", [
    ("regression", {"deg": "3", "slope": "2"}),
    ("sigmoid", {"w0": "3", "tanh": "1"}),
    ("multiclass", {"epochs": "100", "ties": "1"}),
    ("cross_entropy", {"w1": "0.5", "src": "generated"}),
    ("mnist", {"epochs": "1", "idx": "7"}),
])
def test_preset_restores_the_slide_view(page, changed):
    at = app_test(page, {"lang": "en", **changed})
    assert_clean(at)
    assert all(name in at.query_params for name in changed)
    at.button(key=f"{page}.preset_slide").click().run()
    assert_clean(at)
    assert not any(name in at.query_params for name in changed if name != "src"), \
        dict(at.query_params)
