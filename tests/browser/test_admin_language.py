"""The staff's admin index in Chromium, Korean and English, desktop and phone: every project app
and model under its own language's name (tests/courses/test_admin_language.py checks them all),
and the page fits the screen."""

import os
from pathlib import Path

import pytest

from tests.browser.conftest import log_in, watch_for_errors
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SHOWN = {"ko": ["과정", "코호트", "멤버십 목록", "커리큘럼", "챕터", "실습", "질문과 답변", "섹션", "수강생 질문",
                "해결 표시"],
         "en": ["Courses", "Cohorts", "Memberships", "Curriculum", "Chapters", "Labs", "Questions and answers",
                "Sections", "Student questions", "Deflections"]}


@pytest.mark.parametrize("locale", ["ko-KR", "en-US"])
@pytest.mark.parametrize("width", [1280, 375])
def test_the_admin_index_names_the_models_in_the_readers_language(chromium, live_server, locale, width, tmp_path):
    context = chromium.new_context(locale=locale, viewport={"width": width, "height": 900})
    log_in(context, make_user("admin-staff", staff=True), live_server)
    page = context.new_page()
    errors = watch_for_errors(page)
    assert page.goto(f"{live_server.url}/admin/").status == 200
    shots = Path(os.environ.get("MSPT3_SHOTS_DIR") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / f"admin-staff-index-{locale[:2]}-{width}.png"), full_page=True)
    # The text as written: the captions are upper-cased by CSS only.
    links = page.locator("#content-main caption a, #content-main th[scope=row] a")
    names = [text.strip() for text in links.all_text_contents()]
    missing = [name for name in SHOWN[locale[:2]] if name not in names]
    assert not missing, names
    assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert errors == []
    context.close()
