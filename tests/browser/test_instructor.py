"""Instructors in class, in Chromium: Enter logs a question that students see live, nothing typed
is lost when the network fails, and a struck-through chapter shows struck on students' pages."""

import json
import time

import pytest
from django.contrib.auth.models import User

from qa.models import Question
from tests.factories import make_cohort, make_question, make_section, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def classroom(logged_in_context, live_server):
    """A running class: the instructor's page and a student's page on the same cohort."""
    teacher, learner = make_user("teacher"), make_user("learner")
    cohort = make_cohort("MSP T3 - 브라우저 반", public=False, instructors=[teacher], students=[learner])
    section = make_section(cohort, "Docker")
    url = f"{live_server.url}{cohort.get_absolute_url()}"
    instructor_page = logged_in_context(teacher).new_page()
    student_page = logged_in_context(learner).new_page()
    problems = []
    for page in (instructor_page, student_page):
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.on("console", lambda msg: problems.append(msg.text) if "Content Security Policy" in msg.text else None)
    instructor_page.goto(url)
    student_page.goto(url)
    yield {"cohort": cohort, "section": section, "instructor": instructor_page, "student": student_page}
    assert problems == []  # no script error, no CSP violation on either page


def outbox(page):
    key = page.locator("[data-quick-entry]").get_attribute("data-outbox-key")
    return json.loads(page.evaluate(f"() => localStorage.getItem({json.dumps(key)}) || '[]'"))


def test_enter_logs_the_question_and_a_students_page_shows_it_within_5_seconds(classroom):
    page, student = classroom["instructor"], classroom["student"]
    box = page.locator("#id_question")
    box.fill("컨테이너를 멈추지 않고 로그를 보려면?")
    started = time.monotonic()
    box.press("Enter")
    # At once on the instructor's own page, the form emptied and still focused for the next one.
    page.locator(".qa-items .question", has_text="컨테이너를 멈추지 않고 로그를 보려면?").wait_for(timeout=2000)
    assert box.input_value() == ""
    assert page.evaluate("() => document.activeElement.id") == "id_question"
    student.locator(".qa-items .question", has_text="컨테이너를 멈추지 않고 로그를 보려면?").wait_for(timeout=5000)
    delay = time.monotonic() - started
    print(f"\nEnter → question on the student's page: {delay:.2f} s")
    question = Question.objects.get()
    assert (question.section, question.pending) == (classroom["section"], True)
    assert student.locator(f"#q-{question.pk} .badge-pending").is_visible()


def test_shift_enter_is_a_new_line_not_a_submission(classroom):
    page = classroom["instructor"]
    box = page.locator("#id_question")
    box.fill("첫 줄")
    box.press("Shift+Enter")
    box.type("둘째 줄")
    assert box.input_value() == "첫 줄\n둘째 줄"
    assert not Question.objects.exists()


def test_a_question_typed_while_offline_is_kept_and_sent_exactly_once_when_back(classroom):
    page = classroom["instructor"]
    box = page.locator("#id_question")
    box.fill("오프라인 중에 받은 질문")
    page.context.set_offline(True)
    box.press("Enter")
    page.locator("[data-outbox-status]").filter(has_text="1").wait_for(timeout=3000)
    # Kept: listed in the outbox (with an idempotency key of its own), the form free for the next one.
    assert box.input_value() == ""
    assert page.locator("[data-outbox-list] .outbox-text").all_inner_texts() == ["오프라인 중에 받은 질문"]
    pending = outbox(page)
    assert [entry["fields"]["question"] for entry in pending] == ["오프라인 중에 받은 질문"]
    assert len(pending[0]["key"]) == 36
    assert not Question.objects.exists()

    page.context.set_offline(False)
    page.locator(".qa-items .question", has_text="오프라인 중에 받은 질문").wait_for(timeout=10000)
    assert Question.objects.filter(question="오프라인 중에 받은 질문").count() == 1
    assert outbox(page) == []
    assert page.locator("[data-outbox-status]").inner_text() == ""


def test_what_is_being_typed_survives_a_reload_as_a_draft(classroom):
    page = classroom["instructor"]
    page.locator("#id_question").press_sequentially("반쯤 쓴 질문")
    page.reload()
    assert page.locator("#id_question").input_value() == "반쯤 쓴 질문"
    assert not Question.objects.exists()


