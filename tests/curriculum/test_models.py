from datetime import UTC

import pytest
from django.db import IntegrityError, transaction

from curriculum.models import Chapter, Progress, ScheduleDay
from tests.factories import make_cohort, make_progress

pytestmark = pytest.mark.django_db


def test_one_progress_row_per_cohort_and_chapter(cohort):
    make_progress(cohort, 3)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_progress(cohort, 3)


def test_theory_and_lab_are_completed_separately(cohort):
    progress = make_progress(cohort, 6, theory=True, lab=False)
    assert progress.theory_done and not progress.lab_done
    assert list(Progress.objects.completed()) == [progress]


def test_saving_progress_bumps_the_cohort_version(cohort):
    before = cohort.version
    make_progress(cohort, 2, theory=True)
    cohort.refresh_from_db()
    assert cohort.version > before


def test_a_cohort_without_its_own_schedule_uses_the_default_plan(cohort):
    assert list(ScheduleDay.objects.for_cohort(cohort)) == list(ScheduleDay.objects.default())


def test_a_cohort_may_shift_its_schedule():
    cohort = make_cohort()
    chapters = {c.number: c for c in Chapter.objects.all()}
    ScheduleDay.objects.create(cohort=cohort, day=1, theory="Docker overview ~ storage",
                               first_chapter=chapters[1], last_chapter=chapters[3])
    own = list(ScheduleDay.objects.for_cohort(cohort))
    assert [(d.day, d.theory) for d in own] == [(1, "Docker overview ~ storage")]


def test_one_default_row_per_day():
    with pytest.raises(IntegrityError), transaction.atomic():
        ScheduleDay.objects.create(day=1, theory="again", first_chapter_id=1, last_chapter_id=1)


def test_chapter_numbers_stay_in_range():
    with pytest.raises(IntegrityError), transaction.atomic():
        Chapter.objects.create(number=0, slug="00_x", title="x", part="docker")


def test_readable_str(cohort):
    assert str(Chapter.objects.get(number=6)) == "06 Dockerfile Best Practice"
    assert str(make_progress(cohort, 6, theory=True)).endswith("CH06 · theory ✓ / lab")


def test_marking_a_part_done_records_who_and_when_and_keeps_the_first_record(cohort, instructor, staff):
    from datetime import datetime

    first, later = datetime(2024, 1, 1, 9, tzinfo=UTC), datetime(2024, 1, 2, 9, tzinfo=UTC)
    progress = Progress(cohort=cohort, chapter=Chapter.objects.get(number=6))
    assert progress.mark("theory", True, instructor, first) is True
    assert progress.mark("theory", True, staff, later) is False
    assert (progress.theory_done_at, progress.theory_done_by) == (first, instructor)
    assert not progress.lab_done


def test_marking_a_part_back_clears_who_and_when(cohort, instructor):
    progress = make_progress(cohort, 2, theory=True, lab=True)
    assert progress.mark("lab", False, instructor) is True
    assert (progress.lab_done_at, progress.lab_done_by) == (None, None)
    assert progress.theory_done


def test_a_schedule_day_falls_on_the_cohorts_start_plus_its_number():
    from datetime import date

    cohort = make_cohort(starts_on=date(2024, 3, 4), ends_on=date(2024, 3, 6))
    days = list(ScheduleDay.objects.for_cohort(cohort))
    assert [d.date_for(cohort) for d in days] == [date(2024, 3, 4), date(2024, 3, 5), date(2024, 3, 6)]
    assert days[0].date_for(make_cohort(starts_on=None, ends_on=None)) is None


def test_lab_or_none_is_the_chapters_lab_or_none_loaded_or_not():
    with_lab = Chapter.objects.filter(lab__isnull=False).first()
    without = Chapter.objects.filter(lab__isnull=True).first()
    assert with_lab.lab_or_none == with_lab.lab
    assert without.lab_or_none is None
    loaded = {c.pk: c for c in Chapter.objects.select_related("lab")}
    assert loaded[with_lab.pk].lab_or_none == with_lab.lab
    assert loaded[without.pk].lab_or_none is None
