"""Instructors in class: quick entry, idempotent retries, edits, moves, progress, markdown preview."""

import io
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from curriculum.models import Chapter
from mspt3.markdown import render_markdown
from qa.forms import QuickEntryForm
from qa.models import Question, Section
from tests.api.conftest import client_for
from tests.factories import cohort_version, make_cohort, make_progress, make_question, make_section, make_user

pytestmark = pytest.mark.django_db
FETCH = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}
SEOUL = ZoneInfo("Asia/Seoul")


def at(day, hour=10):
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=SEOUL), tick=False)


# --- Quick entry defaults to today's topic (curriculum.schedule) ----------------------------------


def test_quick_entry_on_automatic_files_under_todays_section_and_chapter(cohort):
    kubernetes = make_section(cohort, "Kubernetes")
    with at(date(2024, 1, 3)):
        form = QuickEntryForm({"question": "서비스 타입은?", "section": "", "chapter": ""}, cohort=cohort)
        assert form.is_valid()
    assert (form.placement.section, form.placement.chapter) == (kubernetes, Chapter.objects.get(number=10))
    # The Docker and Helm sections do not exist yet: offered, created on first use.
    assert ("new:Docker", "Docker") in form.fields["section"].choices
    assert ("new:Helm", "Helm") in form.fields["section"].choices


def test_cohort_page_shows_the_quick_entry_on_automatic_with_its_preview(teaching, cohort):
    docker = make_section(cohort, "Docker")
    with at(date(2024, 1, 1)):
        html = teaching.get(cohort.get_absolute_url()).content.decode()
    assert 'data-quick-entry' in html
    assert '<option value="" selected>' in html
    assert f'<option value="{docker.pk}">Docker</option>' in html
    assert reverse("question-placement", args=[cohort.slug]) in html


def test_cohort_page_has_no_quick_entry_for_a_student(client, student, cohort):
    client.force_login(student)
    assert "data-quick-entry" not in client.get(cohort.get_absolute_url()).content.decode()


# --- Quick entry ------------------------------------------------------------------------------------


def test_logging_a_question_returns_its_fragment_and_bumps_the_cohort_version(teaching, cohort, section, instructor):
    before = cohort_version(cohort)
    response = teaching.post(
        reverse("question-create", args=[cohort.slug]),
        {"question": "볼륨과 바인드 마운트 차이?", "section": section.pk, "chapter": "", "answer": ""},
        **FETCH,
    )
    assert response.status_code == 201
    question = Question.objects.get()
    assert (question.section, question.author, question.pending) == (section, instructor, True)
    assert f'id="q-{question.pk}"' in response.content.decode()
    assert response["X-Section-Id"] == str(section.pk)
    assert cohort_version(cohort) > before


def test_logging_with_an_answer_is_not_pending_and_renders_the_markdown(teaching, cohort, section):
    teaching.post(
        reverse("question-create", args=[cohort.slug]),
        {"question": "이미지 크기 확인?", "section": section.pk, "answer": "`docker images`"},
        **FETCH,
    )
    question = Question.objects.get()
    assert question.pending is False
    assert "<code>docker images</code>" in question.answer_html


def test_logging_into_a_missing_part_section_creates_it(teaching, cohort):
    response = teaching.post(
        reverse("question-create", args=[cohort.slug]), {"question": "Pod란?", "section": "new:Kubernetes"}, **FETCH
    )
    assert response.status_code == 201
    assert Question.objects.get().section == Section.objects.get(cohort=cohort, title="Kubernetes")


