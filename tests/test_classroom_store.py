"""The class store's contract, run on both backends: in-process and a real Redis server."""
from __future__ import annotations

import socket
import threading
import time

import pytest

from lib.core.classroom import kv as backends
from lib.core.classroom.store import (ANSWERS_PER_MINUTE, CLASS_HOURS, ClassroomError,
                                      ClassStore, clean_nickname, normalize_code)

SECRET = "lecturer-secret-123"


class Clock:
    """Real time plus an offset the test moves forward (Redis expires keys by real time)."""

    def __init__(self):
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(params=["memory", "redis"])
def store(request):
    clock = Clock()
    if request.param == "memory":
        return ClassStore(backends.MemoryKV(clock), clock)
    kv = backends.RedisKV.from_url(request.getfixturevalue("redis_url"))
    kv._r.flushdb()
    return ClassStore(kv, clock)


def test_start_join_and_follow_the_view(store):
    code = store.start(SECRET)
    assert normalize_code(code.lower()) == code
    assert store.view(code) is None and store.version(code) == 0
    member = store.join(code.lower(), "  Aki  ")
    first = store.set_view(code, SECRET, "regression", {"slope": "1.5"})
    assert store.view(code) == (first, {"page": "regression", "params": {"slope": "1.5"}})
    assert store.set_view(code, SECRET, "regression", {"slope": "1.5"}) == first  # unchanged
    second = store.set_view(code, SECRET, "sigmoid", {})
    assert second > first and store.version(code) == second
    store.seen(code, member, following=False)
    assert store.presence(code, SECRET).following == 0
    assert store.presence(code, SECRET).connected == 1


def test_presence_counts_only_recent_members(store):
    code = store.start(SECRET)
    early = store.join(code)
    store.clock.offset += 60
    store.join(code, "late")
    presence = store.presence(code, SECRET)
    assert (presence.joined, presence.connected, presence.following) == (2, 1, 1)
    store.seen(code, early, following=False)
    assert store.presence(code, SECRET).connected == 2


def test_a_student_cannot_control_the_class(store):
    code = store.start(SECRET)
    member = store.join(code)
    for attempt in (lambda: store.set_view(code, member, "mnist", {}),
                    lambda: store.set_view(code, "", "mnist", {}),
                    lambda: store.open_question(code, member, "q1", ["a", "b"]),
                    lambda: store.reveal(code, member, "q1"),
                    lambda: store.presence(code, member),
                    lambda: store.end(code, member)):
        with pytest.raises(ClassroomError) as refused:
            attempt()
        assert refused.value.reason == "not_lecturer"
    assert store.view(code) is None


def test_one_answer_per_student_hidden_until_the_reveal(store):
    code = store.start(SECRET)
    students = [store.join(code) for _ in range(3)]
    store.open_question(code, SECRET, "logistic.lr100", ["rises", "falls", "oscillates"])
    store.answer(code, students[0], "logistic.lr100", "rises")
    store.answer(code, students[1], "logistic.lr100", " falls ")
    with pytest.raises(ClassroomError, match="answered"):
        store.answer(code, students[0], "logistic.lr100", "falls")
    with pytest.raises(ClassroomError, match="not_lecturer"):
        store.results(code, "logistic.lr100")
    assert store.results(code, "logistic.lr100", SECRET) == {"rises": 1, "falls": 1}
    store.reveal(code, SECRET, "logistic.lr100")
    assert store.results(code, "logistic.lr100") == {"rises": 1, "falls": 1}
    with pytest.raises(ClassroomError, match="closed"):
        store.answer(code, students[2], "logistic.lr100", "rises")


@pytest.mark.parametrize("value", ["", "maybe", "x" * 100, None, "<script>", "rises\n"])
def test_answers_are_validated_against_the_choices(store, value):
    code = store.start(SECRET)
    member = store.join(code)
    store.open_question(code, SECRET, "q", ["rises", "falls"])
    if value == "rises\n":  # surrounding whitespace is not a different answer
        store.answer(code, member, "q", value)
        assert store.results(code, "q", SECRET) == {"rises": 1}
        return
    with pytest.raises(ClassroomError, match="bad_answer"):
        store.answer(code, member, "q", value)


@pytest.mark.parametrize("value", ["nan", "inf", "1e300", "seven", "0x10"])
def test_numeric_answers_must_be_finite_numbers(store, value):
    code = store.start(SECRET)
    member = store.join(code)
    store.open_question(code, SECRET, "sigma0", None)
    with pytest.raises(ClassroomError, match="bad_answer"):
        store.answer(code, member, "sigma0", value)
    store.answer(code, member, "sigma0", "0.50")
    assert store.results(code, "sigma0", SECRET) == {"0.5": 1}


