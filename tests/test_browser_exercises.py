"""Exercises in headless Chromium: a prediction locked, then revealed, in both languages; the
progress survives a reload in the same browser and is absent from another browser given the
same link.

Screenshots are kept in test-artifacts/screenshots/.
"""
import pytest

from conftest import screenshot, wait_idle
from support.browser import open_page
from lib.ui import i18n

pytestmark = pytest.mark.browser


def _exercise(tab, lang, exercise_id):
    title = i18n.t(f"exercises.{exercise_id}.title", lang=lang)
    return tab.locator("[data-testid=stExpander]").filter(has_text=title).first


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_predict_then_reveal_and_progress_stays_in_this_browser(fresh_tab, app_url, lang):
    tab = fresh_tab()
    url = f"{app_url}/sigmoid?lang={lang}"
    open_page(tab, url)
    exercise = _exercise(tab, lang, "sigmoid.scale")
    exercise.scroll_into_view_if_needed()
    exercise.locator("summary").click()
    wrong = i18n.t("exercises.sigmoid.scale.choice_moves", lang=lang)
    exercise.locator("[data-testid=stRadio] label").filter(has_text=wrong).click()
    wait_idle(tab)
    exercise.get_by_role("button", name=i18n.t("exercises.lock", lang=lang)).click()
    wait_idle(tab)

    exercise = _exercise(tab, lang, "sigmoid.scale")
    text = exercise.inner_text()
    right = i18n.t("exercises.sigmoid.scale.choice_same_narrower", lang=lang)
    assert wrong in text and right in text  # the prediction beside the truth
    assert i18n.t("exercises.sigmoid.scale.fb_moves", lang=lang) in text
    assert exercise.locator("[data-testid=stRadio]").count() == 0  # locked: no more choosing
    assert i18n.t("exercises.status_tried", lang=lang) in exercise.locator("summary").inner_text()
    exercise.scroll_into_view_if_needed()
    screenshot(tab, f"exercises_reveal_{lang}")
    assert any(c["name"] == "mlab_progress" for c in tab.context.cookies())

    # A reload in the same browser keeps the locked prediction ...
    open_page(tab, url)
    exercise = _exercise(tab, lang, "sigmoid.scale")
    assert i18n.t("exercises.status_tried", lang=lang) in exercise.locator("summary").inner_text()
    exercise.locator("summary").click()
    assert right in exercise.inner_text()
    assert "mlab" not in tab.url  # never in the link
    tab.context.close()

    # ... and another browser opening the same link starts with nothing.
    fresh = fresh_tab()
    open_page(fresh, url)
    summary = _exercise(fresh, lang, "sigmoid.scale").locator("summary").inner_text()
    assert i18n.t("exercises.status_new", lang=lang) in summary
