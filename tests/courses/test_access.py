"""The access rule's two forms agree: for every role and every kind of cohort, the
querysets (visible_to, taught_by) hold exactly the cohorts the predicates allow."""

import pytest
from django.contrib.auth.models import AnonymousUser

from courses.models import Cohort
from courses.policy import can_view, can_write
from tests.factories import make_cohort, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """Each role, and cohorts public and private, taught, attended or foreign to them."""
    teacher, learner, stranger = make_user("teacher"), make_user("learner"), make_user("stranger")
    people = {
        "anonymous": AnonymousUser(),
        "outsider": stranger,
        "student": learner,
        "instructor": teacher,
        "staff": make_user("boss", staff=True),
    }
    extra = [make_user(f"member{n}") for n in range(3)]  # membership rows that must not repeat a cohort
    for public in (True, False):
        make_cohort(public=public, instructors=[teacher], students=[learner, *extra])
        make_cohort(public=public, students=[teacher], instructors=[learner])
        make_cohort(public=public, students=extra)
        make_cohort(public=public)
    return people


@pytest.mark.parametrize("role", ["anonymous", "outsider", "student", "instructor", "staff"])
def test_querysets_and_predicates_agree_for_every_role(world, role):
    user = world[role]
    cohorts = list(Cohort.objects.all())
    readable = list(Cohort.objects.visible_to(user))
    writable = list(Cohort.objects.taught_by(user))
    assert len(readable) == len(set(readable)) and len(writable) == len(set(writable))
    assert set(readable) == {c for c in cohorts if can_view(user, c)}
    assert set(writable) == {c for c in cohorts if can_write(user, c)}
    assert set(writable) <= set(readable)


def test_the_rule_itself_per_role(world):
    def counts(role):
        user = world[role]
        return Cohort.objects.visible_to(user).count(), Cohort.objects.taught_by(user).count()

    # 8 cohorts: 4 public, 4 private; teacher teaches 2 and attends 2; learner the reverse.
    assert counts("anonymous") == (4, 0)
    assert counts("outsider") == (4, 0)
    assert counts("student") == (6, 2)
    assert counts("instructor") == (6, 2)
    assert counts("staff") == (8, 8)
