"""Triage from the pages (cohort page and /pending/), undo within the session, "that answers it",
and the projector view with its QR code and "now answering", for each role."""

import pytest
from django.test import Client
from django.urls import reverse

from asking import actions
from asking.models import Deflection, StudentQuestion, Vote
from asking.participants import user_key
from qa.models import Question
from room.models import NowAnswering
from tests.factories import cohort_version, make_cohort, make_question, make_section, make_user
from tests.room.room_support import as_participant, client_for, xhr

pytestmark = pytest.mark.django_db


@pytest.fixture
def room():
    teacher, student, other = make_user("teacher"), make_user("student"), make_user("other")
    cohort = make_cohort("MSP T3 - 교실", instructors=[teacher], students=[student, other])
    docker = make_section(cohort, "Docker")
    make_section(cohort, "Kubernetes")
    asked = actions.ask(cohort, as_participant(student), "도커 볼륨은 어디에 저장되나요?")
    return {"cohort": cohort, "teacher": teacher, "student": student, "other": other, "docker": docker,
            "asked": asked}


def test_accept_with_an_answer_from_the_page_makes_an_answered_notes_question(room):
    response = xhr(client_for(room["teacher"]), reverse("student-question-accept", args=[room["asked"].pk]),
                   {"section": room["docker"].pk, "answer": "- `/var/lib/docker/volumes`"})
    assert response.status_code == 200 and response.json()["done"] == "accept"
    room["asked"].refresh_from_db()
    question = room["asked"].question
    assert room["asked"].status == "accepted" and question.section == room["docker"] and not question.pending
    live = client_for(room["student"]).get(reverse("cohort-live", args=[room["cohort"].slug])).json()
    assert 'data-status="answered"' in live["viewer"] and live["state"]["notices"][0]["asked"] is True


def test_accept_without_an_answer_is_pending_and_the_asker_sees_it_coming(room):
    client = client_for(room["teacher"])
    assert xhr(client, reverse("student-question-accept", args=[room["asked"].pk]), {}).status_code == 200
    room["asked"].refresh_from_db()
    assert room["asked"].question.pending
    page = client_for(room["student"]).get(reverse("cohort", args=[room["cohort"].slug])).content.decode()
    assert 'data-status="accepted"' in page
    # Answered later from the pending queue: the asker hears back.
    pending = client.get(reverse("pending")).content.decode()
    assert f"pending-{room['asked'].question.pk}" in pending


def test_answer_directly_needs_an_answer_and_writes_nothing_without_one(room):
    client = client_for(room["teacher"])
    before = cohort_version(room["cohort"])
    refused = xhr(client, reverse("student-question-answer", args=[room["asked"].pk]), {"answer": "  "})
    assert refused.status_code == 400 and "errorlist" in refused.content.decode()
    room["asked"].refresh_from_db()
    assert room["asked"].status == "open" and not Question.objects.filter(question=room["asked"].text).exists()
    assert cohort_version(room["cohort"]) == before
    done = xhr(client, reverse("student-question-answer", args=[room["asked"].pk]), {"answer": "- 답입니다"})
    assert done.status_code == 200
    room["asked"].refresh_from_db()
    assert room["asked"].status == "accepted" and room["asked"].question.answer == "- 답입니다"


def test_merge_into_a_notes_question_and_into_a_classmates_question(room):
    client = client_for(room["teacher"])
    earlier = make_question(room["docker"], "볼륨 위치?", "- /var/lib/docker/volumes")
    merged = xhr(client, reverse("student-question-merge", args=[room["asked"].pk]), {"into": f"q:{earlier.pk}"})
    assert merged.status_code == 200
    room["asked"].refresh_from_db()
    assert room["asked"].status == "merged" and room["asked"].question == earlier
    duplicate = actions.ask(room["cohort"], as_participant(room["other"]), "볼륨은 어디 있나요?")
    target = actions.ask(room["cohort"], as_participant(room["student"]), "볼륨 저장 위치가 궁금해요")
    into_classmate = {"into": f"s:{target.pk}"}
    assert xhr(client, reverse("student-question-merge", args=[duplicate.pk]), into_classmate).status_code == 200
    assert Vote.objects.filter(student_question=target, voter=user_key(room["other"])).exists()


