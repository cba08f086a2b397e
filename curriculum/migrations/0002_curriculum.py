"""The course's 15 chapters, their labs and the default 3-day plan.

Pairings as the notes write them: chapters 1 and 5 have no lab, and chapter 6
(06_Dockerfile_BestPractice) pairs with lab 05_Dockerfile. The data is written
out here, not imported, so this migration keeps meaning what it meant.
"""

from django.db import migrations

CHAPTERS = [
    # number, slug, title, part, lab slug or None, lab has self-study
    (1, "01_Docker_Overview", "Docker Overview", "docker", None, False),
    (2, "02_Docker_Commands", "Docker Commands", "docker", "02_Docker_Commands", False),
    (3, "03_Docker_Storage", "Docker Storage", "docker", "03_Docker_Storage", False),
    (4, "04_Docker_Network", "Docker Network", "docker", "04_Docker_Network", False),
    (5, "05_Dockerfile", "Dockerfile", "docker", None, False),
    (6, "06_Dockerfile_BestPractice", "Dockerfile Best Practice", "docker", "05_Dockerfile", True),
    (7, "07_Kubernetes_Overview", "Kubernetes Overview", "kubernetes", "07_Kubernetes_Overview", False),
    (8, "08_Kubernetes_Workload(1)", "Kubernetes Workload (1)", "kubernetes", "08_Kubernetes_Workload(1)", False),
    (9, "09_Kubernetes_Workload(2)", "Kubernetes Workload (2)", "kubernetes", "09_Kubernetes_Workload(2)", False),
    (10, "10_Kubernetes_Service", "Kubernetes Service", "kubernetes", "10_Kubernetes_Service", False),
    (11, "11_Kubernetes_Storage", "Kubernetes Storage", "kubernetes", "11_Kubernetes_Storage", False),
    (12, "12_Kubernetes_Configuration", "Kubernetes Configuration", "kubernetes", "12_Kubernetes_Configuration", True),
    (13, "13_Kubernetes_Deployment_strategies", "Kubernetes Deployment Strategies", "kubernetes",
     "13_Kubernetes_Deployment_strategies", False),
    (14, "14_Kubernetes_Horizontal Pod Autoscaler", "Kubernetes Horizontal Pod Autoscaler", "kubernetes",
     "14_Kubernetes_Horizontal Pod Autoscaler", True),
    (15, "15_Helm", "Helm", "kubernetes", "15_Helm", True),
]

# Labs outside the 15 chapters: environment set-up (per track) and termination.
SETUP_LABS = [
    # code, slug, title, kind, track, position
    ("00", "00_Docker_Setup", "Docker environment set-up (AWS)", "setup", "AWS", 1),
    ("00", "00_Docker_Setup", "Docker environment set-up (SCP)", "setup", "SCP", 2),
    ("06", "06_Kubernetes_Setup", "Kubernetes set-up (minikube)", "setup", "", 3),
    ("99", "99_Environment_Termination", "Environment termination", "termination", "", 4),
]

DEFAULT_SCHEDULE = [
    # day, theory, lab, first chapter, last chapter
    (1, "Docker overview ~ network", "Docker 설치 ~ network", 1, 4),
    (2, "Dockerfile ~ K8s workload(2)", "Dockerfile ~ K8s workload(2)", 5, 9),
    (3, "K8s service ~ Helm", "K8s service ~ Helm", 10, 15),
]


def load(apps, schema_editor):
    Chapter = apps.get_model("curriculum", "Chapter")
    Lab = apps.get_model("curriculum", "Lab")
    ScheduleDay = apps.get_model("curriculum", "ScheduleDay")
    chapters = {}
    for number, slug, title, part, lab_slug, self_study in CHAPTERS:
        chapters[number] = Chapter.objects.create(number=number, slug=slug, title=title, part=part)
        if lab_slug:
            Lab.objects.create(
                code=lab_slug[:2], slug=lab_slug, title=lab_slug[3:].replace("_", " "),
                kind="chapter", chapter=chapters[number], has_self_study=self_study, position=number,
            )
    for code, slug, title, kind, track, position in SETUP_LABS:
        Lab.objects.create(code=code, slug=slug, title=title, kind=kind, track=track, position=position)
    for day, theory, lab, first, last in DEFAULT_SCHEDULE:
        ScheduleDay.objects.create(
            day=day, theory=theory, lab=lab, first_chapter=chapters[first], last_chapter=chapters[last]
        )


def unload(apps, schema_editor):
    for model in ("ScheduleDay", "Lab", "Chapter"):
        apps.get_model("curriculum", model).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("curriculum", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
