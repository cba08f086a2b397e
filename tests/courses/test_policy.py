import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from courses.policy import can_view, can_write, get_cohort_for_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(instructor, student, outsider, staff):
    return {"anonymous": AnonymousUser(), "instructor": instructor, "student": student,
            "outsider": outsider, "staff": staff}


@pytest.mark.parametrize(
    "who,view_private,write",
    [
        ("anonymous", False, False),
        ("outsider", False, False),
        ("student", True, False),
        ("instructor", True, True),
        ("staff", True, True),
    ],
)
def test_roles(people, cohort, private_cohort, who, view_private, write):
    user = people[who]
    assert can_view(user, cohort) is True
    assert can_view(user, private_cohort) is view_private
    assert can_write(user, cohort) is write
    assert can_write(user, private_cohort) is write


def test_lookup_hides_a_private_cohort_as_not_found(private_cohort, outsider):
    with pytest.raises(Http404):
        get_cohort_for_user(outsider, private_cohort.slug)


def test_lookup_for_writing_refuses_a_visible_cohort_to_a_student(cohort, student):
    assert get_cohort_for_user(student, cohort.slug) == cohort
    with pytest.raises(PermissionDenied):
        get_cohort_for_user(student, cohort.slug, write=True)


def test_lookup_for_writing_gives_the_instructor_their_cohort(private_cohort, instructor):
    assert get_cohort_for_user(instructor, private_cohort.slug, write=True) == private_cohort
