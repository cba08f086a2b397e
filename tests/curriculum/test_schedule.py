"""Today's topic: schedule day N → its chapters → the first not struck through → its part's section."""

from datetime import date

import pytest

from curriculum.schedule import todays_topic
from tests.factories import make_progress, make_section

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "day,expected_section,expected_chapter",
    [(date(2024, 1, 1), "Docker", 1), (date(2024, 1, 2), "Docker", 5), (date(2024, 1, 3), "Kubernetes", 10)],
)
def test_todays_topic_follows_the_default_schedule_day_by_day(cohort, day, expected_section, expected_chapter):
    make_section(cohort, "Docker")
    make_section(cohort, "Kubernetes")
    title, chapter = todays_topic(cohort, on=day)
    assert (title, chapter.number) == (expected_section, expected_chapter)


def test_todays_topic_skips_chapters_whose_theory_is_struck_through(cohort):
    for number in (5, 6, 7):
        make_progress(cohort, number, theory=True)
    make_progress(cohort, 8, lab=True)  # a finished lab alone does not finish the chapter
    title, chapter = todays_topic(cohort, on=date(2024, 1, 2))
    assert chapter.number == 8
    assert title == "Kubernetes"


def test_todays_topic_uses_the_k8s_section_when_the_notes_call_it_that(cohort):
    make_section(cohort, "K8s")
    assert todays_topic(cohort, on=date(2024, 1, 3))[0] == "K8s"


def test_todays_topic_is_empty_outside_the_cohorts_dates(cohort):
    assert todays_topic(cohort, on=date(2024, 1, 4)) == (None, None)
    assert todays_topic(cohort, on=date(2023, 12, 31)) == (None, None)
