"""Toasts when many of a student's questions are answered at once, in Chromium: at most
TOAST_CAP on screen (the newest answers; older toasts make room), and each goes by itself.
Screenshots at 375 and 1280 px, Korean and English."""

import os
from pathlib import Path

import pytest

from asking import actions
from tests.browser.test_student_questions import as_participant
from tests.factories import make_cohort, make_section, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SHOTS = Path(os.environ.get("MSPT3_SHOTS", "/work/notes/shots/polish"))
TOAST_CAP = 3  # static/js/room.js MAX_TOASTS
ANSWERED = 5
POLL_MS = 2000  # static/js/live.js
ANSWERED_TOAST_MS = 30000  # room.js tellAnswered's timeout


@pytest.mark.parametrize("locale", ["ko-KR", "en-US"])
@pytest.mark.parametrize("width", [375, 1280])
def test_a_burst_of_answers_shows_the_newest_toasts_and_each_goes(logged_in_context, live_server, locale, width):
    teacher, student = make_user("teacher"), make_user("student")
    cohort = make_cohort("MSP T3 - 26-3차", public=False, instructors=[teacher], students=[student])
    make_section(cohort, "Docker")
    asked = [actions.ask(cohort, as_participant(student), f"질문 {n}번: 컨테이너 로그는 어디에?")
             for n in range(ANSWERED)]
    page = logged_in_context(student, locale=locale, viewport={"width": width, "height": 800}).new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.clock.install()  # the page's timers (poll, toasts) run when the test says
    page.goto(f"{live_server.url}{cohort.get_absolute_url()}")
    for student_question in asked:  # the instructor answers them all between two polls
        actions.answer_directly(student_question, teacher, f"- 답 {student_question.text[:5]}")
    page.clock.run_for(POLL_MS + 100)
    toasts = page.locator("[data-toast=answered]")
    toasts.first.wait_for(timeout=5000)
    page.wait_for_timeout(200)  # let any further toasts of the same payload land (created synchronously)
    assert toasts.count() == TOAST_CAP
    shown = toasts.all_inner_texts()
    numbers = [next(n for n in range(ANSWERED) if f"질문 {n}번" in text) for text in shown]
    assert numbers == list(range(ANSWERED - TOAST_CAP, ANSWERED))  # the newest answers, oldest on top
    assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 0
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"toasts-{locale[:2]}-{width}.png"), full_page=False)
    page.clock.run_for(ANSWERED_TOAST_MS + 100)
    page.locator("[data-toast]").first.wait_for(state="detached", timeout=5000)
    assert page.locator("[data-toast]").count() == 0
    assert errors == []
