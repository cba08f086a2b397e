"""/api/cohorts/, /api/chapters/ and /api/cohorts/<slug>/progress/ against expected data."""

from datetime import UTC, date, datetime

import pytest
import time_machine

from curriculum.models import Progress
from tests.factories import make_cohort, make_progress, make_question, make_section


def slugs(response):
    return [item["slug"] for item in response.json()["results"]]


def test_cohort_list_is_public_cohorts_for_anonymous_plus_own_for_members(
    anon, as_student, as_outsider, as_staff, cohort, private_cohort
):
    hidden = make_cohort("남의 비공개", public=False)
    assert slugs(anon.get("/api/cohorts/")) == [cohort.slug]
    assert sorted(slugs(as_student.get("/api/cohorts/"))) == sorted([cohort.slug, private_cohort.slug])
    assert slugs(as_outsider.get("/api/cohorts/")) == [cohort.slug]
    assert sorted(slugs(as_staff.get("/api/cohorts/"))) == sorted([cohort.slug, private_cohort.slug, hidden.slug])


def test_cohort_list_is_newest_first_with_counts(anon):
    older = make_cohort("MSP T2 - 23-2차", starts_on=date(2023, 6, 1), ends_on=date(2023, 6, 3))
    newer = make_cohort("MSP T3 - 24-1차", starts_on=date(2024, 3, 4), ends_on=date(2024, 3, 6))
    section = make_section(newer)
    make_question(section, "답 있음", "답")
    make_question(section, "대기 중", "...")
    results = anon.get("/api/cohorts/").json()["results"]
    assert [r["slug"] for r in results] == [newer.slug, older.slug]
    assert (results[0]["question_count"], results[0]["pending_count"]) == (2, 1)
    assert results[0]["url"] == newer.get_absolute_url()


def test_cohort_detail_has_sections_schedule_and_progress(anon, cohort, section):
    make_question(section, "질문")
    make_section(cohort, "Kubernetes")
    with time_machine.travel(datetime(2024, 1, 2, 1, 0, tzinfo=UTC), tick=False):
        progress = make_progress(cohort, 6, theory=True)
    data = anon.get(f"/api/cohorts/{cohort.slug}/").json()
    assert data["title"] == "MSP T3 - 공개 코호트" and data["slug"] == cohort.slug
    assert [(s["title"], s["question_count"]) for s in data["sections"]] == [("Docker", 1), ("Kubernetes", 0)]
    assert [(d["day"], d["first_chapter"], d["last_chapter"]) for d in data["schedule"]] == [
        (1, 1, 4), (2, 5, 9), (3, 10, 15)
    ]
    assert len(data["progress"]) == 15
    ch6 = data["progress"][5]
    assert (ch6["chapter"], ch6["theory_done"], ch6["lab_done"], ch6["lab_label"]) == (
        6, True, False, "[Hands-on] 05_Dockerfile"
    )
    assert ch6["theory_done_at"] == "2024-01-02T10:00:00+09:00"
    assert progress.theory_done_at.isoformat() == "2024-01-02T01:00:00+00:00"


def test_korean_slug_is_found(anon):
    cohort = make_cohort("도커 교육 1차")
    response = anon.get(f"/api/cohorts/{cohort.slug}/")
    assert response.status_code == 200 and response.json()["title"] == "도커 교육 1차"


def test_private_cohort_is_404_without_a_hint(anon, private_cohort):
    response = anon.get(f"/api/cohorts/{private_cohort.slug}/")
    unknown = anon.get("/api/cohorts/no-such-cohort/")
    assert response.status_code == unknown.status_code == 404
    assert response.json() == unknown.json()


def test_chapters_list_all_fifteen_with_labs(anon):
    data = anon.get("/api/chapters/").json()
    assert [c["number"] for c in data] == list(range(1, 16))
    assert data[0]["lab"] is None and data[4]["lab"] is None
    assert data[5]["theory_label"] == "[Book] 06_Dockerfile_BestPractice"
    assert data[5]["lab"]["label"] == "[Hands-on] 05_Dockerfile"


