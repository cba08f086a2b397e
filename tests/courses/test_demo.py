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
