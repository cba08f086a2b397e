""""Use this answer" links two questions; a permalink shows "also asked in" the other cohorts the
visitor may see, for every role (a private cohort's question never shows, nor counts)."""

import pytest

from courses.models import Membership
from qa.models import Question
from tests.factories import cohort_version, make_cohort, make_question, make_section, make_user

pytestmark = pytest.mark.django_db
ANSWER = "- `docker rm -v`로 지우면 익명 볼륨도 지워집니다."


@pytest.fixture
def linked(instructor, student):
    here = make_cohort("MSP T3 - 여기", instructors=[instructor])
    public = make_cohort("MSP T2 - 공개 기수")
    private = make_cohort("MSP T1 - 비공개 기수", public=False, students=[student])
    asked = make_question(make_section(here), "볼륨은 언제 지워지나요?", ANSWER)
    seen = make_question(make_section(public), "볼륨 삭제 시점?", ANSWER)
    secret = make_question(make_section(private), "비공개: 볼륨은 언제 삭제돼요?", ANSWER)
    asked.similar_to.add(seen, secret)
    return {"asked": asked, "seen": seen, "secret": secret, "private": private}


def _page(client, question):
    return client.get(f"/questions/{question.pk}/")


@pytest.mark.parametrize("role", ["anonymous", "outsider", "instructor-elsewhere"])
def test_visitors_who_may_not_see_the_private_cohort_never_see_its_question(client, linked, instructor, role):
    if role == "outsider":
        client.force_login(make_user())
    elif role == "instructor-elsewhere":
        client.force_login(instructor)  # teaches "여기", nothing of the private cohort
    html = _page(client, linked["asked"]).content.decode()
    assert "MSP T2 - 공개 기수" in html and "볼륨 삭제 시점?" in html
    assert "비공개" not in html and "다른 기수 1곳에서도 나온 질문" in html  # one, not two
    assert f"also-{linked['secret'].pk}" not in html
    assert _page(client, linked["secret"]).status_code == 404
    # From the public side, the link back is there too (symmetrical).
    assert "MSP T3 - 여기" in _page(client, linked["seen"]).content.decode()


@pytest.mark.parametrize("role", ["member", "staff"])
def test_those_who_may_see_it_see_every_cohort(client, linked, student, role):
    client.force_login(student if role == "member" else make_user(staff=True))
    html = _page(client, linked["asked"]).content.decode()
    assert "MSP T2 - 공개 기수" in html and "MSP T1 - 비공개 기수" in html
    assert f"also-{linked['secret'].pk}" in html and f"also-{linked['seen'].pk}" in html
    assert "MSP T3 - 여기" in _page(client, linked["secret"]).content.decode()


def test_a_question_of_the_same_cohort_is_not_another_cohort(client, linked):
    same = make_question(linked["asked"].section, "같은 기수의 비슷한 질문", ANSWER)
    linked["asked"].similar_to.add(same)
    assert f"also-{same.pk}" not in _page(client, linked["asked"]).content.decode()


def test_quick_entry_with_similar_to_links_and_announces_both(teaching, cohort, instructor):
    other = make_cohort("MSP T2 - 예전")
    earlier = make_question(make_section(other), "볼륨은 언제 지워지나요?", ANSWER)
    before = cohort_version(other)
    response = teaching.post(f"/cohorts/{cohort.slug}/questions/", {
        "question": "볼륨 지우면 데이터는?", "section": "", "chapter": "3", "answer": ANSWER,
        "similar_to": str(earlier.pk)})
    assert response.status_code == 302
    saved = Question.objects.get(question="볼륨 지우면 데이터는?")
    assert list(saved.similar_to.all()) == [earlier] and list(earlier.similar_to.all()) == [saved]
    assert cohort_version(other) > before  # its permalink changed: announced


def test_a_link_to_a_question_the_instructor_may_not_see_is_not_made(teaching, cohort, student):
    hidden = make_question(make_section(make_cohort("숨은 기수", public=False, students=[student])), "숨은 질문")
    teaching.post(f"/cohorts/{cohort.slug}/questions/", {
        "question": "새 질문", "section": "", "chapter": "3", "answer": "", "similar_to": str(hidden.pk)})
    saved = Question.objects.get(question="새 질문")  # the question itself is saved
    assert not saved.similar_to.exists() and not hidden.similar_to.exists()


@pytest.mark.parametrize("value", ["abc", "-3", "1" * 16, "1.5"])
def test_a_bad_similar_to_is_refused_and_nothing_is_saved(teaching, cohort, value):
    response = teaching.post(f"/cohorts/{cohort.slug}/questions/", {
        "question": "저장되면 안 되는 질문", "section": "", "chapter": "3", "answer": "", "similar_to": value})
    assert response.status_code == 400 and "similar_to" in response.content.decode()
    assert not Question.objects.filter(question="저장되면 안 되는 질문").exists()


def test_the_pending_queues_answer_links_too(teaching, cohort, section):
    pending = make_question(section, "볼륨을 삭제하는 시점은?", "...")
    earlier = make_question(make_section(make_cohort("MSP T2 - 예전")), "볼륨은 언제 지워지나요?", ANSWER)
    response = teaching.post(f"/questions/{pending.pk}/answer/", {
        "answer": ANSWER, "revision": pending.revision, "similar_to": str(earlier.pk)})
    assert response.status_code == 302
    assert list(pending.similar_to.all()) == [earlier]
    bad = teaching.post(f"/questions/{pending.pk}/answer/", {"answer": "바뀐 답", "revision": 2, "similar_to": "x"})
    assert bad.status_code == 400
    pending.refresh_from_db()
    assert pending.answer == ANSWER


def test_membership_gives_the_member_the_private_side(client, linked):
    reader = make_user()
    Membership.objects.create(cohort=linked["private"], user=reader, role=Membership.Role.STUDENT)
    client.force_login(reader)
    assert f"also-{linked['secret'].pk}" in _page(client, linked["asked"]).content.decode()
