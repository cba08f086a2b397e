"""The class's questions on the cohort page, for each role: the ask box, the list, votes, the
viewer's own part in the live payload, and what is never shown to whom."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from asking import actions
from asking.models import StudentQuestion, Vote
from asking.participants import user_key
from tests.factories import cohort_version, make_cohort, make_section, make_user
from tests.room.room_support import as_participant, client_for, xhr

pytestmark = pytest.mark.django_db


def page_of(client, cohort):
    return client.get(reverse("cohort", args=[cohort.slug]))


@pytest.fixture
def room():
    teacher, student, other = make_user("teacher"), make_user("student"), make_user("other")
    cohort = make_cohort("MSP T3 - 교실", instructors=[teacher], students=[student, other])
    make_section(cohort, "Docker")
    return cohort, teacher, student, other


def test_a_student_gets_the_ask_box_and_the_class_list(room):
    cohort, _teacher, student, other = room
    actions.ask(cohort, as_participant(other), "볼륨은 어디에 저장되나요?", nickname="민수")
    html = page_of(client_for(student), cohort).content.decode()
    assert 'data-ask-form' in html and reverse("cohort-ask", args=[cohort.slug]) in html
    assert "볼륨은 어디에 저장되나요?" in html and "민수" in html
    assert 'id="class-questions"' in html
    assert "data-triage" not in html  # no triage tools for a student


def test_anonymous_on_a_public_cohort_without_open_asking_reads_but_cannot_ask(room):
    cohort, _teacher, _student, other = room
    actions.ask(cohort, as_participant(other), "포트 매핑이 안 돼요")
    response = page_of(Client(), cohort)
    html = response.content.decode()
    assert response.status_code == 200 and "포트 매핑이 안 돼요" in html
    assert "data-ask-form" not in html
    assert Client().post(reverse("cohort-ask", args=[cohort.slug]), {"text": "몰래 질문"}).status_code == 403
    assert not StudentQuestion.objects.filter(text="몰래 질문").exists()


def test_anonymous_with_open_asking_asks_with_a_participant_cookie_and_sees_it_as_theirs(room):
    cohort, _teacher, _student, _other = room
    cohort.open_asking = True
    cohort.save()
    visitor = Client()
    html = page_of(visitor, cohort).content.decode()
    assert "data-ask-form" in html
    response = xhr(visitor, reverse("cohort-ask", args=[cohort.slug]), {"text": "익명 질문입니다", "nickname": "손님"})
    assert response.status_code == 201, response.content
    asked = StudentQuestion.objects.get(pk=response.json()["id"])
    assert asked.author is None and asked.participant.startswith("p:") and asked.nickname == "손님"
    assert "mspt3_participant" in response.cookies
    live = visitor.get(reverse("cohort-live", args=[cohort.slug])).json()
    assert "익명 질문입니다" in live["viewer"] and live["state"]["mine"] == [asked.pk]
    # Another visitor does not see it as theirs.
    other = Client().get(reverse("cohort-live", args=[cohort.slug])).json()
    assert other.get("state", {}).get("mine", []) == []


def test_a_private_cohort_is_404_to_outsiders_for_asking_and_voting(room):
    _cohort, _teacher, _student, _other = room
    teacher = make_user()
    private = make_cohort(public=False, instructors=[teacher], students=[make_user("insider")])
    make_section(private, "Docker")
    asked = actions.ask(private, as_participant(private.memberships.get(role="student").user), "비밀 질문")
    outsider = client_for(make_user("outsider"))
    assert outsider.post(reverse("cohort-ask", args=[private.slug]), {"text": "들어가도 되나요"}).status_code == 404
    assert outsider.post(reverse("student-question-vote", args=[asked.pk]), {"vote": "1"}).status_code == 404
    assert not Vote.objects.exists()
    assert StudentQuestion.objects.filter(cohort=private).count() == 1


def test_a_student_of_another_cohort_may_read_a_public_one_but_not_ask_or_vote(room):
    cohort, _teacher, _student, other = room
    asked = actions.ask(cohort, as_participant(other), "레이어 캐시는?")
    stranger = make_user("stranger")
    make_cohort(students=[stranger])
    client = client_for(stranger)
    assert "data-ask-form" not in page_of(client, cohort).content.decode()
    assert client.post(reverse("cohort-ask", args=[cohort.slug]), {"text": "나도"}).status_code == 403
    assert xhr(client, reverse("student-question-vote", args=[asked.pk]), {"vote": "1"}).status_code == 403
    assert not Vote.objects.exists()


def test_ask_retried_with_the_same_idempotency_key_makes_one_question(room):
    cohort, _teacher, student, _other = room
    client = client_for(student)
    url = reverse("cohort-ask", args=[cohort.slug])
    first = xhr(client, url, {"text": "한 번만 저장되나요?"}, HTTP_IDEMPOTENCY_KEY="k-123")
    again = xhr(client, url, {"text": "한 번만 저장되나요?"}, HTTP_IDEMPOTENCY_KEY="k-123")
    assert first.status_code == 201 and again.status_code in (200, 201)
    assert first.json()["id"] == again.json()["id"]
    assert StudentQuestion.objects.filter(text="한 번만 저장되나요?").count() == 1
    reused = xhr(client, url, {"text": "다른 질문인데 같은 키"}, HTTP_IDEMPOTENCY_KEY="k-123")
    assert reused.status_code == 422 and not StudentQuestion.objects.filter(text="다른 질문인데 같은 키").exists()


def test_bad_ask_input_is_refused_with_the_reason_and_writes_nothing(room):
    cohort, _teacher, student, _other = room
    client = client_for(student)
    before = cohort_version(cohort)
    for text in ("", "   ", "x" * 2001):
        response = xhr(client, reverse("cohort-ask", args=[cohort.slug]), {"text": text})
        assert response.status_code == 400 and 'class="errorlist"' in response.content.decode()
    assert not StudentQuestion.objects.exists() and cohort_version(cohort) == before
    # Without JavaScript: back to the page with the message.
    plain = client.post(reverse("cohort-ask", args=[cohort.slug]), {"text": ""}, follow=True)
    assert plain.status_code == 200 and "blank" in plain.content.decode()


def test_vote_and_unvote_move_the_count_and_the_page_etag(room):
    cohort, _teacher, student, other = room
    asked = actions.ask(cohort, as_participant(other), "질문 하나")
    client = client_for(student)
    live = reverse("cohort-live", args=[cohort.slug])
    first = client.get(live)
    etag = first["ETag"]
    assert client.get(live, HTTP_IF_NONE_MATCH=etag).status_code == 304
    voted = xhr(client, reverse("student-question-vote", args=[asked.pk]), {"vote": "1"})
    assert voted.json() == {"id": asked.pk, "votes": 1, "voted": True}
    again = xhr(client, reverse("student-question-vote", args=[asked.pk]), {"vote": "1"})
    assert again.json()["votes"] == 1  # one per participant
    changed = client.get(live, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed.json()["state"]["voted"] == [asked.pk]
    assert 'data-vote-count>1<' in changed.json()["flow"]
    unvoted = xhr(client, reverse("student-question-vote", args=[asked.pk]), {"vote": "0"})
    assert unvoted.json() == {"id": asked.pk, "votes": 0, "voted": False}
    assert Vote.objects.count() == 0


def test_the_vote_button_without_javascript_confirms_then_votes(room):
    cohort, _teacher, student, other = room
    asked = actions.ask(cohort, as_participant(other), "질문 둘")
    client = client_for(student)
    confirm = client.get(reverse("student-question-vote", args=[asked.pk]))
    assert confirm.status_code == 200 and "csrfmiddlewaretoken" in confirm.content.decode()
    done = client.post(reverse("student-question-vote", args=[asked.pk]), {"vote": "1"})
    assert done.status_code == 302 and done["Location"].endswith(f"#sq-{asked.pk}")
    assert Vote.objects.filter(student_question=asked, voter=user_key(student)).count() == 1


def test_classmates_do_not_see_who_asked_anonymously_but_instructors_do(room):
    cohort, teacher, student, other = room
    other.first_name = "Jiwoo"
    other.save()
    actions.ask(cohort, as_participant(other), "익명으로 묻습니다", anonymous_to_classmates=True)
    student_page = page_of(client_for(student), cohort).content.decode()
    assert "익명으로 묻습니다" in student_page and "Jiwoo" not in student_page
    teacher_page = page_of(client_for(teacher), cohort).content.decode()
    assert "Jiwoo" in teacher_page and "data-triage" in teacher_page
    anonymous_page = page_of(Client(), cohort).content.decode()
    assert "Jiwoo" not in anonymous_page


def test_a_dismissal_reason_is_shown_to_the_asker_only(room):
    cohort, teacher, student, other = room
    asked = actions.ask(cohort, as_participant(student), "오늘 점심 뭐예요?")
    actions.ask(cohort, as_participant(other), "다른 질문")
    response = xhr(client_for(teacher), reverse("student-question-dismiss", args=[asked.pk]), {"reason": "수업과 무관"})
    assert response.status_code == 200 and response.json()["done"] == "dismiss"
    mine = page_of(client_for(student), cohort).content.decode()
    assert "수업과 무관" in mine and "dismissed" in mine
    assert "수업과 무관" not in page_of(client_for(other), cohort).content.decode()
    assert "수업과 무관" not in page_of(client_for(teacher), cohort).content.decode()


def test_the_viewer_state_lists_own_votes_and_questions_in_the_page(room):
    cohort, _teacher, student, other = room
    mine = actions.ask(cohort, as_participant(student), "내 질문")
    theirs = actions.ask(cohort, as_participant(other), "친구 질문")
    actions.vote(theirs, as_participant(student))
    html = page_of(client_for(student), cohort).content.decode()
    state = json.loads(html.split('<script id="viewer-state" type="application/json">')[1].split("</script>")[0])
    assert state["mine"] == [mine.pk] and state["voted"] == [theirs.pk]


def test_instructors_see_the_projector_link_and_the_qr_code_students_do_not(room):
    cohort, teacher, student, _other = room
    teacher_page = page_of(client_for(teacher), cohort).content.decode()
    assert reverse("cohort-present", args=[cohort.slug]) in teacher_page
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in teacher_page and cohort.invite_token in teacher_page
    student_page = page_of(client_for(student), cohort).content.decode()
    assert cohort.invite_token not in student_page and "<svg xmlns" not in student_page


def test_the_badge_counts_unseen_answers_until_the_asker_has_seen_them(room):
    cohort, teacher, student, _other = room
    asked = actions.ask(cohort, as_participant(student), "배지가 뜨나요?")
    actions.answer_directly(asked, teacher, "- 네")
    client = client_for(student)
    live = reverse("cohort-live", args=[cohort.slug])
    first = client.get(live).json()
    assert [n["question"] for n in first["state"]["notices"]] == [asked.pk]
    page = page_of(client, cohort).content.decode()
    assert "data-my-badge>" in page and "data-my-badge hidden" not in page
    assert xhr(client, reverse("cohort-questions-seen", args=[cohort.slug])).json() == {"seen": 1}
    assert "data-my-badge hidden" in page_of(client, cohort).content.decode()
    assert client.get(live).json()["state"]["notices"] == []


def test_a_reload_after_seen_is_not_a_304_with_the_old_badge(room):
    """Marking notices seen announces nothing (nobody else's page changes), so the viewer's
    unseen count is part of their page and live ETags: the old ETag no longer matches."""
    cohort, teacher, student, _other = room
    asked = actions.ask(cohort, as_participant(student), "배지가 남나요?")
    actions.answer_directly(asked, teacher, "- 아니요")
    client = client_for(student)
    live = reverse("cohort-live", args=[cohort.slug])
    page = page_of(client, cohort)
    old_page, old_live = page["ETag"], client.get(live)["ETag"]
    assert "data-my-badge>" in page.content.decode()
    assert client.get(cohort.get_absolute_url(), HTTP_IF_NONE_MATCH=old_page).status_code == 304
    assert xhr(client, reverse("cohort-questions-seen", args=[cohort.slug])).json() == {"seen": 1}
    reloaded = client.get(cohort.get_absolute_url(), HTTP_IF_NONE_MATCH=old_page)
    assert reloaded.status_code == 200 and "data-my-badge hidden" in reloaded.content.decode()
    polled = client.get(live, HTTP_IF_NONE_MATCH=old_live)
    assert polled.status_code == 200 and polled.json()["state"]["notices"] == []
    # Seen twice: nothing changed, so the new ETag holds.
    assert client.get(cohort.get_absolute_url(), HTTP_IF_NONE_MATCH=reloaded["ETag"]).status_code == 304