def test_merge_into_nothing_is_refused_and_changes_nothing(room):
    client = client_for(room["teacher"])
    for into in ("", "q:999999", "x:1", "q:abc"):
        response = xhr(client, reverse("student-question-merge", args=[room["asked"].pk]), {"into": into})
        assert response.status_code == 400, into
    room["asked"].refresh_from_db()
    assert room["asked"].status == "open"


def test_undo_within_the_session_reopens_newest_first_and_another_session_has_nothing_to_undo(room):
    client = client_for(room["teacher"])
    second = actions.ask(room["cohort"], as_participant(room["other"]), "두 번째 질문")
    xhr(client, reverse("student-question-dismiss", args=[room["asked"].pk]), {"reason": "중복"})
    xhr(client, reverse("student-question-accept", args=[second.pk]), {"answer": "- 답"})
    made = StudentQuestion.objects.get(pk=second.pk).question
    assert client_for(room["teacher"]).post(reverse("student-question-undo"),
                                            HTTP_X_REQUESTED_WITH="XMLHttpRequest").status_code == 409
    first_undo = xhr(client, reverse("student-question-undo"))
    assert first_undo.json()["id"] == second.pk
    assert StudentQuestion.objects.get(pk=second.pk).status == "open"
    assert not Question.objects.filter(pk=made.pk).exists()
    assert xhr(client, reverse("student-question-undo")).json()["id"] == room["asked"].pk
    room["asked"].refresh_from_db()
    assert room["asked"].status == "open" and room["asked"].dismiss_reason == ""
    assert xhr(client, reverse("student-question-undo")).status_code == 409


def test_only_the_cohorts_instructors_and_staff_may_triage(room):
    other_teacher = make_user("elsewhere")
    make_cohort(instructors=[other_teacher])
    url = reverse("student-question-dismiss", args=[room["asked"].pk])
    for user in (room["student"], room["other"], other_teacher):
        assert xhr(client_for(user), url).status_code == 403
    assert Client().post(url).status_code == 403
    room["asked"].refresh_from_db()
    assert room["asked"].status == "open"
    assert xhr(client_for(make_user("boss", staff=True)), url).status_code == 200