def test_a_lost_response_is_retried_with_the_same_key_and_creates_one_question(classroom, logged_in_context):
    """The worst case: the server saved it but the answer never arrived. The retry must not duplicate it."""
    # The offline worker blocked: Chromium sends a worker-controlled page's requests past Playwright's
    # routes, and the worker takes over at a random moment after the first load.
    teacher = User.objects.get(username="teacher")
    page = logged_in_context(teacher, service_workers="block").new_page()
    page.goto(classroom["instructor"].url)
    lost = []

    def save_then_drop_the_response(route):
        if route.request.method == "POST" and not lost:
            route.fetch()  # the server receives and saves it...
            lost.append(route.request.headers["idempotency-key"])
            route.abort()  # ...and the browser sees a network error
        else:
            route.continue_()

    page.route("**/questions/", save_then_drop_the_response)
    page.locator("#id_question").fill("응답이 사라진 질문")
    page.locator("#id_question").press("Enter")
    page.locator(".qa-items .question", has_text="응답이 사라진 질문").wait_for(timeout=10000)
    question = Question.objects.get(question="응답이 사라진 질문")
    assert question.idempotency_key.endswith(":" + lost[0])
    assert Question.objects.count() == 1


def test_striking_a_chapter_through_shows_it_struck_on_the_students_page(classroom):
    page, student = classroom["instructor"], classroom["student"]
    # Nothing recorded yet: the curriculum is one line ("progress not recorded") the instructor opens.
    page.locator(".curriculum-unrecorded > summary").click()
    toggle = page.locator("#chapter-6 td.theory form[data-progress-toggle] button")
    toggle.click()
    page.locator("#chapter-6 td.theory del").wait_for(timeout=3000)  # at once on the instructor's page
    page.locator("#chapter-6 td.theory button[aria-pressed=true]").wait_for(timeout=3000)
    struck = student.locator("#chapter-6 td.theory del")
    struck.wait_for(timeout=5000)
    assert "line-through" in struck.evaluate("node => getComputedStyle(node).textDecorationLine")
    assert student.locator("#chapter-6 td.lab del").count() == 0
    # And back: one more click un-strikes it for everyone.
    toggle.click()
    page.locator("#chapter-6 td.theory button[aria-pressed=false]").wait_for(timeout=3000)
    struck.wait_for(state="detached", timeout=5000)


def test_editing_in_place_previews_the_markdown_and_students_see_the_answer(classroom):
    page, student = classroom["instructor"], classroom["student"]
    question = make_question(classroom["section"], "이미지 레이어 확인 방법?", "...")
    page.locator(f"#q-{question.pk} [data-edit-link]").wait_for(timeout=5000)
    page.locator(f"#q-{question.pk} [data-edit-link]").click()
    answer = page.locator("dialog textarea[name=answer]")
    answer.fill("`docker history` 로 봅니다\n\n<script>alert(1)</script>")
    page.locator("dialog .markdownx-preview code", has_text="docker history").wait_for(timeout=3000)
    assert page.locator("dialog .markdownx-preview script").count() == 0
    page.locator("dialog button[type=submit]").click()
    page.locator("dialog").wait_for(state="hidden", timeout=3000)
    student.locator(f"#q-{question.pk} .answer code", has_text="docker history").wait_for(timeout=5000)
    assert Question.objects.get(pk=question.pk).pending is False


def test_a_colleagues_save_in_between_shows_both_texts_and_the_merge_saves(classroom):
    page = classroom["instructor"]
    question = make_question(classroom["section"], "동시에 고치는 질문", "...")
    page.locator(f"#q-{question.pk} [data-edit-link]").wait_for(timeout=5000)
    page.locator(f"#q-{question.pk} [data-edit-link]").click()
    page.locator("dialog textarea[name=answer]").fill("내 답")
    colleague = Question.objects.get(pk=question.pk)
    colleague.answer = "동료 답"
    colleague.save()
    page.locator("dialog button[type=submit]").click()
    page.locator("dialog [data-conflict]").wait_for(timeout=3000)
    assert page.locator("dialog [data-theirs-answer]").inner_text() == "동료 답"
    assert page.locator("dialog [data-yours-answer]").inner_text() == "내 답"
    assert Question.objects.get(pk=question.pk).answer == "동료 답"
    page.locator("dialog textarea[name=answer]").fill("동료 답\n\n내 답")
    page.locator("dialog button[type=submit]").click()
    page.locator("dialog").wait_for(state="hidden", timeout=3000)
    assert Question.objects.get(pk=question.pk).answer == "동료 답\n\n내 답"


def test_answering_in_the_pending_queue_removes_it_and_students_see_the_answer(classroom, live_server):
    page, student = classroom["instructor"], classroom["student"]
    question = make_question(classroom["section"], "나중에 답할 질문", "...")
    student.locator(f"#q-{question.pk} .badge-pending").wait_for(timeout=5000)
    page.goto(f"{live_server.url}/pending/")
    assert page.locator("[data-nav-pending-count]").inner_text() == "1"
    page.locator(f"#pending-{question.pk} textarea[name=answer]").fill("수업 후에 채운 답")
    page.locator(f"#pending-{question.pk} button[type=submit]").click()
    page.locator(f"#pending-{question.pk}").wait_for(state="detached", timeout=3000)
    assert page.locator("[data-nav-pending-count]").inner_text() == "0"
    assert page.locator("[data-empty-queue]").is_visible()
    student.locator(f"#q-{question.pk} .answer", has_text="수업 후에 채운 답").wait_for(timeout=5000)


