"""A lecturer and students in two AppTests sharing the in-process class store."""
from __future__ import annotations

import pytest

from conftest import app_test, assert_clean
from lib.ui.i18n import t

pytestmark = pytest.mark.usefixtures("in_process_store")


@pytest.fixture
def in_process_store(monkeypatch):
    from lib.ui import classroom

    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.delenv("CLASSROOM_SECRET", raising=False)
    classroom.store.clear()
    yield
    classroom.store.clear()


def _button(at, label_key, lang="ja"):
    return next(b for b in at.button if b.label == t(label_key, lang))


def _start_class(page="sigmoid"):
    lecturer = app_test(page)
    lecturer.button(key="classroom_start").click().run()
    assert_clean(lecturer)
    session = lecturer.session_state["_classroom"]
    assert session["role"] == "lecturer" and len(session["code"]) == 6
    return lecturer, session


def _join(code, nickname=""):
    student = app_test(query={"join": code})
    assert student.text_input[0].value == code  # the link fills the code in
    student.text_input[1].input(nickname)
    _button(student, "classroom.join").click().run()
    assert_clean(student)
    return student


def test_a_student_follows_the_lecturer_leaves_and_rejoins():
    lecturer, session = _start_class()
    assert session["code"] in "".join(h.proto.body for h in lecturer.get("html"))
    assert session["secret"] in [c.value for c in lecturer.code]  # shown once, to the lecturer
    lecturer.slider(key="sigmoid.a").set_value(3.0).run()
    lecturer.run()  # the full run publishes what the page's fragment wrote to the URL

    student = _join(session["code"], "Aki")
    mine = student.session_state["_classroom"]
    assert mine["role"] == "student" and "secret" not in mine
    student.run()  # the follower's poll finds the lecturer's view and opens it
    assert_clean(student)
    assert student.session_state["sigmoid.a"] == 3.0
    assert student.query_params["a"] in ("3", ["3"])
    assert student.success[0].value == t("classroom.status_following", "ja",
                                         code=session["code"])

    lecturer.run()
    assert [m.value for m in lecturer.metric][-2:] == ["1", "1"]  # connected, following

    student.slider(key="sigmoid.a").set_value(-2.0).run()
    student.run()
    assert not student.session_state["_classroom"]["following"]
    assert student.session_state["sigmoid.a"] == -2.0  # the lecturer's view does not pull back
    lecturer.slider(key="sigmoid.a").set_value(1.5).run()
    lecturer.run()
    student.run()
    assert student.session_state["sigmoid.a"] == -2.0
    lecturer.run()
    assert [m.value for m in lecturer.metric][-2:] == ["1", "0"]

    _button(student, "classroom.follow_again").click().run()
    student.run()
    assert student.session_state["sigmoid.a"] == 1.5
    assert student.session_state["_classroom"]["following"]


def test_the_student_follows_to_another_page_with_default_settings():
    lecturer, session = _start_class("sigmoid")
    student = _join(session["code"])
    student.run()
    lecturer.switch_page("views/logistic.py").run()
    lecturer.run()
    student.run()
    assert_clean(student)
    assert student.session_state["_classroom"]["view"]["page"] == "logistic"
    assert "logistic.w0" in student.session_state


@pytest.mark.parametrize("code, reason", [("ABC", "bad_code"), ("ZZZZZZ", "unknown_code")])
def test_bad_and_unknown_codes_are_explained(code, reason):
    student = app_test(query={"join": code}, page=None)
    _button(student, "classroom.join").click().run()
    assert_clean(student)
    assert t(f"classroom.error_{reason}", "ja") in [e.value for e in student.error]
    assert "_classroom" not in student.session_state


def test_an_ended_class_lets_its_students_go():
    lecturer, session = _start_class()
    student = _join(session["code"])
    _button(lecturer, "classroom.end").click().run()
    student.run()
    assert "_classroom" not in student.session_state
    assert t("classroom.error_unknown_code", "ja") in [w.value for w in student.warning]


def test_nobody_outside_a_class_runs_a_timer(monkeypatch):
    from lib.ui import classroom

    def timer(*_):
        raise AssertionError("a classroom fragment ran for someone in no class")

    monkeypatch.setattr(classroom, "_student_live", timer)
    monkeypatch.setattr(classroom, "_lecturer_live", timer)
    at = app_test("sigmoid")
    at.slider(key="sigmoid.a").set_value(2.0).run()
    assert_clean(at)
    assert "_classroom" not in at.session_state
    assert classroom.store().kv.hgetall("anything") == {} and not classroom.store().kv._data


def test_the_secret_controls_the_class_from_another_tab_and_nothing_else_does():
    lecturer, session = _start_class()
    other = app_test()
    codes = [w for w in other.text_input if w.key == "classroom_resume_code"]
    secrets = [w for w in other.text_input if w.key == "classroom_resume_secret"]
    codes[0].input(session["code"])
    secrets[0].input("a-guessed-secret")
    _button(other, "classroom.resume").click().run()
    assert t("classroom.error_not_lecturer", "ja") in [e.value for e in other.error]
    assert "_classroom" not in other.session_state
    secrets = [w for w in other.text_input if w.key == "classroom_resume_secret"]
    secrets[0].input(session["secret"])
    _button(other, "classroom.resume").click().run()
    assert_clean(other)
    assert other.session_state["_classroom"]["role"] == "lecturer"


@pytest.mark.parametrize("raw", ["<b>x</b>", "A" * 500, "ＡＢＣ２３４", "%00"])
def test_a_hostile_join_link_only_fills_the_field(raw):
    at = app_test(query={"join": raw})
    assert_clean(at)
    assert len(at.text_input[0].value) <= 12
    _button(at, "classroom.join").click().run()
    assert_clean(at)
    assert "_classroom" not in at.session_state and at.error


@pytest.mark.parametrize("page", ["home", "regression", "logistic", "cross_entropy",
                                  "multiclass", "mnist", "glossary"])
def test_following_holds_on_every_page(page):
    """Each page writes the lecturer's settings back unchanged, so following is not lost."""
    lecturer, session = _start_class(page)
    student = _join(session["code"])
    student.run()
    student.run()
    assert_clean(student)
    mine = student.session_state["_classroom"]
    shown = lecturer.session_state["_classroom"]["page"]
    assert mine["following"] and mine["view"]["page"] == shown
