"""The locale catalogs: same keys, same placeholders, and every key the code asks for exists."""
import re
import string

from conftest import ROOT
from lib.ui import i18n


def _placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


def test_both_catalogs_have_the_same_keys():
    ja, en = i18n.catalog("ja"), i18n.catalog("en")
    assert sorted(set(ja) - set(en)) == [], "keys missing from en.toml"
    assert sorted(set(en) - set(ja)) == [], "keys missing from ja.toml"


def test_placeholders_match_between_languages():
    ja, en = i18n.catalog("ja"), i18n.catalog("en")
    mismatched = [key for key in ja if _placeholders(ja[key]) != _placeholders(en[key])]
    assert mismatched == []


def test_every_key_used_in_code_exists():
    """Literal keys in t("...") calls; f-string keys are checked by their fixed prefix."""
    ja = i18n.catalog("ja")
    sources = list((ROOT / "lib").glob("*.py")) + list((ROOT / "views").glob("*.py")) \
        + [ROOT / "app.py"]
    missing = []
    for path in sources:
        text = path.read_text(encoding="utf-8")
        for key in re.findall(r"\bt\(\s*\"([a-z0-9_.]+)\"", text):
            if key not in ja:
                missing.append(f"{path.name}: {key}")
        for prefix in re.findall(r"\bt\(\s*f\"([a-z0-9_.]+)\{", text):
            if not any(k.startswith(prefix) for k in ja):
                missing.append(f"{path.name}: {prefix}*")
    assert missing == []


def test_lookup_fills_values_and_falls_back_to_the_key():
    assert i18n.t("train.batch_all", lang="en", n=35) == "all (35)"
    assert i18n.t("no.such.key", lang="en") == "no.such.key"
    assert i18n.t("nav.home", lang="ja") == "ホーム"


def test_a_remembered_language_belongs_to_its_run_thread(monkeypatch):
    """Each script run has a thread of its own: what one run settled never leaks into another."""
    import threading

    seen = []

    def run(lang):
        i18n._RUN.lang = None
        monkeypatch.setattr(i18n, "DEFAULT_LANGUAGE", lang)  # stands in for the session's choice
        i18n.remember_language()
        seen.append(i18n.t("nav.home"))

    for lang in ("en", "ja"):
        worker = threading.Thread(target=run, args=(lang,))
        worker.start()
        worker.join()
    assert seen == [i18n.t("nav.home", lang="en"), i18n.t("nav.home", lang="ja")]
    assert getattr(i18n._RUN, "lang", None) is None  # this (test) thread settled nothing
