"""The curriculum arrives with ``migrate``: a fresh database is never empty of it."""

import pytest

from curriculum.models import Chapter, Lab, ScheduleDay

pytestmark = pytest.mark.django_db

# Pairings exactly as seed 003 writes its curriculum table.
PAIRS = {
    1: ("[Book] 01_Docker_Overview", None),
    2: ("[Book] 02_Docker_Commands", "[Hands-on] 02_Docker_Commands"),
    3: ("[Book] 03_Docker_Storage", "[Hands-on] 03_Docker_Storage"),
    4: ("[Book] 04_Docker_Network", "[Hands-on] 04_Docker_Network"),
    5: ("[Book] 05_Dockerfile", None),
    6: ("[Book] 06_Dockerfile_BestPractice", "[Hands-on] 05_Dockerfile"),
    7: ("[Book] 07_Kubernetes_Overview", "[Hands-on] 07_Kubernetes_Overview"),
    8: ("[Book] 08_Kubernetes_Workload(1)", "[Hands-on] 08_Kubernetes_Workload(1)"),
    9: ("[Book] 09_Kubernetes_Workload(2)", "[Hands-on] 09_Kubernetes_Workload(2)"),
    10: ("[Book] 10_Kubernetes_Service", "[Hands-on] 10_Kubernetes_Service"),
    11: ("[Book] 11_Kubernetes_Storage", "[Hands-on] 11_Kubernetes_Storage"),
    12: ("[Book] 12_Kubernetes_Configuration", "[Hands-on] 12_Kubernetes_Configuration"),
    13: ("[Book] 13_Kubernetes_Deployment_strategies", "[Hands-on] 13_Kubernetes_Deployment_strategies"),
    14: ("[Book] 14_Kubernetes_Horizontal Pod Autoscaler", "[Hands-on] 14_Kubernetes_Horizontal Pod Autoscaler"),
    15: ("[Book] 15_Helm", "[Hands-on] 15_Helm"),
}


def test_fifteen_chapters_with_the_labs_the_notes_pair_them_with():
    chapters = Chapter.objects.select_related("lab")
    assert chapters.count() == 15
    for chapter in chapters:
        lab = getattr(chapter, "lab", None)
        assert (chapter.theory_label, lab.label if lab else None) == PAIRS[chapter.number]


def test_lab_numbers_need_not_match_chapter_numbers():
    assert Lab.objects.get(slug="05_Dockerfile").chapter.number == 6


def test_set_up_and_termination_labs_sit_outside_the_chapters_and_may_be_per_track():
    outside = Lab.objects.filter(chapter__isnull=True)
    assert {lab.kind for lab in outside} == {"setup", "termination"}
    assert {lab.track for lab in Lab.objects.setup("AWS")} == {"AWS", ""}
    assert "SCP" not in {lab.track for lab in Lab.objects.setup("AWS")}


def test_some_labs_include_self_study():
    assert Lab.objects.filter(has_self_study=True).exists()
    assert Lab.objects.filter(has_self_study=False).exists()


def test_the_default_plan_has_three_days_covering_the_fifteen_chapters_in_order():
    days = list(ScheduleDay.objects.default())
    assert [d.day for d in days] == [1, 2, 3]
    covered = [n for d in days for n in d.chapter_numbers()]
    assert covered == list(range(1, 16))
    assert days[0].theory == "Docker overview ~ network"
    assert days[1].theory == "Dockerfile ~ K8s workload(2)"
    assert days[2].theory == "K8s service ~ Helm"
