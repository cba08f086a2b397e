"""The whole OpenAPI schema run against the app by schemathesis.

Every operation gets generated requests (valid and invalid ones) sent as an
instructor with a token, so the writes (POST/PUT/PATCH/DELETE, the notes
import) run too. Most generated slugs and ids would name nothing, so two in
three are steered onto real objects of a cohort the instructor teaches, which
makes writes succeed and reach the database; the rest stay random. Every
response must be no server error and must match the schema (status code,
content type, body, headers).
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from asking import actions
from asking.models import StudentQuestion
from asking.participants import Participant, user_key
from mspt3.wsgi import application
from tests.api.conftest import schemathesis_tally
from tests.factories import make_cohort, make_question, make_section, make_user

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
EXAMPLES_PER_OPERATION = 40
# Writes should reach the database, not the per-participant limits (tests/asking tests those).
UNLIMITED = {"ask": (10**6, 10**6, 60), "vote": (10**6, 10**6, 60)}


# Loaded once through the app itself (schema generation touches no database).
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


@pytest.fixture
def keep_the_test_connection():
    """Requests go straight to the WSGI handler, whose request signals would close
    the connection holding the test's transaction (PostgreSQL); Django's own test
    client unhooks the same handlers."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world(db, keep_the_test_connection):
    """A taught cohort with sections and questions, a public one the instructor does not teach, a token."""
    teacher = make_user("schemathesis-instructor")
    taught = make_cohort("MSP T3 - 테스트", public=False, instructors=[teacher])
    other = make_cohort("MSP T2 - 남의 코호트", public=True)
    docker, k8s = make_section(taught, "Docker"), make_section(taught, "Kubernetes")
    questions = [make_question(docker, "볼륨은?", "답", chapter=4), make_question(k8s, "파드는?", "...")]
    questions.append(make_question(make_section(other), "남의 질문", "답"))
    asker = Participant(user_key(teacher), teacher)
    asked = [actions.ask(taught, asker, f"학생 질문 {n}") for n in range(6)] + [
        StudentQuestion.objects.create(cohort=other, text="남의 학생 질문", participant="p:someone")
    ]
    return {
        "token": Token.objects.create(user=teacher).key,
        "slugs": [taught.slug, taught.slug, other.slug],
        "sections": [docker.pk, k8s.pk],
        "questions": [q.pk for q in questions],
        "student_questions": [q.pk for q in asked],
    }


def steer(value, choices):
    """Deterministically replace two in three generated values by a real one."""
    digest = sum(str(value).encode())
    return value if digest % 3 == 0 else choices[digest % len(choices)]


def steer_onto_real_objects(case, world):
    params = case.path_parameters or {}
    if "slug" in params:
        params["slug"] = steer(params["slug"], world["slugs"])
    if "id" in params:
        ids = world["student_questions"] if "/student-questions/" in case.path else world["questions"]
        params["id"] = steer(params["id"], ids)
    if isinstance(case.body, dict):
        if isinstance(case.body.get("question"), int):
            case.body["question"] = steer(case.body["question"], world["questions"])
        if isinstance(case.body.get("student_question"), int):
            case.body["student_question"] = steer(case.body["student_question"], world["student_questions"])
        if "cohort" in case.body:
            case.body["cohort"] = steer(case.body["cohort"], world["slugs"][:2])
        if isinstance(case.body.get("section"), int):
            case.body["section"] = steer(case.body["section"], world["sections"])


@pytest.fixture
def tally(request):
    """Counts this operation's cases by status, for the run's summary line."""
    counts = schemathesis_tally.setdefault(request.node.name, {})
    yield counts
    assert sum(counts.values()) > 0


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_api_conforms_to_its_schema(case, world, tally):
    with override_settings(API_ANON_THROTTLE_RATE="off", ASKING_LIMITS=UNLIMITED):
        steer_onto_real_objects(case, world)
        response = case.call_and_validate(headers={"Authorization": f"Token {world['token']}"}, checks=CHECKS)
    tally[response.status_code] = tally.get(response.status_code, 0) + 1