def open_editor(page, question):
    page.locator(f"#q-{question.pk} [data-edit-link]").wait_for(timeout=5000)
    page.locator(f"#q-{question.pk} [data-edit-link]").click()
    page.locator("dialog textarea[name=answer]").wait_for(timeout=3000)
    return page.locator("dialog textarea[name=answer]")


def test_escape_in_the_edit_dialog_keeps_the_half_written_answer_for_when_it_opens_again(classroom):
    page = classroom["instructor"]
    question = make_question(classroom["section"], "도커 네트워크 드라이버 종류는?", "...")
    answer = open_editor(page, question)
    answer.press("Control+a")
    answer.press_sequentially("bridge, host, none, overlay 그리고")
    page.keyboard.press("Escape")
    page.locator("dialog").wait_for(state="hidden", timeout=3000)
    assert Question.objects.get(pk=question.pk).answer == "..."  # closed without saving...

    page.reload()  # ...and neither Escape nor a reload threw the text away
    answer = open_editor(page, question)
    assert answer.input_value() == "bridge, host, none, overlay 그리고"
    assert page.locator("dialog [data-draft-restored]").is_visible()
    answer.press("End")
    answer.press_sequentially(" macvlan")
    page.locator("dialog button[type=submit]").click()
    page.locator("dialog").wait_for(state="hidden", timeout=3000)
    assert Question.objects.get(pk=question.pk).answer == "bridge, host, none, overlay 그리고 macvlan"

    answer = open_editor(page, question)  # saved: no draft any more
    assert answer.input_value() == "bridge, host, none, overlay 그리고 macvlan"
    assert page.locator("dialog [data-draft-restored]").count() == 0


def test_a_restored_edit_draft_can_be_discarded(classroom):
    page = classroom["instructor"]
    question = make_question(classroom["section"], "볼륨 백업 방법?", "원래 답")
    answer = open_editor(page, question)
    answer.fill("버릴 답")
    page.keyboard.press("Escape")
    answer = open_editor(page, question)
    assert answer.input_value() == "버릴 답"
    page.locator("dialog [data-draft-restored] button").click()
    assert answer.input_value() == "원래 답"
    assert page.locator("dialog [data-draft-restored]").count() == 0
    page.keyboard.press("Escape")
    answer = open_editor(page, question)
    assert answer.input_value() == "원래 답"


def test_a_restored_draft_over_a_colleagues_newer_answer_is_a_conflict_not_an_overwrite(classroom):
    page = classroom["instructor"]
    question = make_question(classroom["section"], "동시에 답한 질문", "...")
    open_editor(page, question).fill("내가 쓰다 만 답")
    page.keyboard.press("Escape")
    colleague = Question.objects.get(pk=question.pk)
    colleague.answer = "동료가 먼저 쓴 답"
    colleague.save()
    page.locator(f"#q-{question.pk} .answer", has_text="동료가 먼저 쓴 답").wait_for(timeout=5000)
    assert open_editor(page, question).input_value() == "내가 쓰다 만 답"
    page.locator("dialog button[type=submit]").click()
    page.locator("dialog [data-conflict]").wait_for(timeout=3000)
    assert Question.objects.get(pk=question.pk).answer == "동료가 먼저 쓴 답"


def test_an_instructor_on_a_question_permalink_has_working_tools(classroom, logged_in_context, live_server):
    # The permalink loaded instructor.js without outbox.js (whose helpers it needs): a page
    # error, the chapter picker's "save" button shown as without JavaScript, the move menu empty.
    question = make_question(classroom["section"], "Pod가 Pending에서 멈춰요", "- 노드 자원을 보세요.")
    make_section(classroom["cohort"], "Kubernetes")
    teacher = User.objects.get(username="teacher")
    page = logged_in_context(teacher).new_page()
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{live_server.url}/questions/{question.pk}/")
    page.wait_for_load_state("load")
    picker = page.locator("[data-chapter-form]").first
    assert picker.is_visible() and not picker.locator("[data-chapter-submit]").is_visible()
    # No sections on this page to move to: the move menu stays hidden (not an empty select).
    assert page.locator("[data-move-section-form] select").evaluate("select => select.options.length") == 0
    assert not page.locator("[data-move-section-form]").is_visible()
    assert problems == []
