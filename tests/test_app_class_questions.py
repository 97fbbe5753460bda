"""Ask the class, the class's lines and the end of a class: a lecturer and students in AppTests
sharing one class store, on both backends (in-process, and a real Redis server)."""
from __future__ import annotations

import csv
import io

import numpy as np
import pytest

from conftest import app_test, assert_clean, chart_spec, decode, metric
from lib.core import exercises as registry
from lib.ui.i18n import t


@pytest.fixture(params=["memory", "redis"], autouse=True)
def backend(request, monkeypatch):
    from lib.ui import class_state

    if request.param == "redis":
        url = request.getfixturevalue("redis_url")
        monkeypatch.setenv("REDIS_URL", url)
    else:
        monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.delenv("CLASSROOM_SECRET", raising=False)
    class_state.store.clear()
    yield request.param
    class_state.store.clear()


def _start(page):
    lecturer = app_test(page)
    lecturer.button(key="classroom_start").click().run()
    assert_clean(lecturer)
    return lecturer, lecturer.session_state["_classroom"]["code"]


def _join(code, nickname=""):
    student = app_test(query={"join": code})
    student.text_input[1].input(nickname)
    next(b for b in student.button if b.label == t("classroom.join", "ja")).click().run()
    student.run()  # the first poll takes the student to the lecturer's page
    assert_clean(student)
    return student


def _ask(lecturer, lesson, exercise_id):
    lecturer.selectbox(key=f"class.ask.{lesson}").set_value(exercise_id).run()
    lecturer.button(key=f"class.ask_button.{lesson}").click().run()
    assert_clean(lecturer)


def _plain(name):
    """A bar's name without its line breaks and spaces (a long one is wrapped anywhere)."""
    return name.replace("<br>", "").replace(" ", "")


def _bars(at, key="class.answers.live"):
    spec = chart_spec(at, key)
    bars = spec["data"][0]
    return [_plain(name) for name in bars["y"]], [int(v) for v in decode(bars["x"])]


def test_a_prediction_is_asked_answered_once_counted_and_revealed():
    lecturer, code = _start("logistic")
    lecturer.run()
    exercise = registry.ALL["logistic.sgd100"]
    _ask(lecturer, "logistic", exercise.id)
    students = [_join(code) for _ in range(3)]
    for student, choice in zip(students, ("jumps", "jumps", "settles")):
        assert student.session_state["_classroom"]["view"]["page"] == "logistic"
        student.radio(key=f"class.answer.{exercise.id}").set_value(choice).run()
        student.button(key=f"class.send.{exercise.id}").click().run()
        assert_clean(student)
        assert [b for b in student.button if b.key == f"class.send.{exercise.id}"] == []
        assert any(choice in s.value or t(f"exercises.{exercise.id}.choice_{choice}", "ja")
                   in s.value for s in student.success)
    lecturer.run()
    assert metric(lecturer, t("classroom.answers_count", "ja")) == "3"
    names = [_plain(t(f"exercises.{exercise.id}.choice_{c}", "ja")) for c in exercise.choices]
    assert _bars(lecturer) == (names, [0, 1, 2])  # faster, settles, jumps
    assert "class.answers" not in str([c.proto.id for c in students[0].get("plotly_chart")])

    lecturer.button(key="class.reveal").click().run()
    assert_clean(lecturer)
    shown, counts = _bars(lecturer, "class.answers.revealed")
    assert counts == [0, 1, 2] and shown[2] == "✓" + names[2]  # the truth: E jumps about
    assert not any(name.startswith("✓") for name in shown[:2])
    students[2].run()
    assert _bars(students[2], "class.answers.revealed")[1] == [0, 1, 2]
    truth = t("exercises.truth", "ja",
              choice=t(f"exercises.{exercise.id}.choice_jumps", "ja"))
    assert any(truth in m.value for m in students[2].markdown)


