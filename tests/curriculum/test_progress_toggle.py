"""Instructors strike a chapter's theory or lab through, and back (curriculum.views.progress_toggle)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from curriculum.models import Progress
from tests.factories import cohort_version

pytestmark = pytest.mark.django_db
FETCH = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}
SEOUL = ZoneInfo("Asia/Seoul")


def test_striking_a_theory_through_records_who_and_when_and_back(teaching, cohort, instructor):
    url = reverse("progress-toggle", args=[cohort.slug, 6, "theory"])
    moment = datetime(2024, 1, 2, 11, 30, tzinfo=SEOUL)
    instructor.first_name = "김강사"
    instructor.save()
    before = cohort_version(cohort)
    with time_machine.travel(moment, tick=False):
        response = teaching.post(url, {"done": "1"}, **FETCH)
    assert response.json() == {
        "chapter": 6, "part": "theory", "done": True, "done_at": moment.isoformat(), "done_by": "김강사",
    }
    progress = Progress.objects.get(cohort=cohort, chapter__number=6)
    assert (progress.theory_done_at, progress.theory_done_by, progress.lab_done) == (moment, instructor, False)
    assert cohort_version(cohort) > before
    teaching.post(url, {"done": "0"}, **FETCH)
    progress.refresh_from_db()
    assert (progress.theory_done_at, progress.theory_done_by) == (None, None)


def test_striking_through_twice_keeps_the_first_time(teaching, cohort):
    url = reverse("progress-toggle", args=[cohort.slug, 2, "lab"])
    with time_machine.travel(datetime(2024, 1, 1, 10, tzinfo=SEOUL), tick=False):
        teaching.post(url, {"done": "1"})
    with time_machine.travel(datetime(2024, 1, 1, 15, tzinfo=SEOUL), tick=False):
        teaching.post(url, {"done": "1"})
    assert Progress.objects.get().lab_done_at == datetime(2024, 1, 1, 10, tzinfo=SEOUL)


@pytest.mark.parametrize(
    "number,part,done", [(1, "lab", "1"), (6, "theory", "yes"), (6, "homework", "1")]
)
def test_impossible_progress_is_refused_and_nothing_is_recorded(teaching, cohort, number, part, done):
    response = teaching.post(reverse("progress-toggle", args=[cohort.slug, number, part]), {"done": done})
    assert response.status_code == 400
    assert not Progress.objects.exclude(theory_done_at=None, lab_done_at=None).exists()