def test_unknown_members_and_questions_are_refused(store):
    code = store.start(SECRET)
    member = store.join(code)
    with pytest.raises(ClassroomError, match="not_member"):
        store.answer(code, "made-up-id", "q", "a")
    with pytest.raises(ClassroomError, match="no_question"):
        store.answer(code, member, "q", "a")
    with pytest.raises(ClassroomError, match="bad_question"):
        store.open_question(code, SECRET, "../x y", ["a"])


def test_answers_are_rate_limited(store):
    code = store.start(SECRET)
    member = store.join(code)
    store.clock.offset += 60 - store.clock() % 60  # the start of a minute: one window for all
    for attempt in range(ANSWERS_PER_MINUTE):
        with pytest.raises(ClassroomError, match="no_question"):
            store.answer(code, member, f"q{attempt}", "a")
    store.open_question(code, SECRET, "late", ["a"])
    with pytest.raises(ClassroomError, match="too_fast"):
        store.answer(code, member, "late", "a")
    store.clock.offset += 60
    store.answer(code, member, "late", "a")


@pytest.mark.parametrize("raw", ["", "ABC", "ABCDEFG", "AB CD1", "ABCDE0", "ＡＢ＜＞ＸＹ",
                                 None])
def test_bad_codes_are_rejected(store, raw):
    with pytest.raises(ClassroomError, match="bad_code"):
        store.join(raw)


def test_unknown_expired_and_ended_codes_are_rejected(store):
    code = store.start(SECRET)
    other = "".join("A" if c != "A" else "B" for c in code)
    with pytest.raises(ClassroomError, match="unknown_code"):
        store.join(other)
    member = store.join(code)
    store.clock.offset += CLASS_HOURS * 3600 + 1
    for attempt in (lambda: store.join(code), lambda: store.version(code),
                    lambda: store.seen(code, member, True)):
        with pytest.raises(ClassroomError) as refused:  # the in-process keys expire too
            attempt()
        assert refused.value.reason in ("expired", "unknown_code")
    ended = store.start(SECRET)
    store.end(ended, SECRET)
    with pytest.raises(ClassroomError, match="unknown_code"):
        store.join(ended)


def test_the_secret_must_not_be_trivial(store):
    with pytest.raises(ClassroomError, match="weak_secret"):
        store.start("")


def test_concurrent_answers_count_once_each(store):
    code = store.start(SECRET)
    store.open_question(code, SECRET, "q", ["a", "b"])
    members = [store.join(code) for _ in range(8)]
    errors = []

    def send(member):
        for choice in ("a", "b", "a"):
            try:
                store.answer(code, member, "q", choice)
            except ClassroomError as refused:
                errors.append(refused.reason)

    threads = [threading.Thread(target=send, args=(m,)) for m in members]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(store.results(code, "q", SECRET).values()) == len(members)
    assert errors == ["answered"] * (2 * len(members))


def test_nicknames_are_cleaned():
    assert clean_nickname("  Aki\u0000\u202e  Tanaka ") == "Aki Tanaka"
    assert clean_nickname(None) == "" and len(clean_nickname("x" * 100)) == 20


def test_an_unreachable_redis_is_a_refusal():
    pytest.importorskip("redis")
    store = ClassStore(backends.RedisKV.from_url(f"redis://127.0.0.1:{_free_port()}/0"))
    with pytest.raises(ClassroomError, match="unavailable"):
        store.join("ABC234")


def test_the_asked_question_is_what_students_poll(store):
    code = store.start(SECRET)
    member = store.join(code)
    assert store.asked(code) is None
    store.open_question(code, SECRET, "logistic.sgd100", ["faster", "settles", "jumps"])
    assert store.asked(code) == ("logistic.sgd100", False)
    store.answer(code, member, "logistic.sgd100", "jumps")
    assert store.answer_of(code, member, "logistic.sgd100") == "jumps"
    assert store.correct(code, "logistic.sgd100") is None  # nothing to read before the reveal
    store.reveal(code, SECRET, "logistic.sgd100", ["jumps"])
    assert store.asked(code) == ("logistic.sgd100", True)
    assert store.correct(code, "logistic.sgd100") == ["jumps"]
    with pytest.raises(ClassroomError, match="not_lecturer"):
        store.close_question(code, member)
    store.close_question(code, SECRET)
    assert store.asked(code) is None
    store.open_question(code, SECRET, "logistic.sgd100", ["faster", "settles", "jumps"])
    assert store.results(code, "logistic.sgd100", SECRET) == {}  # asked anew: a fresh count
    assert store.answer_of(code, member, "logistic.sgd100") is None


