"""The admin refuses to save a question over a newer revision, shows both texts, and keeps working."""

import pytest
from django.urls import reverse

from curriculum.models import Progress
from qa.models import Question
from tests.factories import make_progress, make_question

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, staff):
    client.force_login(staff)
    return client


def change_data(existing, **overrides):
    data = {
        "section": existing.section_id,
        "position": existing.position,
        "question": existing.question,
        "answer": existing.answer,
        "chapter": "",
        "author": "",
        "loaded_revision": existing.revision,
    }
    data.update(overrides)
    return data


def test_the_change_form_carries_the_revision_it_was_loaded_at(admin_client, section):
    question = make_question(section, "질문", "")
    html = admin_client.get(reverse("admin:qa_question_change", args=[question.pk])).content.decode()
    assert f'name="loaded_revision" value="{question.revision}"' in html


def test_a_current_edit_saves(admin_client, section):
    question = make_question(section, "질문", "")
    url = reverse("admin:qa_question_change", args=[question.pk])
    response = admin_client.post(url, change_data(question, answer="관리자 답"))
    assert response.status_code == 302
    assert Question.objects.get(pk=question.pk).answer == "관리자 답"


def test_a_stale_edit_is_refused_with_both_texts_and_a_form_ready_to_merge(admin_client, section):
    question = make_question(section, "질문", "")
    stale = change_data(question, answer="관리자가 쓴 답")
    colleague = Question.objects.get(pk=question.pk)
    colleague.answer = "강사가 수업 중에 쓴 답"
    colleague.save()
    url = reverse("admin:qa_question_change", args=[question.pk])

    response = admin_client.post(url, stale)
    html = response.content.decode()
    assert response.status_code == 200  # the form again, with the error
    assert "강사가 수업 중에 쓴 답" in html and "관리자가 쓴 답" in html
    assert Question.objects.get(pk=question.pk).answer == "강사가 수업 중에 쓴 답"
    # The redisplayed form now carries the stored revision: saving the merge goes through.
    assert f'name="loaded_revision" value="{colleague.revision}"' in html
    merged = change_data(Question.objects.get(pk=question.pk), answer="강사가 수업 중에 쓴 답\n\n관리자 보충")
    assert admin_client.post(url, merged).status_code == 302
    assert Question.objects.get(pk=question.pk).answer.endswith("관리자 보충")


def test_adding_a_question_in_the_admin_still_works(admin_client, section):
    data = change_data(make_question(section, "기존", ""), question="관리자가 추가", loaded_revision="")
    response = admin_client.post(reverse("admin:qa_question_add"), data)
    assert response.status_code == 302
    assert Question.objects.filter(question="관리자가 추가").exists()


def test_the_pending_filter_lists_only_pending_questions(admin_client, section):
    make_question(section, "대기 질문", "...")
    make_question(section, "답한 질문", "답")
    html = admin_client.get(reverse("admin:qa_question_changelist") + "?pending__exact=1").content.decode()
    assert "대기 질문" in html and "답한 질문" not in html


def test_bulk_action_marks_selected_chapters_completed_with_who_and_when(admin_client, staff, cohort):
    no_lab = make_progress(cohort, 1)
    half_done = make_progress(cohort, 6, lab=True)
    untouched = make_progress(cohort, 7)
    lab_time = half_done.lab_done_at
    response = admin_client.post(
        reverse("admin:curriculum_progress_changelist"),
        {"action": "mark_completed", "_selected_action": [no_lab.pk, half_done.pk]},
    )
    assert response.status_code == 302
    no_lab, half_done, untouched = (Progress.objects.get(pk=p.pk) for p in (no_lab, half_done, untouched))
    assert (no_lab.theory_done, no_lab.theory_done_by, no_lab.lab_done) == (True, staff, False)  # chapter 1 has no lab
    assert (half_done.theory_done, half_done.lab_done_at) == (True, lab_time)  # the lab keeps its first time
    assert not untouched.theory_done
