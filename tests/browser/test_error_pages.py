"""The error pages in Chromium at 1280/375 px, Korean and English: the private cohort's 404 to a
visitor, a student's 403 on the pending queue and the 500 of a bug; screenshots, no sideways
scroll, and no browser error beyond the status itself."""

import os
from pathlib import Path

import pytest

from tests.browser.conftest import watch_for_errors
from tests.factories import make_cohort

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SHOTS = Path(os.environ.get("MSPT3_SHOTS", "/work/notes/shots/errorpages"))
HEADINGS = {
    "404": {"ko-KR": "페이지를 찾을 수 없습니다", "en-US": "Page not found"},
    "403": {"ko-KR": "권한이 없습니다", "en-US": "Not allowed"},
    "500": {"ko-KR": "일시적인 오류가 났습니다", "en-US": "Something went wrong"},
}


@pytest.mark.parametrize("locale", ["ko-KR", "en-US"])
@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("status", ["404", "403", "500"])
def test_the_error_pages(logged_in_context, live_server, settings, student, locale, width, status):
    settings.ROOT_URLCONF = "tests.mspt3.failing_urls"
    private = make_cohort("MSP T3 - 비공개 반", public=False)
    visits = {"404": (None, private.get_absolute_url()), "403": (student, "/pending/"), "500": (None, "/broken/")}
    who, path = visits[status]
    page = logged_in_context(who, locale=locale, viewport={"width": width, "height": 800}).new_page()
    errors = watch_for_errors(page)
    response = page.goto(f"{live_server.url}{path}")
    assert response.status == int(status)
    assert HEADINGS[status][locale] in page.locator("h1").all_inner_texts()
    assert private.title not in page.content()
    assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 0
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{status}-{locale[:2]}-{width}.png"), full_page=True)
    # The browser reports the page's own status as a failed resource; nothing else may fail.
    assert [e for e in errors if f"status of {status}" not in e] == []


CSRF_HEADINGS = {"ko-KR": "양식이 오래되었습니다", "en-US": "The form was out of date"}


@pytest.mark.parametrize("locale", ["ko-KR", "en-US"])
@pytest.mark.parametrize("width", [1280, 375])
def test_a_login_form_sent_after_its_cookie_is_gone_gets_the_sites_page(logged_in_context, live_server, student,
                                                                        locale, width):
    context = logged_in_context(None, locale=locale, viewport={"width": width, "height": 800})
    page = context.new_page()
    errors = watch_for_errors(page)
    page.goto(f"{live_server.url}/accounts/login/")
    context.clear_cookies()  # the CSRF cookie expired or was cleared while the form stayed open
    page.fill("input[name=username]", student.username)
    page.fill("input[name=password]", "pw-for-tests-only")
    with page.expect_navigation() as sent:
        page.click("form.login-form button[type=submit]")
    assert sent.value.status == 403
    assert CSRF_HEADINGS[locale] in page.locator("h1").all_inner_texts()
    assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 0
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"csrf-{locale[:2]}-{width}.png"), full_page=True)
    assert [e for e in errors if "status of 403" not in e] == []
