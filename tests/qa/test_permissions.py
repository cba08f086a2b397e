"""The permission matrix: who may view, log, answer, edit, strike through and export, on a
private and a public cohort. Each cell checks the status code and whether the database changed."""

import pytest
from django.urls import reverse

from curriculum.models import Progress
from qa.models import Question
from tests.factories import make_cohort, make_question, make_section, make_user

pytestmark = pytest.mark.django_db
FETCH = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}

ROLES = ["anonymous", "student", "other_student", "instructor", "other_instructor", "staff"]
WRITERS = {"instructor", "staff"}
MEMBERS = {"student", "instructor", "staff"}


@pytest.fixture
def world():
    people = {
        "student": make_user("m-student"),
        "other_student": make_user("m-other-student"),
        "instructor": make_user("m-instructor"),
        "other_instructor": make_user("m-other-instructor"),
        "staff": make_user("m-staff", staff=True),
    }
    make_cohort(
        "다른 코호트", public=False, instructors=[people["other_instructor"]], students=[people["other_student"]]
    )
    cohorts = {}
    for kind in ("private", "public"):
        cohort = make_cohort(
            f"{kind} 코호트", public=kind == "public", instructors=[people["instructor"]], students=[people["student"]]
        )
        section = make_section(cohort, "Docker")
        cohorts[kind] = (cohort, section, make_question(section, "기존 질문", "..."))
    return people, cohorts


def _view(client, cohort, section, question):
    return client.get(cohort.get_absolute_url()), lambda: False


def _export(client, cohort, section, question):
    return client.get(reverse("cohort-notes", args=[cohort.slug])), lambda: False


def _log(client, cohort, section, question):
    response = client.post(
        reverse("question-create", args=[cohort.slug]), {"question": "새 질문", "section": section.pk}, **FETCH
    )
    return response, lambda: Question.objects.filter(question="새 질문").exists()


def _answer(client, cohort, section, question):
    response = client.post(
        reverse("question-answer", args=[question.pk]), {"answer": "새 답", "revision": question.revision}, **FETCH
    )
    return response, lambda: Question.objects.get(pk=question.pk).answer == "새 답"


def _edit(client, cohort, section, question):
    data = {"question": "고친 질문", "answer": "...", "chapter": "", "revision": question.revision}
    response = client.post(reverse("question-edit", args=[question.pk]), data, **FETCH)
    return response, lambda: Question.objects.get(pk=question.pk).question == "고친 질문"


def _progress(client, cohort, section, question):
    response = client.post(reverse("progress-toggle", args=[cohort.slug, 2, "theory"]), {"done": "1"}, **FETCH)
    return response, lambda: Progress.objects.filter(cohort=cohort, theory_done_at__isnull=False).exists()


ACTIONS = {"view": _view, "export": _export, "log": _log, "answer": _answer, "edit": _edit, "progress": _progress}
SUCCESS = {"view": 200, "export": 200, "log": 201, "answer": 200, "edit": 200, "progress": 200}


def expected(kind, role, action):
    """(status, database changed) under DESIGN.md's roles."""
    sees = kind == "public" or role in MEMBERS
    if action in ("view", "export"):
        return (200 if sees else 404), False
    if role in WRITERS:
        return SUCCESS[action], True
    # A cohort you cannot see does not exist for you; one you can see but not change is forbidden.
    return (403 if sees else 404), False


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("kind", ["private", "public"])
def test_permission_matrix(client, world, kind, role, action):
    people, cohorts = world
    cohort, section, question = cohorts[kind]
    if role != "anonymous":
        client.force_login(people[role])
    response, changed = ACTIONS[action](client, cohort, section, question)
    status, writes = expected(kind, role, action)
    assert (response.status_code, changed()) == (status, writes)


def test_a_private_cohorts_question_log_gives_a_visitor_no_hint_it_exists(client, world):
    _people, cohorts = world
    cohort, section, question = cohorts["private"]
    response, _changed = _log(client, cohort, section, question)
    assert response.status_code == 404
    assert "기존 질문" not in response.content.decode()