def test_a_number_is_checked_on_the_server_with_the_class_s_own_variant():
    lecturer, code = _start("logistic")
    exercise = registry.ALL["logistic.probability"]
    _ask(lecturer, "logistic", exercise.id)
    variant = exercise.variant_for(f"class:{code}")  # everybody in the class gets these numbers
    f = variant["w0"] + variant["w1"] * variant["x"] + variant["w2"] * variant["y"]
    p = 1 / (1 + np.exp(-f))
    for answer in (round(p, 4), round(1 - p, 4)):
        student = _join(code)
        student.number_input(key=f"class.answer.{exercise.id}").set_value(answer).run()
        student.button(key=f"class.send.{exercise.id}").click().run()
        assert_clean(student)
    lecturer.run()
    lecturer.button(key="class.reveal").click().run()
    shown, counts = _bars(lecturer, "class.answers.revealed")
    assert counts == [1, 1]
    right = [name for name in shown if name.startswith("✓")]
    assert right == [f"✓{round(p, 4):.6g}"]

    lecturer.button(key="classroom_end").click().run()
    assert_clean(lecturer)
    _, text, count = lecturer.session_state["_classroom_export"]
    rows = list(csv.DictReader(io.StringIO(text)))
    assert count == 2 and {(r["answer"], r["correct"]) for r in rows} == {
        (f"{round(p, 4):.6g}", "1"), (f"{round(1 - p, 4):.6g}", "0")}
    assert lecturer.get("download_button")
    again = app_test(query={"join": code})
    next(b for b in again.button if b.label == t("classroom.join", "ja")).click().run()
    assert t("classroom.error_unknown_code", "ja") in [e.value for e in again.error]


def test_a_reach_exercise_reads_the_student_s_own_page():
    lecturer, code = _start("regression")
    exercise = registry.ALL["regression.hand_fit"]
    _ask(lecturer, "regression", exercise.id)
    student = _join(code)
    student.button(key=f"class.send.{exercise.id}").click().run()  # the default line: not yet
    assert_clean(student)
    lecturer.run()
    shown, counts = _bars(lecturer)
    assert dict(zip(shown, counts)) == {_plain(t("classroom.answer_solved", "ja")): 0,
                                        _plain(t("classroom.answer_not_yet", "ja")): 1}


def test_the_class_s_lines_ranked_by_mean_squared_error_and_the_optimum_last():
    lecturer, code = _start("regression")
    lecturer.run()
    students = {"Aki": _join(code, "Aki"), "": _join(code)}
    for (nick, student), slope in zip(students.items(), (1.2, 0.4)):
        student.slider(key="regression.slope").set_value(slope).run()
        assert_clean(student)
    lecturer.toggle(key="class.lines.regression").set_value(True).run()
    assert_clean(lecturer)
    spec = chart_spec(lecturer, "class.lines_chart.regression")
    points = spec["data"][-1]
    x, y = decode(points["x"]), decode(points["y"])
    intercept = lecturer.session_state["regression.icpt"]
    errors = {nick: np.mean((slope * x + intercept - y) ** 2)
              for nick, slope in (("Aki", 1.2), (t("classroom.anonymous", "ja"), 0.4))}
    table = lecturer.dataframe[0].value
    assert list(table[t("classroom.lines_nick", "ja")]) == sorted(errors, key=errors.get)
    assert [float(v) for v in table["MSE"]] == pytest.approx(sorted(errors.values()), rel=1e-3)
    assert metric(lecturer, t("classroom.lines_count", "ja")) == "2"
    assert t("classroom.lines_optimum", "ja") not in [d.get("name") for d in spec["data"]]

    lecturer.toggle(key="class.lines_optimum.regression").set_value(True).run()
    spec = chart_spec(lecturer, "class.lines_chart.regression")
    optimum = next(d for d in spec["data"] if d.get("name") == t("classroom.lines_optimum", "ja"))
    slope, icpt = np.polyfit(x, y, 1)
    ends = decode([v for v in optimum["x"] if v is not None])
    assert decode([v for v in optimum["y"] if v is not None]) == pytest.approx(
        slope * ends + icpt, rel=1e-6)


def test_a_following_student_sends_no_line():
    lecturer, code = _start("logistic")
    lecturer.run()
    student = _join(code)
    student.run()
    assert student.session_state["_classroom"]["following"]
    assert "lines" not in student.session_state["_classroom"]
    from lib.ui.class_state import store

    assert store().lines(code, lecturer.session_state["_classroom"]["secret"], "logistic") == []


def test_a_student_on_another_page_is_pointed_to_the_question():
    lecturer, code = _start("sigmoid")
    lecturer.run()
    student = _join(code)
    student.switch_page("views/glossary.py").run()  # exploring on their own
    _ask(lecturer, "sigmoid", "sigmoid.scale")
    student.run()
    assert_clean(student)
    assert t("classroom.asked_elsewhere", "ja") in [i.value for i in student.info]
