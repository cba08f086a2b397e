"""The poll's compiled lookup is the policy's own query: for every role it finds exactly what
``Cohort.objects.visible_to`` finds, runs the same SQL, and loads only the columns asked for."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from courses.freshness import forget
from courses.models import Cohort
from courses.poll_lookup import visible_cohort
from tests.factories import make_cohort

pytestmark = pytest.mark.django_db

COLUMNS = ("pk", "slug", "is_public", "version", "created_at", "updated_at")
ROLES = ("anonymous", "student", "instructor", "outsider", "staff")


@pytest.fixture
def people(instructor, student, outsider, staff):
    return {"anonymous": AnonymousUser(), "student": student, "instructor": instructor,
            "outsider": outsider, "staff": staff}


@pytest.fixture
def cohorts(cohort, private_cohort):
    unrelated_private = make_cohort("MSP T3 - 남의 비공개 반", public=False)
    return [cohort, private_cohort, unrelated_private]


@pytest.mark.parametrize("role", ROLES)
def test_it_finds_what_the_policy_finds_for_every_role_and_cohort(people, cohorts, role):
    user = people[role]
    for cohort in cohorts:
        expected = Cohort.objects.visible_to(user).filter(slug=cohort.slug).exists()
        if expected:
            found = visible_cohort(user, cohort.slug, COLUMNS)
            assert (found.pk, found.version, found.updated_at) == (cohort.pk, cohort.version, cohort.updated_at)
        else:
            with pytest.raises(Http404):
                visible_cohort(user, cohort.slug, COLUMNS)
    with pytest.raises(Http404):
        visible_cohort(user, "no-such-cohort", COLUMNS)


@pytest.mark.parametrize("role", ROLES)
def test_it_runs_the_querysets_own_sql_in_one_query(people, cohorts, role):
    user, slug = people[role], cohorts[0].slug
    with CaptureQueriesContext(connection) as orm:
        list(Cohort.objects.visible_to(user).filter(slug=slug).values_list(*COLUMNS))
    for _ in range(2):  # the first call compiles, the second reuses it
        forget()  # an anonymous visitor's head would be kept: this is about the query
        with CaptureQueriesContext(connection) as ours:
            visible_cohort(user, slug, COLUMNS)
        assert [q["sql"] for q in ours.captured_queries] == [q["sql"] for q in orm.captured_queries]


def test_two_members_never_share_a_compiled_answer(cohorts, student, outsider):
    """The member query is compiled once with a stand-in id; each call binds its own user."""
    private = cohorts[1]
    assert visible_cohort(student, private.slug, COLUMNS).pk == private.pk
    with pytest.raises(Http404):
        visible_cohort(outsider, private.slug, COLUMNS)
    assert visible_cohort(student, private.slug, COLUMNS).pk == private.pk


def test_only_the_columns_asked_for_are_loaded_and_the_rest_is_deferred(cohorts):
    found = visible_cohort(AnonymousUser(), cohorts[0].slug, ("pk", "version"))
    assert found.get_deferred_fields() >= {"title", "slug", "is_public"}
    assert found.version == cohorts[0].version
    assert found.title == cohorts[0].title  # loaded on demand, as with .only()
