"""A form post over the body limit: 413 naming the limit and the size, nothing saved."""

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils.http import urlencode

from qa.models import Question
from tests.factories import make_section

pytestmark = pytest.mark.django_db
FETCH = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


def post_form(client, url, fields):
    """As the quick entry sends it: application/x-www-form-urlencoded."""
    return client.post(url, urlencode(fields), content_type="application/x-www-form-urlencoded", **FETCH)


def test_a_huge_question_is_refused_with_the_limit_and_its_size(client, instructor, cohort):
    section = make_section(cohort, "Docker")
    client.force_login(instructor)
    # 1.2 M Korean characters: 10.8 MB once form-encoded (9 bytes each).
    response = post_form(
        client, reverse("question-create", args=[cohort.slug]), {"question": "가" * 1_200_000, "section": section.pk}
    )
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "10.3" in text and "5.0" in text and "2,000" in text, text
    assert not Question.objects.exists()


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=None)
def test_no_limit_means_no_refusal(client, instructor, cohort):
    section = make_section(cohort, "Docker")
    client.force_login(instructor)
    response = post_form(
        client, reverse("question-create", args=[cohort.slug]), {"question": "가" * 3000, "section": section.pk}
    )
    assert response.status_code == 400  # the question's own limit, with the form's message
    assert "2000" in response.content.decode() or "2,000" in response.content.decode()


def test_an_ordinary_post_passes(client, instructor, cohort):
    section = make_section(cohort, "Docker")
    client.force_login(instructor)
    response = post_form(
        client, reverse("question-create", args=[cohort.slug]), {"question": "짧은 질문", "section": section.pk}
    )
    assert response.status_code == 201