def test_quick_entry_and_the_api_put_a_new_section_after_the_last_even_after_a_deletion(teaching, instructor, cohort):
    """One rule (Section.objects.titled) for both paths: after the highest position, not the count
    (deleting the first two of three sections leaves one, at position 3)."""
    for title in ("Docker", "Kubernetes", "Helm"):
        make_section(cohort, title)
    Section.objects.filter(cohort=cohort, title__in=["Docker", "Kubernetes"]).delete()

    form = teaching.post(
        reverse("question-create", args=[cohort.slug]), {"question": "Pod란?", "section": "new:Docker"}, **FETCH
    )
    api = client_for(instructor).post(
        "/api/questions/", {"cohort": cohort.slug, "section": "Kubernetes", "question": "파드란?"}, format="json"
    )

    assert (form.status_code, api.status_code) == (201, 201)
    assert [(s.title, s.position) for s in cohort.sections.all()] == [("Helm", 3), ("Docker", 4), ("Kubernetes", 5)]


def test_a_plain_form_post_redirects_to_the_new_question(teaching, cohort, section):
    url = reverse("question-create", args=[cohort.slug])
    response = teaching.post(url, {"question": "질문?", "section": section.pk})
    question = Question.objects.get()
    assert response.status_code == 302
    assert response["Location"] == question.get_absolute_url()


@pytest.mark.parametrize(
    "data",
    [
        {"question": "", "section": "SECTION"},
        {"question": "섹션이 다른 코호트", "section": "OTHER"},
        {"question": "없는 장", "section": "SECTION", "chapter": "999"},
    ],
)
def test_bad_quick_entry_is_refused_with_the_form_and_nothing_is_saved(teaching, cohort, section, data):
    other = make_section(make_cohort(), "Docker")
    data = {k: {"SECTION": section.pk, "OTHER": other.pk}.get(v, v) for k, v in data.items()}
    before = cohort_version(cohort)
    response = teaching.post(reverse("question-create", args=[cohort.slug]), data, **FETCH)
    assert response.status_code == 400
    assert "data-edit-form" in response.content.decode()
    assert not Question.objects.exists()
    assert cohort_version(cohort) == before


# --- Idempotency ------------------------------------------------------------------------------------


def test_the_same_idempotency_key_twice_creates_one_question(teaching, cohort, section):
    url = reverse("question-create", args=[cohort.slug])
    data = {"question": "재시도해도 하나만?", "section": section.pk}
    first = teaching.post(url, data, HTTP_IDEMPOTENCY_KEY="6f1c-key", **FETCH)
    second = teaching.post(url, data, HTTP_IDEMPOTENCY_KEY="6f1c-key", **FETCH)
    assert (first.status_code, second.status_code) == (201, 200)
    assert Question.objects.count() == 1
    assert first["X-Question-Id"] == second["X-Question-Id"]


def test_different_keys_are_different_questions(teaching, cohort, section):
    url = reverse("question-create", args=[cohort.slug])
    for key in ("key-a", "key-b"):
        teaching.post(url, {"question": "같은 질문", "section": section.pk}, HTTP_IDEMPOTENCY_KEY=key, **FETCH)
    assert Question.objects.count() == 2


def test_idempotency_keys_are_scoped_per_user(client, cohort, section, instructor):
    colleague = make_user("colleague")
    cohort.memberships.create(user=colleague, role="instructor")
    url = reverse("question-create", args=[cohort.slug])
    for user in (instructor, colleague):
        client.force_login(user)
        response = client.post(url, {"question": "같은 키", "section": section.pk}, HTTP_IDEMPOTENCY_KEY="k1", **FETCH)
        assert response.status_code == 201
    assert Question.objects.count() == 2


def test_an_unusable_idempotency_key_is_refused(teaching, cohort, section):
    response = teaching.post(
        reverse("question-create", args=[cohort.slug]),
        {"question": "키가 너무 김", "section": section.pk},
        HTTP_IDEMPOTENCY_KEY="x" * 200,
    )
    assert response.status_code == 400
    assert not Question.objects.exists()


# --- Editing, answering, conflicts ------------------------------------------------------------------


