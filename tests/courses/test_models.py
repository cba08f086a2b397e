from datetime import date

import pytest
from django.db import IntegrityError, transaction

from courses.changes import announce
from courses.models import Cohort, Membership
from tests.factories import make_cohort, make_user

pytestmark = pytest.mark.django_db


def test_slug_is_derived_from_the_title_keeping_korean():
    cohort = Cohort.objects.create(title="MSP T3 - 23-3차")
    assert cohort.slug == "msp-t3-23-3차"


def test_slugs_are_unique():
    make_cohort("A", slug="same")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_cohort("B", slug="same")


def test_a_cohort_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_cohort(starts_on=date(2024, 5, 3), ends_on=date(2024, 5, 1))


def test_a_user_has_one_membership_per_cohort(cohort, student):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(cohort=cohort, user=student, role=Membership.Role.INSTRUCTOR)


def test_anonymous_sees_only_public_cohorts(cohort, private_cohort):
    from django.contrib.auth.models import AnonymousUser

    assert list(Cohort.objects.visible_to(AnonymousUser())) == [cohort]


def test_members_see_their_private_cohort_and_outsiders_do_not(cohort, private_cohort, student, outsider):
    assert set(Cohort.objects.visible_to(student)) == {cohort, private_cohort}
    assert set(Cohort.objects.visible_to(outsider)) == {cohort}


def test_staff_see_every_cohort(cohort, private_cohort, staff):
    assert set(Cohort.objects.visible_to(staff)) == {cohort, private_cohort}


def test_visible_to_lists_a_cohort_once_even_with_several_members(private_cohort, student):
    Membership.objects.create(cohort=private_cohort, user=make_user(), role=Membership.Role.STUDENT)
    assert list(Cohort.objects.visible_to(student).filter(pk=private_cohort.pk)) == [private_cohort]


def test_taught_by_lists_only_cohorts_where_the_user_is_instructor(cohort, private_cohort, instructor, student):
    other = make_cohort(instructors=[make_user()])
    assert set(Cohort.objects.taught_by(instructor)) == {cohort, private_cohort}
    assert not Cohort.objects.taught_by(student).exists()
    assert other not in Cohort.objects.taught_by(instructor)


def test_running_and_upcoming_follow_the_given_day():
    past = make_cohort(starts_on=date(2024, 1, 1), ends_on=date(2024, 1, 3))
    now = make_cohort(starts_on=date(2024, 3, 4), ends_on=date(2024, 3, 6))
    later = make_cohort(starts_on=date(2024, 6, 1), ends_on=date(2024, 6, 3))
    day = date(2024, 3, 5)
    assert list(Cohort.objects.running(day)) == [now]
    assert list(Cohort.objects.upcoming(day)) == [later]
    assert now.is_running(day) and not past.is_running(day)


def test_running_uses_todays_date_by_default():
    import time_machine

    cohort = make_cohort(starts_on=date(2025, 9, 1), ends_on=date(2025, 9, 3))
    with time_machine.travel(date(2025, 9, 2)):
        assert list(Cohort.objects.running()) == [cohort]
    with time_machine.travel(date(2025, 9, 4)):
        assert not Cohort.objects.running().exists()


def test_announcing_bumps_the_version(cohort):
    before = cohort.version
    announce(cohort)
    cohort.refresh_from_db()
    assert cohort.version == before + 1


def test_rotating_the_invite_changes_the_token(cohort):
    old = cohort.invite_token
    cohort.rotate_invite()
    cohort.refresh_from_db()
    assert cohort.invite_token != old and len(cohort.invite_token) >= 16


def test_readable_str(cohort, student):
    assert str(cohort) == "MSP T3 - 공개 코호트"
    assert str(Membership.objects.get(cohort=cohort, user=student)).startswith("student — ")


def test_saving_the_cohort_itself_gives_its_pages_a_new_version(cohort):
    before = cohort.version
    cohort.title = "MSP T3 - 새 이름"
    cohort.save()
    assert Cohort.objects.get(pk=cohort.pk).version == before + 1
    cohort.rotate_invite()
    assert Cohort.objects.get(pk=cohort.pk).version == before + 2


def test_every_kind_of_page_content_bumps_the_version_when_saved_or_deleted(cohort):
    from curriculum.models import Chapter, ScheduleDay
    from qa.models import Section, SectionExtra

    def version():
        return Cohort.objects.get(pk=cohort.pk).version

    chapter = Chapter.objects.get(number=1)
    seen = [version()]
    section = Section.objects.create(cohort=cohort, title="Helm", position=3)
    seen.append(version())
    section.title = "Helm 3"
    section.save()
    seen.append(version())
    extra = SectionExtra.objects.create(section=section, source="---", position=1)
    seen.append(version())
    extra.delete()
    seen.append(version())
    day = ScheduleDay.objects.create(cohort=cohort, day=1, theory="x", first_chapter=chapter, last_chapter=chapter)
    seen.append(version())
    day.delete()
    seen.append(version())
    section.delete()
    seen.append(version())
    assert seen == sorted(set(seen)), seen


def test_saving_a_stale_instance_never_moves_the_version_backwards(cohort):
    stale = Cohort.objects.get(pk=cohort.pk)
    for _ in range(3):
        announce(cohort)
    current = Cohort.objects.get(pk=cohort.pk).version
    stale.notes = "메모"
    stale.save()
    assert stale.version == current + 1 == Cohort.objects.get(pk=cohort.pk).version


def test_course_day_counts_from_the_first_day_and_is_none_outside_the_dates():
    cohort = make_cohort(starts_on=date(2024, 3, 4), ends_on=date(2024, 3, 6))
    assert [cohort.course_day(date(2024, 3, d)) for d in (3, 4, 5, 6, 7)] == [None, 1, 2, 3, None]
    assert make_cohort(starts_on=None, ends_on=None).course_day(date(2024, 3, 4)) is None