def test_chapter_detail_by_number_and_404_beyond(anon):
    assert anon.get("/api/chapters/15/").json()["title"] == "Helm"
    assert anon.get("/api/chapters/16/").status_code == 404
    assert anon.get("/api/chapters/abc/").status_code == 404


def test_progress_list_covers_every_chapter(anon, cohort):
    make_progress(cohort, 2, theory=True, lab=True)
    data = anon.get(f"/api/cohorts/{cohort.slug}/progress/").json()
    assert [p["chapter"] for p in data] == list(range(1, 16))
    assert [(p["theory_done"], p["lab_done"]) for p in data if p["theory_done"]] == [(True, True)]
    assert data[0]["has_lab"] is False and data[1]["has_lab"] is True


def test_progress_patch_records_who_and_when_and_keeps_the_first_record(as_instructor, instructor, staff, cohort):
    url = f"/api/cohorts/{cohort.slug}/progress/6/"
    instructor.first_name = "김강사"
    instructor.save()
    with time_machine.travel(datetime(2024, 1, 2, 2, 0, tzinfo=UTC), tick=False):
        first = as_instructor.patch(url, {"theory_done": True}, format="json").json()
    # An instructor sees people by display name; staff (below) by login name.
    assert (first["theory_done"], first["theory_done_by"], first["lab_done"]) == (True, "김강사", False)
    assert first["theory_done_at"] == "2024-01-02T11:00:00+09:00"
    from tests.api.conftest import client_for

    again = client_for(staff).patch(url, {"theory_done": True, "lab_done": True}, format="json").json()
    assert (again["theory_done_by"], again["theory_done_at"]) == ("instructor", first["theory_done_at"])
    assert again["lab_done_by"] == "admin"
    progress = Progress.objects.get(cohort=cohort, chapter__number=6)
    assert (progress.theory_done_by, progress.lab_done_by) == (instructor, staff)


def test_progress_patch_false_clears_who_and_when(as_instructor, cohort):
    make_progress(cohort, 3, theory=True, lab=True)
    data = as_instructor.patch(f"/api/cohorts/{cohort.slug}/progress/3/", {"lab_done": False}, format="json").json()
    assert (data["theory_done"], data["lab_done"]) == (True, False)
    assert (data["lab_done_at"], data["lab_done_by"]) == (None, None)


def test_progress_patch_bumps_the_cohort_version_only_when_something_changes(as_instructor, cohort):
    url = f"/api/cohorts/{cohort.slug}/progress/6/"
    as_instructor.patch(url, {"theory_done": True}, format="json")
    cohort.refresh_from_db()
    version = cohort.version
    as_instructor.patch(url, {"theory_done": True}, format="json")
    cohort.refresh_from_db()
    assert cohort.version == version


@pytest.mark.parametrize(
    "number, body, field",
    [(1, {"lab_done": True}, "lab_done"), (6, {"theory_done": "maybe"}, "theory_done"),
     (6, {"lab_done": [True]}, "lab_done")],
)
def test_invalid_progress_patch_is_400_and_changes_nothing(as_instructor, cohort, number, body, field):
    response = as_instructor.patch(f"/api/cohorts/{cohort.slug}/progress/{number}/", body, format="json")
    assert response.status_code == 400 and field in response.json()
    assert not Progress.objects.filter(cohort=cohort).exclude(theory_done_at=None, lab_done_at=None).exists()


def test_progress_of_an_unknown_chapter_is_404(as_instructor, cohort):
    assert as_instructor.patch(f"/api/cohorts/{cohort.slug}/progress/16/", {}, format="json").status_code == 404


def test_cohort_list_and_detail_queries_do_not_grow_with_the_data(anon, django_assert_max_num_queries):
    for n in range(10):
        cohort = make_cohort(f"코호트 {n}")
        make_question(make_section(cohort), "질문")
        make_progress(cohort, 1 + n, theory=True)
    with django_assert_max_num_queries(4):
        assert len(anon.get("/api/cohorts/").json()["results"]) == 10
    with django_assert_max_num_queries(10):
        assert len(anon.get(f"/api/cohorts/{cohort.slug}/").json()["progress"]) == 15
