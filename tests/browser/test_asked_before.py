""""Asked before" in Chromium: type → suggestions → "use this answer" → the answer is in the box → saved."""

import os
from pathlib import Path

import pytest

from qa.models import Question
from tests.factories import make_cohort, make_question, make_section, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
EARLIER_ANSWER = "- `docker rm -v`로 지우면 익명 볼륨도 함께 지워집니다."
SHOTS = Path(os.environ.get("MSPT3_SHOTS", "/work/notes/shots/polish"))
# Markdown as instructors write it, and raw HTML a sanitiser must have taken apart.
RICH_ANSWER = (
    "**익명 볼륨**은 `docker rm -v`로 함께 지워집니다.\n\n"
    "- 이름 있는 볼륨은 `docker volume rm`으로 따로 지웁니다\n"
    "- 바인드 마운트는 호스트에 남습니다\n\n"
    '<img src="x" onerror="window.leaked = 1"><script>window.leaked = 2</script>'
)


@pytest.fixture
def earlier():
    other = make_cohort("MSP T2 - 23-2차", slug="t2-23-2")
    return make_question(make_section(other, "Docker"), "볼륨은 언제 지워지나요?", EARLIER_ANSWER)


@pytest.fixture
def teacher_page(logged_in_context):
    teacher = make_user("teacher")
    cohort = make_cohort("MSP T3 - 브라우저 반", instructors=[teacher])
    section = make_section(cohort, "Docker")
    page = logged_in_context(teacher).new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page, cohort, section
    assert errors == []


def test_quick_entry_suggests_an_earlier_answer_and_uses_it(teacher_page, earlier, live_server):
    page, cohort, section = teacher_page
    page.goto(f"{live_server.url}{cohort.get_absolute_url()}")
    box = page.locator("#id_question")
    box.type("볼륨을 지우면 데이터는 어떻게 되나요?")
    suggestion = page.locator(".asked-before-item", has_text="볼륨은 언제 지워지나요?")
    suggestion.wait_for(timeout=5000)
    # The cohort is named by its title, not its slug (which read "msp-t3-mspt3_24-2차-scp-track").
    assert "MSP T2 - 23-2차" in suggestion.inner_text() and "t2-23-2" not in suggestion.inner_text()
    suggestion.locator(".asked-before-use").click()
    assert page.locator("[name=answer]").input_value() == EARLIER_ANSWER
    box.press("Enter")
    page.locator(".qa-items .question", has_text="볼륨을 지우면 데이터는").wait_for(timeout=5000)
    saved = Question.objects.get(section=section)
    assert (saved.answer, saved.pending) == (EARLIER_ANSWER, False)
    assert list(saved.similar_to.all()) == [earlier]  # linked: "also asked in" on both permalinks
    # The next question starts unlinked.
    box.type("전혀 다른 질문입니다")
    box.press("Enter")
    page.locator(".qa-items .question", has_text="전혀 다른 질문입니다").wait_for(timeout=5000)
    assert not Question.objects.get(question="전혀 다른 질문입니다").similar_to.exists()
    page.goto(f"{live_server.url}/questions/{earlier.pk}/")
    assert "MSP T3 - 브라우저 반" in page.locator(".also-asked").inner_text()


def suggest_rich_answer(page, live_server, cohort):
    other = make_cohort("MSP T2 - 23-2차", slug="t2-23-2")
    make_question(make_section(other, "Docker"), "볼륨은 언제 지워지나요?", RICH_ANSWER)
    page.goto(f"{live_server.url}{cohort.get_absolute_url()}")
    page.locator("#id_question").type("볼륨을 지우면 데이터는 어떻게 되나요?")
    suggestion = page.locator(".asked-before-item", has_text="볼륨은 언제 지워지나요?")
    suggestion.wait_for(timeout=5000)
    return suggestion


def test_a_suggested_answer_shows_rendered_and_sanitised_and_uses_the_markdown(teacher_page, live_server):
    page, cohort, _section = teacher_page
    suggestion = suggest_rich_answer(page, live_server, cohort)
    answer = suggestion.locator(".asked-before-answer")
    assert answer.locator("strong").count() == 1  # counted at once: the old text had no element to wait for
    assert answer.locator("strong").inner_text() == "익명 볼륨"
    assert answer.locator("code").first.inner_text() == "docker rm -v"
    assert answer.locator("li").count() == 2
    assert "**" not in answer.inner_text() and "`" not in answer.inner_text()
    assert answer.locator("script, [onerror]").count() == 0
    assert page.evaluate("() => window.leaked") is None
    suggestion.locator(".asked-before-use").click()
    assert page.locator("[name=answer]").input_value() == RICH_ANSWER  # the markdown, to edit


@pytest.mark.parametrize("locale", ["ko-KR", "en-US"])
@pytest.mark.parametrize("width", [1280, 375])
def test_screenshots_of_the_quick_entry_with_a_suggestion(logged_in_context, live_server, locale, width):
    teacher = make_user("teacher")
    cohort = make_cohort("MSP T3 - 브라우저 반", instructors=[teacher])
    make_section(cohort, "Docker")
    page = logged_in_context(teacher, locale=locale, viewport={"width": width, "height": 900}).new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    suggestion = suggest_rich_answer(page, live_server, cohort)
    assert suggestion.locator(".asked-before-answer strong").count() == 1
    assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 0
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("form[data-quick-entry]").screenshot(path=str(SHOTS / f"asked-before-{locale[:2]}-{width}.png"))
    assert errors == []


def test_the_pending_queue_offers_answered_similar_questions(teacher_page, earlier, live_server):
    page, cohort, section = teacher_page
    pending = make_question(section, "볼륨을 삭제하는 시점이 궁금합니다", "...")
    page.goto(f"{live_server.url}/pending/")
    item = page.locator(f"#pending-{pending.pk}")
    item.locator(".asked-before-item", has_text="볼륨은 언제 지워지나요?").wait_for(timeout=5000)
    item.locator(".asked-before-use").first.click()
    assert item.locator("[name=answer]").input_value() == EARLIER_ANSWER
    item.locator("button[type=submit]").click()
    item.wait_for(state="detached", timeout=10000)  # answered in place: it leaves the queue once saved
    pending.refresh_from_db()
    assert (pending.answer.strip(), pending.pending) == (EARLIER_ANSWER, False)
    assert list(pending.similar_to.all()) == [earlier]


def test_one_click_on_the_chapter_picker_sets_the_instructors_chapter(teacher_page, live_server):
    page, cohort, section = teacher_page
    question = make_question(section, "도커 볼륨은 어디에 저장되나요?", "- /var/lib/docker/volumes", chapter=3)
    page.goto(f"{live_server.url}{cohort.get_absolute_url()}")
    card = page.locator(f"#q-{question.pk}")
    assert card.locator(".badge-inferred").count() == 1
    card.locator("[data-chapter-select]").select_option("11")
    card.locator(".badge-chapter", has_text="CH11").wait_for(timeout=5000)  # patched in place
    assert page.locator(f"#q-{question.pk} .badge-inferred").count() == 0
    question.refresh_from_db()
    assert (question.chapter.number, question.chapter_source) == (11, "instructor")
