"""The instructors' open-asking switch and the nav's Pending count (answers + class questions),
in Chromium: screenshots at 1280/375 px in Korean and English, no sideways scroll, and the switch
flips the stored setting."""

import os
from pathlib import Path

import pytest

from asking import actions
from courses.models import Cohort
from tests.browser.test_student_questions import as_participant, open_page
from tests.factories import make_cohort, make_question, make_section, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SHOTS = Path(os.environ.get("MSPT3_SHOTS", "/work/notes/shots/classfix"))
STATE = {"ko-KR": ("공개 질문: 꺼짐", "공개 질문: 방문자도"), "en-US": ("Open asking: off", "Open asking: visitors")}


@pytest.mark.parametrize("locale", ["ko-KR", "en-US"])
@pytest.mark.parametrize("width", [1280, 375])
def test_the_open_asking_switch_and_the_pending_count(logged_in_context, live_server, locale, width):
    teacher, student = make_user("teacher"), make_user("student")
    cohort = make_cohort("MSP T3 - 26-2차", public=True, instructors=[teacher], students=[student])
    docker = make_section(cohort, "Docker")
    make_question(docker, "답을 기다리는 질문")
    actions.ask(cohort, as_participant(student), "볼륨은 어디에 저장되나요?")
    page, problems = open_page(logged_in_context, teacher, f"{live_server.url}{cohort.get_absolute_url()}",
                               width=width, height=900, locale=locale)
    off, on = STATE[locale]
    assert page.locator("[data-nav-pending-count]").inner_text() == "2"  # 1 answer + 1 class question
    assert off in page.locator("[data-open-asking]").inner_text()
    assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 0
    SHOTS.mkdir(parents=True, exist_ok=True)
    name = f"open-asking-{locale[:2]}-{width}"
    page.screenshot(path=str(SHOTS / f"{name}-off.png"), full_page=False)
    page.locator("[data-open-asking] button").click()
    page.wait_for_load_state()
    page.locator(f"[data-open-asking]:has-text('{on}')").wait_for(timeout=5000)
    assert Cohort.objects.get(pk=cohort.pk).open_asking is True
    page.screenshot(path=str(SHOTS / f"{name}-on.png"), full_page=False)
    assert problems == []
