"""The standing characters around one cohort's student questions."""

import pytest

from asking.participants import Participant, user_key
from tests.factories import make_cohort, make_user

ROLES = ["anonymous", "student", "other_student", "instructor", "other_instructor", "staff"]


def as_participant(user, address="127.0.0.1"):
    return Participant(user_key(user), user, address)


@pytest.fixture
def people(instructor, student, staff):
    other_instructor, other_student = make_user("other_instructor"), make_user("other_student")
    make_cohort("다른 코호트", public=False, instructors=[other_instructor], students=[other_student])
    return {
        "anonymous": None,
        "student": student,
        "other_student": other_student,
        "instructor": instructor,
        "other_instructor": other_instructor,
        "staff": staff,
    }
