"""The admin index's "recent actions" (Django's LogEntry, which keeps each object's title as
it was): an instructor sees only entries for rows they may still open (courses.admin_site)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import Membership
from tests.factories import make_cohort, make_section

pytestmark = pytest.mark.django_db


def add_in_admin(client, section, text):
    response = client.post("/admin/qa/question/add/", {"section": section.pk, "position": 1, "question": text,
                                                       "answer": "...", "chapter": ""})
    assert response.status_code == 302


def recent_actions(client):
    page = client.get("/admin/")
    assert page.status_code == 200
    return page.text.split('id="recent-actions-module"')[1]


def test_an_instructor_removed_from_a_cohort_no_longer_sees_its_titles_in_recent_actions(
    teaching, instructor, cohort, section
):
    kept = make_section(make_cohort("MSP T3 - 계속 가르치는 반", public=False, instructors=[instructor]), "Helm")
    add_in_admin(teaching, section, "떠난 반의 비밀 질문")
    add_in_admin(teaching, kept, "남은 반의 질문")
    before = recent_actions(teaching)
    assert "떠난 반의 비밀 질문" in before and "남은 반의 질문" in before

    Membership.objects.filter(cohort=cohort, user=instructor).delete()

    after = recent_actions(teaching)
    assert "떠난 반의 비밀 질문" not in after
    assert "남은 반의 질문" in after


def test_recent_actions_cost_the_same_queries_however_many_entries(teaching, instructor, section):
    add_in_admin(teaching, section, "첫 질문")
    with CaptureQueriesContext(connection) as one:
        recent_actions(teaching)
    for n in range(6):
        add_in_admin(teaching, section, f"질문 {n}")
    with CaptureQueriesContext(connection) as seven:
        assert "질문 5" in recent_actions(teaching)
    assert len(seven) == len(one)


def test_staff_keep_every_entry_of_their_own(client, staff, section):
    client.force_login(staff)
    add_in_admin(client, section, "스태프가 쓴 질문")
    assert "스태프가 쓴 질문" in recent_actions(client)


def test_a_deleted_rows_entry_is_hidden_since_its_cohort_is_unknown(teaching, section):
    add_in_admin(teaching, section, "지운 질문")
    question = section.questions.get(question="지운 질문")
    assert teaching.post(f"/admin/qa/question/{question.pk}/delete/", {"post": "yes"}).status_code == 302
    assert "지운 질문" not in recent_actions(teaching)
