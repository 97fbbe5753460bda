"""A class in two real browsers: the student's page follows the lecturer's over the websocket
(the fragment's timer, which AppTest does not run), leaves when touched, and rejoins."""
import re

import pytest
from playwright.sync_api import expect

from support.browser import POLL_MS

pytestmark = pytest.mark.browser

TEXT = {
    "en": {"title": "Classroom", "start": "Start a class", "join": "Join the class",
           "exploring": "exploring on your own", "again": "Follow the lecturer again"},
    "ja": {"title": "クラス", "start": "クラスを始める", "join": "クラスに参加",
           "exploring": "自分で探索中", "again": "講師への追従に戻る"},
}


def _nav(tab, path):
    tab.locator(f'[data-testid="stSidebarNav"] a[href$="/{path}"]').first.click()


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_student_follows_the_lecturer_in_the_browser(app_url, browser, lang):
    text = TEXT[lang]
    suffix = "?lang=en" if lang == "en" else ""
    lecturer = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    student = browser.new_context(viewport={"width": 1200, "height": 900}).new_page()
    try:
        lecturer.goto(f"{app_url}/sigmoid{suffix}")
        lecturer.get_by_text(text["title"]).first.click()
        lecturer.get_by_role("button", name=text["start"]).click()
        code_box = lecturer.locator(".class-code")
        expect(code_box).to_have_text(re.compile(r"^[A-Z2-9]{6}$"), timeout=30_000)
        code = code_box.inner_text().strip()

        separator = "&" if suffix else "?"
        student.goto(f"{app_url}/{suffix}{separator}join={code}")
        student.get_by_role("button", name=text["join"]).click()
        expect(student).to_have_url(re.compile(r"/sigmoid"), timeout=30_000)  # a late joiner
        # The poll waits for the lecturer, so the page runs all the time; its Running/Stop
        # indicator would never go away, and is hidden while following.
        shown = student.wait_for_function(
            "() => { const w = document.querySelector('[data-testid=stStatusWidget]');"
            " return w && getComputedStyle(w).visibility; }", polling=POLL_MS).json_value()
        assert shown == "hidden"

        _nav(lecturer, "logistic")
        expect(student).to_have_url(re.compile(r"/logistic"), timeout=30_000)
        _nav(lecturer, "sigmoid")
        expect(student).to_have_url(re.compile(r"/sigmoid"), timeout=30_000)

        _nav(student, "glossary")  # the student goes their own way
        expect(student.get_by_text(text["exploring"])).to_be_visible(timeout=30_000)
        _nav(lecturer, "cross_entropy")
        student.wait_for_timeout(3000)  # several polls: the student stays where they went
        assert "/glossary" in student.url
        student.get_by_role("button", name=text["again"]).click()
        expect(student).to_have_url(re.compile(r"/cross_entropy"), timeout=30_000)
        if lang == "ja":
            student.screenshot(path="test-artifacts/classroom_student_ja.png")
    finally:
        lecturer.context.close()
        student.context.close()


ASK = {
    "en": {"ask": "Ask the class", "send": "Send my answer", "reveal": "Reveal the answer",
           "sent": "Your answer has been sent"},
    "ja": {"ask": "クラスに出題", "send": "答えを送信", "reveal": "答えを公開",
           "sent": "答えを送信しました"},
}


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_class_answers_a_question_in_the_browser(app_url, browser, lang):
    """The lecturer asks, a student answers on their own device, the projector counts it and
    the reveal shows the answer on both screens."""
    text, ask = TEXT[lang], ASK[lang]
    suffix = "?lang=en" if lang == "en" else ""
    lecturer = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    student = browser.new_context(viewport={"width": 1200, "height": 900}).new_page()
    try:
        lecturer.goto(f"{app_url}/sigmoid{suffix}")
        lecturer.get_by_text(text["title"]).first.click()
        lecturer.get_by_role("button", name=text["start"]).click()
        code_box = lecturer.locator(".class-code")
        expect(code_box).to_have_text(re.compile(r"^[A-Z2-9]{6}$"), timeout=30_000)
        separator = "&" if suffix else "?"
        student.goto(f"{app_url}/{suffix}{separator}join={code_box.inner_text().strip()}")
        student.get_by_role("button", name=text["join"]).click()
        expect(student).to_have_url(re.compile(r"/sigmoid"), timeout=30_000)

        box = lecturer.locator(".st-key-class_ask")
        box.get_by_role("button", name=ask["ask"]).click()  # the page's first exercise
        question = student.locator(".st-key-class_question")
        expect(question).to_be_visible(timeout=30_000)  # the poll brings it without a click
        question.get_by_role("spinbutton").fill("0.5")
        question.get_by_role("spinbutton").press("Enter")
        question.get_by_role("button", name=ask["send"]).click()
        expect(question.get_by_text(ask["sent"])).to_be_visible(timeout=30_000)
        expect(box.get_by_text(re.compile(r"^1$")).first).to_be_visible(timeout=30_000)
        box.get_by_role("button", name=ask["reveal"]).click()
        # .first: while the reveal reruns, the old chart may still stand beside the new one
        expect(box.locator("[data-testid=stPlotlyChart]").first).to_be_visible(timeout=30_000)
        expect(question.locator("[data-testid=stPlotlyChart]").first).to_be_visible(
            timeout=30_000)
        assert lecturer.locator("[data-testid=stException]").count() == 0
        assert student.locator("[data-testid=stException]").count() == 0
    finally:
        lecturer.context.close()
        student.context.close()
