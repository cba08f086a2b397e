"""The admin as instructors meet it: a long title wraps clear of its buttons, no 404 for the icon,
pasted images on their own line, and a new question without a chapter placed by the one rule."""

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from qa.models import Question
from tests.factories import make_question, make_section

pytestmark = pytest.mark.django_db


def test_admin_pages_link_the_icon_and_the_title_fix_and_favicon_ico_is_no_404(client, staff, cohort):
    question = make_question(make_section(cohort), "`kubectl get pods -o wide --show-labels` " * 5, "답")
    client.force_login(staff)
    html = client.get(reverse("admin:qa_question_change", args=[question.pk])).content.decode()
    assert 'rel="icon"' in html and "css/admin.css" in html
    assert "js/image_drop.js" in html  # pasted or dropped images on a line of their own
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("img/favicon.svg")
    assert finders.find("img/favicon.svg")


def test_a_question_added_in_the_admin_without_a_chapter_gets_the_one_its_text_names(client, staff, cohort):
    section = make_section(cohort, "Kubernetes")
    client.force_login(staff)
    response = client.post(
        reverse("admin:qa_question_add"),
        {"section": section.pk, "position": 1, "question": "StatefulSet은? (CH08)", "answer": "...", "chapter": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Question.objects.get().chapter.number == 8