def test_triage_without_javascript_redirects_back_with_a_message(room):
    response = client_for(room["teacher"]).post(
        reverse("student-question-dismiss", args=[room["asked"].pk]), {"next": "/pending/"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/pending/" and "닫았습니다." in response.content.decode()
    room["asked"].refresh_from_db()
    assert room["asked"].status == "dismissed"


def test_the_pending_queue_lists_open_class_questions_of_the_cohorts_taught_only(room):
    elsewhere = make_cohort(instructors=[make_user()])
    hidden = actions.ask(elsewhere, as_participant(elsewhere.memberships.get().user), "다른 반 질문")
    html = client_for(room["teacher"]).get(reverse("pending")).content.decode()
    assert f'id="sq-{room["asked"].pk}"' in html and "data-triage" in html
    assert f'id="sq-{hidden.pk}"' not in html


def test_that_answers_it_is_counted_once_per_participant_and_sends_nothing(room):
    other_cohort = make_cohort(public=True)
    earlier = make_question(make_section(other_cohort), "볼륨은 어디에?", "- 여기")
    url = reverse("cohort-answered-before", args=[room["cohort"].slug])
    client = client_for(room["other"])
    assert xhr(client, url, {"question": earlier.pk}).json() == {"question": earlier.pk, "count": 1}
    assert xhr(client, url, {"question": earlier.pk}).json()["count"] == 1
    assert xhr(client_for(room["student"]), url, {"question": earlier.pk}).json()["count"] == 2
    # One home: the page counts through asking.actions into asking.Deflection, like the API.
    assert Deflection.objects.filter(cohort=room["cohort"], question=earlier).count() == 2
    assert StudentQuestion.objects.count() == 1
    private = make_question(make_section(make_cohort(public=False)), "비공개", "- 답")
    assert xhr(client, url, {"question": private.pk}).status_code == 400
    assert xhr(client, url, {"question": "abc"}).status_code == 400


def test_that_answers_it_is_refused_to_who_may_not_ask(room):
    """The page used to count anyone who could read the cohort (room's own copy skipped can_ask)."""
    earlier = make_question(room["docker"], "볼륨은 어디에?", "- 여기")
    url = reverse("cohort-answered-before", args=[room["cohort"].slug])
    assert not room["cohort"].open_asking
    assert xhr(Client(), url, {"question": earlier.pk}).status_code == 403
    assert not Deflection.objects.exists()


# --- The projector ----------------------------------------------------------


def present_url(cohort):
    return reverse("cohort-present", args=[cohort.slug])


def test_the_projector_shows_open_questions_by_votes_and_the_chapter(room):
    popular = actions.ask(room["cohort"], as_participant(room["other"]), "인기 질문")
    actions.vote(popular, as_participant(room["student"]))
    html = client_for(room["teacher"]).get(present_url(room["cohort"])).content.decode()
    assert html.index("인기 질문") < html.index("도커 볼륨은 어디에 저장되나요?")
    assert "present-chapter" in html and "CH01" in html
    assert "<svg" in html and room["cohort"].invite_token in html  # the instructor's join QR
    assert "data-present-controls" in html


def test_the_projector_never_shows_the_invite_token_to_others(room):
    for client in (client_for(room["student"]), Client()):
        html = client.get(present_url(room["cohort"])).content.decode()
        assert room["cohort"].invite_token not in html and "data-present-controls" not in html
    room["cohort"].open_asking = True
    room["cohort"].save()
    html = Client().get(present_url(room["cohort"])).content.decode()
    assert "<svg" in html and f"{room['cohort'].get_absolute_url()}#ask" in html


def test_a_private_cohorts_projector_is_404_to_outsiders(room):
    private = make_cohort(public=False, instructors=[make_user()])
    assert Client().get(present_url(private)).status_code == 404
    assert client_for(room["student"]).get(present_url(private)).status_code == 404


def test_marking_now_answering_is_the_instructors_and_moves_the_projectors_etag(room):
    cohort, asked = room["cohort"], room["asked"]
    client = client_for(room["teacher"])
    live = client.get(present_url(cohort) + "?live=1")
    etag = live["ETag"]
    assert client.get(present_url(cohort) + "?live=1", HTTP_IF_NONE_MATCH=etag).status_code == 304
    mark = reverse("cohort-now-answering", args=[cohort.slug])
    assert xhr(client_for(room["student"]), mark, {"question": asked.pk}).status_code == 403
    assert NowAnswering.of(cohort) is None
    assert xhr(client, mark, {"question": asked.pk}).json() == {"question": asked.pk}
    assert NowAnswering.of(cohort) == asked
    changed = client.get(present_url(cohort) + "?live=1", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and f'data-now-id="{asked.pk}"' in changed.json()["html"]
    # Its answer appears once written.
    actions.accept(asked, room["teacher"], answer="- 볼륨 디렉터리에 있습니다")
    assert "볼륨 디렉터리에 있습니다" in client.get(present_url(cohort) + "?live=1").json()["html"]
    assert xhr(client, mark, {"question": ""}).json() == {"question": None}
    assert NowAnswering.of(cohort) is None


def test_marking_a_question_of_another_cohort_is_404_and_changes_nothing(room):
    elsewhere = make_cohort(instructors=[make_user()])
    theirs = actions.ask(elsewhere, as_participant(elsewhere.memberships.get().user), "다른 반")
    client = client_for(room["teacher"])
    mark = reverse("cohort-now-answering", args=[room["cohort"].slug])
    assert xhr(client, mark, {"question": theirs.pk}).status_code == 404
    assert xhr(client, mark, {"question": "abc"}).status_code == 404
    assert NowAnswering.of(room["cohort"]) is None


def test_the_nav_pending_count_includes_the_open_class_questions_of_the_cohorts_taught(room):
    """Two pending answers in the notes and one open class question (the fixture's): the nav says 3,
    and its title tells them apart; another cohort's open question is not counted."""
    make_question(room["docker"], "답 없는 질문 1")
    make_question(room["docker"], "답 없는 질문 2")
    elsewhere = make_cohort(instructors=[make_user()])
    actions.ask(elsewhere, as_participant(elsewhere.memberships.get().user), "다른 반 질문")
    html = client_for(room["teacher"]).get(reverse("pending")).content.decode()
    assert "data-nav-pending-count>3<" in html
    assert 'title="답변 대기 2개 · 수강생 질문 1개"' in html
    actions.dismiss(room["asked"], room["teacher"])
    assert "data-nav-pending-count>2<" in client_for(room["teacher"]).get(reverse("pending")).content.decode()
