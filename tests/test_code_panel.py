"""The code panel shows the slide's form first, the fast form beside it, and how long each takes."""
import pytest

from conftest import app_test, assert_clean
from lib.scripts import template
from lib.ui import i18n


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_logistic_code_panel_slide_form_first(lang):
    at = app_test("logistic", {"lang": lang})
    assert_clean(at)
    codes = [c.value for c in at.code if "logistic_regression" in c.value]
    assert len(codes) == 2
    slide, fast = codes
    assert "model.fit(train_x, train_t, batch_size=len(train_x), epochs=EPOCHS" in slide
    assert "activation='sigmoid'" in slide and "steps_per_execution" not in slide
    assert "steps_per_execution=100" in fast
    tabs = [tab.label for tab in at.tabs]
    slide_tab = tabs.index(i18n.t("common.code_tab_slide", lang=lang))
    assert tabs[slide_tab + 1] == i18n.t("common.code_tab_fast", lang=lang)
    # The page says how long the slide's form takes here: 5000 epochs at the measured cost.
    minutes = f"{5000 * template.STEP_MS[('slide', 'full')] / 60_000:.0f}"
    said = i18n.t("common.about_minutes", lang=lang, n=minutes)
    assert any(said in m.value for m in at.markdown)