def test_editing_saves_over_the_loaded_revision_and_returns_the_fragment(teaching, section):
    question = make_question(section, "오타가 잇는 질문", "...")
    response = teaching.post(
        reverse("question-edit", args=[question.pk]),
        {"question": "오타가 있는 질문", "answer": "답변", "chapter": "", "revision": question.revision},
        **FETCH,
    )
    assert response.status_code == 200
    question.refresh_from_db()
    assert (question.question, question.answer, question.pending) == ("오타가 있는 질문", "답변", False)
    assert "답변" in response.content.decode()


def test_the_edit_form_carries_the_revision(teaching, section):
    question = make_question(section, "질문", "")
    html = teaching.get(reverse("question-edit", args=[question.pk]), **FETCH).content.decode()
    assert f'name="revision" value="{question.revision}"' in html


def test_a_stale_edit_is_refused_with_both_texts_and_a_merge_form(teaching, section):
    question = make_question(section, "질문", "")
    loaded = question.revision
    colleague_copy = Question.objects.get(pk=question.pk)
    colleague_copy.answer = "동료가 먼저 쓴 답"
    colleague_copy.save()
    response = teaching.post(
        reverse("question-edit", args=[question.pk]),
        {"question": "질문", "answer": "내가 쓴 답", "chapter": "", "revision": loaded},
        **FETCH,
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "동료가 먼저 쓴 답" in html and "내가 쓴 답" in html
    # The merge form is based on the stored revision and pre-filled with my text.
    assert f'name="revision" value="{colleague_copy.revision}"' in html
    assert re.search(r'<textarea name="answer"[^>]*>\s*내가 쓴 답</textarea>', html)
    assert Question.objects.get(pk=question.pk).answer == "동료가 먼저 쓴 답"


def test_a_stale_edit_without_javascript_gets_the_conflict_page(teaching, section):
    question = make_question(section, "질문", "")
    loaded = question.revision
    question.save()
    response = teaching.post(
        reverse("question-answer", args=[question.pk]), {"answer": "내 답", "revision": loaded}
    )
    assert response.status_code == 409
    assert "<h1>" in response.content.decode()


def test_answering_from_the_pending_queue_returns_to_it(teaching, section):
    question = make_question(section, "질문", "...")
    response = teaching.post(
        reverse("question-answer", args=[question.pk]),
        {"answer": "이제 답함", "revision": question.revision, "next": "/pending/"},
    )
    assert response.status_code == 302 and response["Location"] == "/pending/"
    assert Question.objects.get(pk=question.pk).pending is False


def test_an_offsite_next_is_ignored(teaching, section):
    question = make_question(section, "질문", "...")
    response = teaching.post(
        reverse("question-answer", args=[question.pk]),
        {"answer": "답", "revision": question.revision, "next": "https://evil.example/"},
    )
    assert response["Location"] == question.get_absolute_url()


def test_an_edit_without_a_revision_is_refused_and_changes_nothing(teaching, section):
    question = make_question(section, "질문", "")
    response = teaching.post(reverse("question-answer", args=[question.pk]), {"answer": "답"}, **FETCH)
    assert response.status_code == 400
    assert Question.objects.get(pk=question.pk).answer == ""


# --- Reordering and moving ----------------------------------------------------------------------------


def test_moving_up_and_down_swaps_with_the_neighbour(teaching, section):
    first, second, third = (make_question(section, f"Q{n}") for n in (1, 2, 3))
    teaching.post(reverse("question-move", args=[third.pk]), {"direction": "up"}, **FETCH)
    assert list(section.questions.order_by("position").values_list("question", flat=True)) == ["Q1", "Q3", "Q2"]
    teaching.post(reverse("question-move", args=[first.pk]), {"direction": "down"}, **FETCH)
    assert list(section.questions.order_by("position").values_list("question", flat=True)) == ["Q3", "Q1", "Q2"]


def test_moving_the_first_question_up_changes_nothing(teaching, section):
    first = make_question(section, "Q1")
    make_question(section, "Q2")
    revision = first.revision
    assert teaching.post(reverse("question-move", args=[first.pk]), {"direction": "up"}, **FETCH).status_code == 200
    first.refresh_from_db()
    assert first.revision == revision


def test_moving_to_another_section_puts_it_last_there_and_keeps_its_text(teaching, cohort, section):
    kubernetes = make_section(cohort, "Kubernetes")
    make_question(kubernetes, "K1")
    question = make_question(section, "옮길 질문", "답")
    before = cohort_version(cohort)
    teaching.post(reverse("question-move", args=[question.pk]), {"section": kubernetes.pk}, **FETCH)
    question.refresh_from_db()
    assert question.section == kubernetes
    assert list(kubernetes.questions.order_by("position").values_list("question", flat=True)) == ["K1", "옮길 질문"]
    assert (question.question, question.answer) == ("옮길 질문", "답")
    assert cohort_version(cohort) > before


def test_moving_to_a_section_of_another_cohort_is_refused(teaching, section):
    question = make_question(section, "질문")
    foreign = make_section(make_cohort(instructors=[]), "Docker")
    response = teaching.post(reverse("question-move", args=[question.pk]), {"section": foreign.pk})
    assert response.status_code == 400
    assert Question.objects.get(pk=question.pk).section == section


def test_a_move_without_direction_or_section_is_refused(teaching, section):
    question = make_question(section, "질문")
    assert teaching.post(reverse("question-move", args=[question.pk]), {}).status_code == 400


def test_the_cohort_page_shows_a_struck_chapter_to_students(client, cohort, student):
    make_progress(cohort, 6, theory=True)
    client.force_login(student)
    assert "<del>[Book] 06_Dockerfile_BestPractice</del>" in client.get(cohort.get_absolute_url()).content.decode()


# --- The markdownx endpoints ---------------------------------------------------------------------------


def test_markdown_preview_renders_through_the_sites_sanitising_renderer(teaching):
    source = "**굵게**\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))"
    response = teaching.post("/markdownx/markdownify/", {"content": source})
    html = response.content.decode()
    assert response.status_code == 200
    assert html == render_markdown(source)
    assert "<strong>굵게</strong>" in html and "<script" not in html and "javascript:" not in html


def test_markdown_preview_without_content_is_a_clear_400(teaching):
    response = teaching.post("/markdownx/markdownify/", {})
    assert response.status_code == 400


@pytest.mark.parametrize("url", ["/markdownx/markdownify/", "/markdownx/upload/"])
def test_markdownx_endpoints_refuse_students_and_send_visitors_to_log_in(client, student, url):
    assert client.post(url, {"content": "x"})["Location"].startswith("/accounts/login/")
    client.force_login(student)
    assert client.post(url, {"content": "x"}).status_code == 403


def test_an_instructor_can_upload_an_image_through_markdownx(teaching, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, "PNG")
    png = buffer.getvalue()
    response = teaching.post(
        "/markdownx/upload/",
        {"image": SimpleUploadedFile("board.png", png, content_type="image/png")},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )
    assert response.status_code == 200
    assert response.json()["image_code"].startswith("![](")
    assert list(tmp_path.rglob("*.png"))


# --- Offline copy of the cohort page -----------------------------------------------------------------


def test_the_offline_worker_is_served_from_the_root_as_javascript_and_always_revalidated(client):
    response = client.get(reverse("offline-worker"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    assert 'request.method !== "GET"' in body and "mspt3-offline" in body  # serves kept GETs only
    assert client.post(reverse("offline-worker")).status_code == 405


def test_the_quick_entry_keeps_its_outbox_and_draft_per_user(teaching, cohort, instructor):
    html = teaching.get(cohort.get_absolute_url()).content.decode()
    assert f'data-outbox-key="mspt3:outbox:{instructor.pk}"' in html
    assert f'data-draft-key="mspt3:draft:{instructor.pk}:{cohort.slug}"' in html
    assert 'data-offline-scope="/cohorts/"' in html and "js/quick_entry.js" in html
