"""The instructor's admin (courses.admin_site): what an instructor who is not staff sees and
saves there, beyond the matrix in tests/security/test_admin_matrix.py."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from curriculum.models import Progress
from qa.models import Question
from tests.factories import make_cohort, make_progress, make_question, make_section, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_cohort(db):
    other = make_cohort("남의 코호트", public=False, instructors=[make_user("someone-else")])
    make_question(make_section(other, "Kubernetes"), "남의 질문", "...")
    return other


def test_the_index_offers_an_instructor_questions_sections_progress_and_schedule_only(teaching, other_cohort):
    page = teaching.get("/admin/")
    assert page.status_code == 200
    models = {(app["app_label"], model["object_name"]) for app in page.context["app_list"] for model in app["models"]}
    assert models == {("qa", "Question"), ("qa", "Section"), ("curriculum", "Progress"),
                      ("curriculum", "ScheduleDay")}
    assert teaching.get("/admin/auth/").status_code == 404
    assert teaching.get("/admin/courses/").status_code == 404


def test_no_filter_or_choice_names_a_cohort_the_instructor_does_not_teach(teaching, cohort, section, other_cohort):
    make_question(section, "내 질문", "...")
    for url in ["/admin/qa/question/", "/admin/qa/section/", "/admin/curriculum/progress/add/",
                "/admin/curriculum/scheduleday/add/", "/admin/qa/section/add/"]:
        page = teaching.get(url)
        assert page.status_code == 200, url
        assert "남의 코호트" not in page.text, url
    progress_form = teaching.get("/admin/curriculum/progress/add/").context["adminform"].form
    assert list(progress_form.fields["cohort"].queryset) == [cohort]


def test_a_question_added_by_an_instructor_is_theirs_and_pending_until_answered(teaching, instructor, section):
    response = teaching.post(
        "/admin/qa/question/add/",
        {"section": section.pk, "position": 3, "question": "수업 중 질문 (CH08)", "answer": "...", "chapter": "",
         "author": make_user("not-me").pk},
    )
    assert response.status_code == 302
    question = Question.objects.get(question="수업 중 질문 (CH08)")
    assert (question.author, question.pending, question.chapter.number) == (instructor, True, 8)
    pending = teaching.get("/admin/qa/question/?pending__exact=1").context["cl"].result_list
    assert list(pending) == [question]


def test_progress_struck_through_in_the_admin_records_the_instructor(teaching, instructor, cohort):
    progress = make_progress(cohort, 3)
    response = teaching.post(
        f"/admin/curriculum/progress/{progress.pk}/change/",
        {"cohort": cohort.pk, "chapter": progress.chapter_id, "theory_done_at_0": "2024-01-02",
         "theory_done_at_1": "09:30:00", "lab_done_at_0": "", "lab_done_at_1": ""},
    )
    assert response.status_code == 302
    progress.refresh_from_db()
    assert progress.theory_done_by == instructor and progress.lab_done_by is None


def test_a_section_with_its_questions_saves_for_its_instructor(teaching, section):
    question = make_question(section, "섹션 안 질문", "...")
    page = teaching.get(f"/admin/qa/section/{section.pk}/change/")
    assert page.status_code == 200
    data = {"cohort": section.cohort_id, "title": "Docker 기초", "heading": "## Docker 기초", "position": 1}
    for formset in page.context["inline_admin_formsets"]:
        fs = formset.formset
        for name in fs.management_form.fields:
            data[f"{fs.prefix}-{name}"] = fs.management_form[name].value()
        for i, form in enumerate(fs.forms):
            for name in form.fields:
                value = form[name].value()
                if value not in (None, False):
                    data[f"{fs.prefix}-{i}-{name}"] = value
    questions = next(f.formset for f in page.context["inline_admin_formsets"] if f.formset.model is Question)
    data[f"{questions.prefix}-0-answer"] = "- 인라인에서 답함"
    response = teaching.post(f"/admin/qa/section/{section.pk}/change/", data)
    assert response.status_code == 302, response.context and response.context["errors"]
    section.refresh_from_db()
    question.refresh_from_db()
    assert section.title == "Docker 기초" and question.answer == "- 인라인에서 답함" and not question.pending


def test_a_section_cannot_be_moved_into_a_cohort_the_instructor_does_not_teach(teaching, section, other_cohort):
    response = teaching.post(
        f"/admin/qa/section/{section.pk}/change/",
        {"cohort": other_cohort.pk, "title": "Docker", "heading": "## Docker", "position": 1,
         "questions-TOTAL_FORMS": 0, "questions-INITIAL_FORMS": 0, "extras-TOTAL_FORMS": 0,
         "extras-INITIAL_FORMS": 0},
    )
    assert response.status_code == 200 and "cohort" in response.context["adminform"].form.errors
    section.refresh_from_db()
    assert section.cohort_id != other_cohort.pk


def test_model_permissions_given_to_a_non_staff_instructor_open_nothing_more(teaching, instructor, cohort):
    instructor.user_permissions.add(*Permission.objects.filter(codename__in=["view_user", "change_cohort"]))
    assert teaching.get("/admin/auth/user/").status_code == 403
    assert teaching.get(f"/admin/courses/cohort/{cohort.pk}/change/").status_code == 403


def test_instructors_sign_in_on_the_admin_login_page_and_students_are_told_no(client, instructor, student, cohort):
    refused = client.post("/admin/login/?next=/admin/", {"username": "student", "password": "pw-for-tests-only"})
    assert refused.status_code == 200 and "스태프 또는 강사 계정" in refused.text  # the site's default language
    refused = client.post("/admin/login/?next=/admin/", {"username": "student", "password": "pw-for-tests-only"},
                          headers={"accept-language": "en"})
    assert "staff or instructor account" in refused.text
    assert "_auth_user_id" not in client.session
    signed_in = client.post("/admin/login/?next=/admin/", {"username": "instructor", "password": "pw-for-tests-only"})
    assert signed_in.status_code == 302 and signed_in["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_staff_still_get_django_redirect_for_a_missing_question(admin_client_staff):
    response = admin_client_staff.get("/admin/qa/question/999999/change/")
    assert response.status_code == 302 and re.match(r"^/admin/", response["Location"])


@pytest.fixture
def admin_client_staff(client, staff):
    client.force_login(staff)
    return client


def test_the_admin_editor_keeps_its_preview_and_upload_for_an_instructor(teaching, section):
    question = make_question(section, "편집기", "...")
    page = teaching.get(f"/admin/qa/question/{question.pk}/change/")
    assert 'data-markdownx-urls-path="/markdownx/markdownify/"' in page.text
    assert 'data-markdownx-upload-urls-path="/markdownx/upload/"' in page.text
    # A stored question's pasted images go to its cohort's upload, which the policy guards.
    assert f'data-image-upload-url="{reverse("cohort-image-upload", args=[section.cohort.slug])}"' in page.text
    assert "data-image-upload-url" not in teaching.get("/admin/qa/question/add/").text
    assert Progress.objects.count() == 0  # opening a page writes nothing
