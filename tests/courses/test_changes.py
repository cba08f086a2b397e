"""courses.changes.announce: the one owner of the cohort version. Once per unit of work,
forgotten with a rolled-back savepoint, told to listeners after commit, and reached by
single saves, bulk updates and bulk deletes alike."""

import pytest
from django.db import transaction

from courses.changes import announce, cohorts_changed
from qa.models import Question
from tests.factories import cohort_version, make_cohort, make_question, make_section

pytestmark = pytest.mark.django_db


def test_one_unit_of_work_moves_the_version_once(cohort, section):
    before = cohort_version(cohort)
    with transaction.atomic():
        for n in range(3):
            make_question(section, f"질문 {n}")
        Question.objects.filter(section=section).update(chapter=None)
        make_section(cohort, "Kubernetes")
    assert cohort_version(cohort) == before + 1


def test_separate_writes_move_it_each_time(cohort, section):
    before = cohort_version(cohort)
    make_question(section, "하나")
    make_question(section, "둘")
    assert cohort_version(cohort) == before + 2


def test_a_rolled_back_savepoint_takes_its_announcement_with_it(cohort, section):
    before = cohort_version(cohort)
    with transaction.atomic():
        try:
            with transaction.atomic():
                make_question(section, "취소될 질문")
                assert cohort_version(cohort) == before + 1
                raise RuntimeError("undo")
        except RuntimeError:
            pass
        assert cohort_version(cohort) == before  # the savepoint's bump went with it
        make_question(section, "남는 질문")  # so this write must announce again
    assert cohort_version(cohort) == before + 1
    assert list(Question.objects.values_list("question", flat=True)) == ["남는 질문"]


def test_listeners_hear_each_cohort_once_after_commit(django_capture_on_commit_callbacks, cohort, section):
    other = make_cohort()
    heard = []

    def listener(sender, cohort_ids, **kwargs):
        heard.append(cohort_ids)

    cohorts_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            with transaction.atomic():
                make_question(section, "질문")
                make_question(section, "또 질문")
                announce([other.pk, cohort.pk])
                assert heard == []  # nothing is told before the commit
    finally:
        cohorts_changed.disconnect(listener)
    assert sorted(pk for ids in heard for pk in ids) == sorted([cohort.pk, other.pk])


def test_bulk_updates_and_deletes_announce_every_cohort_they_reach(cohort, section):
    elsewhere = make_section(make_cohort(), "Docker")
    moving = make_question(section, "옮겨질 질문")
    make_question(elsewhere, "남의 질문")
    before = (cohort_version(cohort), cohort_version(elsewhere.cohort))
    Question.objects.filter(pk=moving.pk).update(section=elsewhere)  # leaves one page, joins another
    after_move = (cohort_version(cohort), cohort_version(elsewhere.cohort))
    assert after_move[0] > before[0] and after_move[1] > before[1]
    Question.objects.filter(section=elsewhere).delete()
    assert cohort_version(elsewhere.cohort) > after_move[1]
    assert not Question.objects.exists()
