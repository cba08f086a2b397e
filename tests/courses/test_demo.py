import pytest
from django.core.management import call_command

from courses.models import Cohort
from qa.models import Question

pytestmark = pytest.mark.django_db


def test_load_demo_gives_a_cohort_with_answered_and_pending_questions():
    call_command("load_demo")
    demo = Cohort.objects.get(slug="demo")
    questions = Question.objects.filter(section__cohort=demo)
    assert questions.pending().exists() and questions.answered().exists()


def test_load_demo_twice_does_not_duplicate_anything():
    call_command("load_demo")
    counts = (Cohort.objects.count(), Question.objects.count())
    call_command("load_demo")
    assert (Cohort.objects.count(), Question.objects.count()) == counts


def test_the_demo_cohort_page_and_a_chapter_page_answer(client):
    call_command("load_demo")
    assert client.get("/").status_code == 200
    assert "/cohorts/demo/" in client.get("/").text
    assert client.get("/cohorts/demo/").status_code == 200
    assert client.get("/chapters/6/").status_code == 200


def test_a_new_demo_cohort_is_running_from_the_day_it_is_loaded():
    from datetime import date

    import time_machine

    with time_machine.travel(date(2026, 3, 2)):
        call_command("load_demo")
        assert list(Cohort.objects.running().values_list("slug", flat=True)) == ["demo"]
    with time_machine.travel(date(2026, 3, 9)):
        call_command("load_demo")  # a later sync keeps the dates it had
        assert Cohort.objects.get(slug="demo").starts_on == date(2026, 3, 2)
