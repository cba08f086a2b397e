"""The chapter FAQ, a permalink's "also asked in" and the instructors' chapter picker in Chromium,
on a desktop and a 375 px phone, in Korean and English."""

from datetime import date

import pytest

from tests.browser.conftest import log_in, watch_for_errors
from tests.factories import make_cohort, make_question, make_section, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
ANSWER = "- Ingress는 L7에서 호스트/경로로 라우팅하고, LoadBalancer는 서비스마다 외부 LB를 하나씩 만듭니다."
SIDEWAYS = "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"


@pytest.fixture
def asked_twice():
    older = make_cohort("MSP T3 - 23-4차", starts_on=date(2023, 9, 4), ends_on=date(2023, 9, 6))
    newer = make_cohort("MSP T3 - 24-1차", starts_on=date(2024, 3, 4), ends_on=date(2024, 3, 6))
    first = make_question(make_section(older, "Kubernetes"), "ingress와 loadbalancer 서비스의 차이점이 뭔가요?",
                          ANSWER, chapter=10, chapter_source="inferred")
    second = make_question(make_section(newer, "Kubernetes"), "ingress랑 LoadBalancer 서비스는 뭐가 다른가요?",
                           "- 라우팅 계층이 다릅니다.", chapter=10, chapter_source="inferred")
    first.similar_to.add(second)
    return first, second, newer


@pytest.mark.parametrize(("locale", "asked", "wording"), [("ko-KR", "2개 기수에서 질문", "다른 표현 1개"),
                                                           ("en-US", "Asked in 2 cohorts", "1 other wording")])
@pytest.mark.parametrize("width", [1280, 375])
def test_the_faq_shows_one_entry_with_the_best_answer_and_the_other_wording(
        chromium, live_server, asked_twice, locale, asked, wording, width):
    first, second, _newer = asked_twice
    context = chromium.new_context(locale=locale, viewport={"width": width, "height": 900})
    page = context.new_page()
    errors = watch_for_errors(page)
    page.goto(f"{live_server.url}/chapters/10/")
    entries = page.locator(".faq-entries > li.question")
    assert entries.count() == 1
    entry = entries.first
    assert entry.get_attribute("id") == f"q-{first.pk}"  # the longer answer
    assert asked in entry.locator(".faq-count").inner_text()
    assert entry.locator(".badge-inferred").is_visible()
    entry.locator(".faq-wordings summary", has_text=wording).click()
    other = entry.locator(".faq-wordings a")
    assert other.is_visible() and other.get_attribute("href") == f"/cohorts/{second.section.cohort.slug}/#q-{second.pk}"
    widths = page.evaluate(SIDEWAYS)
    page.goto(f"{live_server.url}/questions/{first.pk}/")
    assert "MSP T3 - 24-1차" in page.locator(".also-asked").inner_text()
    context.close()
    assert widths[0] <= widths[1] and errors == []


def test_the_instructors_page_with_chapter_pickers_fits_a_phone(chromium, live_server, asked_twice):
    _first, _second, newer = asked_twice
    teacher = make_user("picker-teacher")
    from courses.models import Membership

    Membership.objects.create(cohort=newer, user=teacher, role=Membership.Role.INSTRUCTOR)
    context = chromium.new_context(locale="ko-KR", viewport={"width": 375, "height": 812}, is_mobile=True)
    log_in(context, teacher, live_server)
    page = context.new_page()
    errors = watch_for_errors(page)
    page.goto(f"{live_server.url}{newer.get_absolute_url()}")
    picker = page.locator("[data-chapter-form]").first
    assert picker.is_visible() and not picker.locator("[data-chapter-submit]").is_visible()  # JS: one choice saves
    widths = page.evaluate(SIDEWAYS)
    context.close()
    assert widths[0] <= widths[1], f"page is {widths[0]} px wide in a {widths[1]} px viewport"
    assert errors == []
