"""The permission matrix of the class's questions: who × (ask, vote, see who asked, triage) on a
public cohort with open asking off and on, and on a private one; status code and database both."""

import pytest

from asking import actions
from asking.models import StudentQuestion, Vote
from tests.api.conftest import client_for
from tests.asking.conftest import ROLES, as_participant
from tests.factories import cohort_version

pytestmark = pytest.mark.django_db

# Where ("public", "open", "private") → role → expected status.
ASK = {
    "public": dict(anonymous=401, student=201, other_student=403, instructor=201, other_instructor=403, staff=201),
    "open": dict(anonymous=201, student=201, other_student=201, instructor=201, other_instructor=201, staff=201),
    "private": dict(anonymous=404, student=201, other_student=404, instructor=201, other_instructor=404, staff=201),
}
VOTE = ASK
# Seeing who asked: 200 with the asker named (True), 200 without (False), or a status.
SEE_ASKER = {
    "public": dict(anonymous=False, student=False, other_student=False, instructor=True, other_instructor=False,
                   staff=True),
    "private": dict(anonymous=404, student=False, other_student=404, instructor=True, other_instructor=404, staff=True),
}
SEE_ASKER["open"] = SEE_ASKER["public"]
TRIAGE = {
    "public": dict(anonymous=401, student=403, other_student=403, instructor=200, other_instructor=403, staff=200),
    "private": dict(anonymous=404, student=403, other_student=404, instructor=200, other_instructor=404, staff=200),
}
TRIAGE["open"] = TRIAGE["public"]
WHERE = ["public", "open", "private"]


@pytest.fixture
def where_cohort(request, cohort, private_cohort):
    def pick(where):
        chosen = private_cohort if where == "private" else cohort
        if where == "open":
            chosen.open_asking = True
            chosen.save()
        if where == "private":  # open asking does not open a private cohort
            chosen.open_asking = True
            chosen.save()
        return chosen

    return pick


def asked_by_student(cohort, student):
    return actions.ask(cohort, as_participant(student), "누가 물었을까요?", anonymous_to_classmates=True)


@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("role", ROLES)
def test_ask(where, role, people, where_cohort):
    cohort = where_cohort(where)
    before = cohort_version(cohort)
    response = client_for(people[role]).post(
        f"/api/cohorts/{cohort.slug}/student-questions/", {"text": "질문 있어요"}, format="json"
    )
    expected = ASK[where][role]
    assert response.status_code == expected, response.content
    assert StudentQuestion.objects.filter(cohort=cohort).count() == (1 if expected == 201 else 0)
    assert cohort_version(cohort) == before + (1 if expected == 201 else 0)
    if expected == 201:
        assert response.json()["mine"] is True
        if role == "anonymous":  # known from now on by the signed participant cookie
            assert response.cookies["mspt3_participant"].value
            assert StudentQuestion.objects.get().participant.startswith("p:")


@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("role", ROLES)
def test_vote(where, role, people, where_cohort, student):
    cohort = where_cohort(where)
    asked = asked_by_student(cohort, student)
    response = client_for(people[role]).post(f"/api/student-questions/{asked.pk}/vote/")
    expected = VOTE[where][role]
    assert response.status_code == expected, response.content
    assert Vote.objects.filter(student_question=asked).count() == (1 if expected == 201 else 0)
    if expected == 201:
        assert response.json()["votes"] == 1 and response.json()["voted"] is True


@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("role", ROLES)
def test_see_who_asked(where, role, people, where_cohort, student):
    cohort = where_cohort(where)
    asked_by_student(cohort, student)
    response = client_for(people[role]).get(f"/api/cohorts/{cohort.slug}/student-questions/")
    expected = SEE_ASKER[where][role]
    if isinstance(expected, bool):
        assert response.status_code == 200
        [shown] = response.json()["results"]
        assert (shown["asker"] == "student") is expected
        assert shown["asker"] is None or expected
        assert (shown["nickname"] is None)  # anonymous to classmates: no nickname for anyone but triagers
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("role", ROLES)
def test_triage(where, role, people, where_cohort, student):
    cohort = where_cohort(where)
    asked = asked_by_student(cohort, student)
    response = client_for(people[role]).post(
        f"/api/student-questions/{asked.pk}/dismiss/", {"reason": "내일 다룹니다"}, format="json"
    )
    expected = TRIAGE[where][role]
    assert response.status_code == expected, response.content
    asked.refresh_from_db()
    assert asked.status == ("dismissed" if expected == 200 else "open")
    assert asked.dismiss_reason == ("내일 다룹니다" if expected == 200 else "")


def test_the_asker_sees_the_reason_classmates_do_not(cohort, student, instructor, people):
    asked = asked_by_student(cohort, student)
    actions.dismiss(asked, instructor, reason="다음 시간에")
    url = f"/api/student-questions/{asked.pk}/"
    assert client_for(student).get(url).json()["dismiss_reason"] == "다음 시간에"
    assert client_for(people["other_student"]).get(url).json()["dismiss_reason"] is None
    assert client_for(None).get(url).json()["dismiss_reason"] is None
