"""The permission matrix over the API: who × what × public/private cohort.

The same rules as the site: anonymous reads public cohorts; students also read
their private cohorts; instructors write Q&A and progress where they teach;
staff do everything. Unseen objects are 404 (no hint), seen-but-read-only 403,
anonymous writes 401; an unseen cohort named in a body is "unknown" (400).
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from curriculum.models import Progress
from notes.exporter import export_cohort
from qa.models import Question
from tests.api.conftest import client_for
from tests.factories import make_question, make_section

ROLES = ["anonymous", "student", "other_student", "instructor", "other_instructor", "staff"]

# role → expected status, per action, for a (public, private) cohort.
EXPECTED = {
    "read": {
        "public": dict(anonymous=200, student=200, other_student=200, instructor=200, other_instructor=200, staff=200),
        "private": dict(anonymous=404, student=200, other_student=404, instructor=200, other_instructor=404, staff=200),
    },
    "create": {
        "public": dict(anonymous=401, student=403, other_student=403, instructor=201, other_instructor=403, staff=201),
        "private": dict(anonymous=401, student=403, other_student=400, instructor=201, other_instructor=400, staff=201),
    },
    "edit": {
        "public": dict(anonymous=401, student=403, other_student=403, instructor=200, other_instructor=403, staff=200),
        "private": dict(anonymous=401, student=403, other_student=404, instructor=200, other_instructor=404, staff=200),
    },
    "delete": {
        "public": dict(anonymous=401, student=403, other_student=403, instructor=204, other_instructor=403, staff=204),
        "private": dict(anonymous=401, student=403, other_student=404, instructor=204, other_instructor=404, staff=204),
    },
    "progress": {
        "public": dict(anonymous=401, student=403, other_student=403, instructor=200, other_instructor=403, staff=200),
        "private": dict(anonymous=401, student=403, other_student=404, instructor=200, other_instructor=404, staff=200),
    },
}
EXPECTED["read_progress"] = EXPECTED["read"]
EXPECTED["read_cohort"] = EXPECTED["read"]
EXPECTED["export"] = EXPECTED["read"]
EXPECTED["import"] = EXPECTED["progress"]



def perform(action, client, cohort, question):
    if action == "read":
        return client.get(f"/api/questions/{question.pk}/")
    if action == "read_cohort":
        return client.get(f"/api/cohorts/{cohort.slug}/")
    if action == "read_progress":
        return client.get(f"/api/cohorts/{cohort.slug}/progress/")
    if action == "create":
        body = {"cohort": cohort.slug, "section": "Docker", "question": "새 질문"}
        return client.post("/api/questions/", body, format="json")
    if action == "edit":
        return client.patch(f"/api/questions/{question.pk}/", {"answer": "새 답변"}, format="json")
    if action == "delete":
        return client.delete(f"/api/questions/{question.pk}/")
    if action == "export":
        return client.get(f"/api/cohorts/{cohort.slug}/notes.md")
    if action == "import":
        notes = SimpleUploadedFile("notes.md", export_cohort(cohort).encode(), content_type="text/markdown")
        return client.post(f"/api/cohorts/{cohort.slug}/notes.md", {"file": notes}, format="multipart")
    if action == "progress":
        return client.patch(f"/api/cohorts/{cohort.slug}/progress/6/", {"theory_done": True}, format="json")
    raise AssertionError(action)


def state(cohort, question):
    """Everything an action could change."""
    cohort.refresh_from_db()
    return (
        cohort.version,
        list(Question.objects.values_list("pk", "answer", "revision").order_by("pk")),
        list(Progress.objects.filter(cohort=cohort).values_list("theory_done_at", flat=True)),
    )


@pytest.mark.parametrize("visibility", ["public", "private"])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(EXPECTED))
def test_permission_matrix(people, cohort, private_cohort, action, role, visibility):
    target = cohort if visibility == "public" else private_cohort
    question = make_question(make_section(target, "Docker"), "질문", "...")
    before = state(target, question)
    response = perform(action, client_for(people[role]), target, question)
    expected = EXPECTED[action][visibility][role]
    assert response.status_code == expected, response.content
    content_type = "text/markdown" if (action, expected) == ("export", 200) else "application/json"
    assert expected == 204 or response["Content-Type"].startswith(content_type)
    if expected >= 400:
        assert state(target, question) == before, "a refused request changed something"
    if expected == 404:
        assert target.title not in response.content.decode()
