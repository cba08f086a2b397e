"""Small builders for test data. Every test states what it needs in one line."""

import itertools
from datetime import date

from django.contrib.auth import get_user_model

from courses.models import Cohort, Membership
from curriculum.models import Chapter, Progress
from qa.models import Question, Section

_seq = itertools.count(1)


def make_user(username=None, *, staff=False, password="pw-for-tests-only"):
    username = username or f"user{next(_seq)}"
    user = get_user_model().objects.create_user(username=username, password=password, is_staff=staff)
    if staff:
        user.is_superuser = True
        user.save()
    return user


def make_cohort(title=None, *, public=True, instructors=(), students=(), **fields):
    n = next(_seq)
    fields.setdefault("program", "MSP T3")
    fields.setdefault("run_code", f"{n}차")
    fields.setdefault("starts_on", date(2024, 1, 1))
    fields.setdefault("ends_on", date(2024, 1, 3))
    cohort = Cohort.objects.create(title=title or f"MSP T3 - test {n}", is_public=public, **fields)
    for user in instructors:
        Membership.objects.create(cohort=cohort, user=user, role=Membership.Role.INSTRUCTOR)
    for user in students:
        Membership.objects.create(cohort=cohort, user=user, role=Membership.Role.STUDENT)
    return cohort


def make_section(cohort, title="Docker", position=None):
    if position is None:
        position = cohort.sections.count() + 1
    return Section.objects.create(cohort=cohort, title=title, heading=f"## {title}", position=position)


def make_question(section=None, question=None, answer="", *, chapter=None, **fields):
    if section is None:
        section = make_section(make_cohort())
    if isinstance(chapter, int):
        chapter = Chapter.objects.get(number=chapter)
    return Question.objects.create(
        section=section, question=question or f"질문 {next(_seq)}?", answer=answer, chapter=chapter, **fields
    )


def make_progress(cohort, number, *, theory=False, lab=False, when=None):
    from django.utils import timezone

    when = when or timezone.now()
    return Progress.objects.create(
        cohort=cohort,
        chapter=Chapter.objects.get(number=number),
        theory_done_at=when if theory else None,
        lab_done_at=when if lab else None,
    )


def cohort_version(cohort) -> int:
    """The version stored now (the instance may hold an older one)."""
    return Cohort.objects.get(pk=cohort.pk).version
