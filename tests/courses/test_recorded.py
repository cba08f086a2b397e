"""Progress and plans the notes never had are not invented: "progress not recorded" unless the cohort
recorded some, the default plan only for running or upcoming cohorts, and the year from the run code."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from courses.years import cohort_year, year_from_text
from tests.factories import make_cohort, make_progress, make_user

pytestmark = pytest.mark.django_db
TODAY = date(2025, 3, 10)


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(TODAY, tick=False):
        yield


def page_of(client, cohort):
    return client.get(cohort.get_absolute_url()).content.decode()


def test_a_past_cohort_with_nothing_recorded_shows_one_line_not_zero_of_fifteen(client):
    cohort = make_cohort("MSP T2 23-2차", starts_on=None, ends_on=None, run_code="23-2차")
    html = page_of(client, cohort)
    assert "진도 기록 없음" in html
    assert "15개 챕터 중 0개 완료" not in html and "<progress" not in html
    assert '<details class="curriculum-unrecorded">' in html  # the chapters are one click away
    assert 'class="schedule-day' not in html  # no generic 3-day plan either


def test_instructors_are_told_they_can_start_tracking(client):
    teacher = make_user("teacher")
    cohort = make_cohort("지난 반", starts_on=None, ends_on=None, instructors=[teacher])
    client.force_login(teacher)
    html = page_of(client, cohort)
    assert "펼쳐서 진도 기록 시작" in html and "data-progress-toggle" in html


def test_recorded_progress_shows_the_table_and_the_count(client):
    cohort = make_cohort("지난 반", starts_on=None, ends_on=None)
    make_progress(cohort, 1, theory=True)
    html = page_of(client, cohort)
    assert "15개 챕터 중 1개 완료" in html and "진도 기록 없음" not in html


def test_a_curriculum_table_in_the_notes_counts_as_recorded(client):
    cohort = make_cohort("노트 반", starts_on=None, ends_on=None)
    cohort.notes_layout = [{"kind": "curriculum"}]
    cohort.save()
    assert "15개 챕터 중 0개 완료" in page_of(client, cohort)


@pytest.mark.parametrize(
    "starts_on,ends_on,shown",
    [(date(2025, 3, 9), date(2025, 3, 11), True), (date(2025, 4, 1), date(2025, 4, 3), True),
     (date(2024, 3, 1), date(2024, 3, 3), False), (None, None, False)],
)
def test_the_default_plan_only_for_running_or_upcoming_cohorts(client, starts_on, ends_on, shown):
    cohort = make_cohort(starts_on=starts_on, ends_on=ends_on)
    assert ('class="schedule-day' in page_of(client, cohort)) is shown


def test_home_cards_say_not_recorded_instead_of_zero(client):
    make_cohort("기록 없는 반", starts_on=None, ends_on=None)
    recorded = make_cohort("기록 있는 반", starts_on=None, ends_on=None)
    make_progress(recorded, 2, theory=True)
    html = client.get(reverse("home")).content.decode()
    assert html.count("진도 기록 없음") == 1
    assert "15개 챕터 중 1개 완료" in html and "15개 챕터 중 0개 완료" not in html


@pytest.mark.parametrize(
    "text,year",
    [("23-5차", 2023), ("24-2차", 2024), ("Docker & Kubernetes 노트 (MSP T2 23-2차)", 2023),
     ("MSP T3 - 2024 AWS Track", 2024), ("MSP T3", None), ("", None), ("123-4차", None)],
)
def test_year_from_run_code_or_title(text, year):
    assert year_from_text(text) == year


def test_the_start_date_wins_and_the_archive_groups_by_the_year_read(client):
    dated = make_cohort("MSP T3 - 24-1차", run_code="24-1차", starts_on=date(2023, 12, 30), ends_on=date(2023, 12, 31))
    assert cohort_year(dated) == 2023
    make_cohort("MSP T2 - 23-5차", program="MSP T2", run_code="23-5차", starts_on=None, ends_on=None)
    make_cohort("MSP T2 - 24-2차", program="MSP T2", run_code="24-2차", starts_on=None, ends_on=None)
    html = client.get(reverse("home")).content.decode()
    assert "MSP T2 · 2024" in html and "MSP T2 · 2023" in html and "no dates" not in html and "날짜 없음" not in html
    assert html.index("MSP T2 · 2024") < html.index("MSP T2 · 2023")


# --- Dates set on the site --------------------------------------------------------------------------


def test_an_instructor_sets_the_dates_on_the_site(client):
    teacher = make_user("teacher")
    cohort = make_cohort("날짜 없는 반", starts_on=None, ends_on=None, instructors=[teacher])
    client.force_login(teacher)
    assert f'action="{reverse("cohort-dates", args=[cohort.slug])}"' in page_of(client, cohort)
    before = cohort.version
    response = client.post(reverse("cohort-dates", args=[cohort.slug]),
                           {"starts_on": "2025-03-10", "ends_on": "2025-03-12"}, follow=True)
    cohort.refresh_from_db()
    assert (cohort.starts_on, cohort.ends_on) == (date(2025, 3, 10), date(2025, 3, 12))
    assert cohort.version > before
    assert "기간을 저장했습니다." in response.content.decode()
    assert 'class="schedule-day is-today"' in response.content.decode()  # running now: day 1 of the plan


@pytest.mark.parametrize(
    "fields,message",
    [({"starts_on": "2025-03-12", "ends_on": "2025-03-10"}, "종료일이 시작일보다 앞섭니다."),
     ({"starts_on": "2025-03-12", "ends_on": ""}, "두 날짜를 모두"),
     ({"starts_on": "not a date", "ends_on": "2025-03-10"}, "날짜")],
)
def test_bad_dates_are_refused_with_the_reason_and_nothing_changes(client, fields, message):
    teacher = make_user("teacher")
    cohort = make_cohort("반", starts_on=date(2025, 1, 1), ends_on=date(2025, 1, 3), instructors=[teacher])
    client.force_login(teacher)
    response = client.post(reverse("cohort-dates", args=[cohort.slug]), fields, follow=True)
    assert message in response.content.decode()
    cohort.refresh_from_db()
    assert (cohort.starts_on, cohort.ends_on) == (date(2025, 1, 1), date(2025, 1, 3))


def test_students_and_visitors_cannot_set_dates(client):
    learner = make_user("learner")
    cohort = make_cohort("반", starts_on=None, ends_on=None, students=[learner])
    assert client.post(reverse("cohort-dates", args=[cohort.slug]), {"starts_on": "2025-03-10"}).status_code in (
        302, 403, 404)
    client.force_login(learner)
    assert "cohort-dates-edit" not in page_of(client, cohort)
    assert client.post(reverse("cohort-dates", args=[cohort.slug]), {"starts_on": "2025-03-10"}).status_code == 403
    cohort.refresh_from_db()
    assert cohort.starts_on is None