def test_the_export_is_anonymous_and_marks_the_right_answers(store):
    from lib.core.classroom.export import answers_csv

    code = store.start(SECRET)
    members = [store.join(code, nick) for nick in ("Aki", "Ben", "")]
    store.open_question(code, SECRET, "q1", ["a", "b"])
    store.open_question(code, SECRET, "q2", None)
    for member, first, second in zip(members, "aab", ("0.5", "2", "0.50")):
        store.answer(code, member, "q1", first)
        store.answer(code, member, "q2", second)
    store.reveal(code, SECRET, "q1", ["a"])
    with pytest.raises(ClassroomError, match="not_lecturer"):
        store.export(code, members[0])
    rows = store.export(code, SECRET)
    assert rows == [{"question": "q1", "answer": "a", "correct": 1},
                    {"question": "q1", "answer": "a", "correct": 1},
                    {"question": "q1", "answer": "b", "correct": 0},
                    {"question": "q2", "answer": "0.5", "correct": ""},
                    {"question": "q2", "answer": "0.5", "correct": ""},
                    {"question": "q2", "answer": "2", "correct": ""}]
    text = answers_csv(rows)
    assert text.splitlines()[0] == "question,answer,correct" and len(text.splitlines()) == 7
    assert not any(nick in text for nick in ("Aki", "Ben")) and not any(m in text
                                                                         for m in members)


def test_ending_a_class_removes_its_data(store):
    code = store.start(SECRET)
    member = store.join(code)
    store.open_question(code, SECRET, "q", ["a"])
    store.answer(code, member, "q", "a")
    store.publish_line(code, member, "regression", (1.0, 2.0))
    store.end(code, SECRET)
    with pytest.raises(ClassroomError, match="unknown_code"):
        store.answer(code, member, "q", "a")
    # Only the answer-rate count is left, and it expires with its minute.
    if isinstance(store.kv, backends.MemoryKV):
        assert all(key.startswith("rate:") for key in store.kv._data)
    else:
        assert all(key.startswith("rate:") for key in store.kv._r.keys(f"*{code}*"))


def test_lines_are_members_own_and_validated(store):
    code = store.start(SECRET)
    aki, anonymous = store.join(code, "Aki"), store.join(code)
    store.publish_line(code, aki, "logistic", (-6.0, 0.2, 0.2))
    store.publish_line(code, aki, "logistic", ("-5", 0.1, 0.3))  # a later line replaces it
    store.publish_line(code, anonymous, "regression", (1.5, 2.0))
    assert store.lines(code, SECRET, "logistic") == [("Aki", [-5.0, 0.1, 0.3])]
    assert store.lines(code, SECRET, "regression") == [("", [1.5, 2.0])]
    for page, numbers in (("logistic", (1, 2)), ("regression", ("nan", 1)),
                          ("regression", (1e300, 1)), ("mnist", (1, 2)),
                          ("regression", None), ("regression", ("x", 1))):
        with pytest.raises(ClassroomError, match="bad_line"):
            store.publish_line(code, aki, page, numbers)
    with pytest.raises(ClassroomError, match="not_member"):
        store.publish_line(code, "made-up", "regression", (1, 2))
    with pytest.raises(ClassroomError, match="not_lecturer"):
        store.lines(code, aki, "logistic")


def test_lines_are_scored_on_the_data_against_numpy():
    import numpy as np

    from lib.core import datasets
    from lib.core.classroom import lines
    from lib.core.regression_data import Sales

    points = datasets.textbook_points()
    w = (-6.0, 0.2, 0.2)
    f = w[0] + w[1] * points.x[:, 0] + w[2] * points.x[:, 1]
    p = 1 / (1 + np.exp(-f))
    expected = -np.sum(points.t * np.log(p) + (1 - points.t) * np.log(1 - p))
    assert lines.score("logistic", points, w) == pytest.approx(expected, rel=1e-9)
    optimum = lines.optimum("logistic", points)
    assert lines.score("logistic", points, optimum) == pytest.approx(10.53, abs=0.01)
    data = Sales(np.array([1.0, 2.0, 3.0, 4.0]), np.array([2.1, 3.9, 6.2, 7.8]))
    slope, intercept = np.polyfit(data.x, data.y, 1)
    assert lines.optimum("regression", data) == pytest.approx((slope, intercept))
    assert lines.score("regression", data, (2.0, 0.0)) == pytest.approx(
        np.mean((2.0 * data.x - data.y) ** 2))
    ranked = lines.ranking("regression", data, [("a", (0.0, 0.0)), ("b", (slope, intercept)),
                                                 ("c", (2.0, 0.0))], best=2)
    assert [nick for nick, _ in ranked] == ["b", "c"]
