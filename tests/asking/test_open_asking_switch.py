"""Instructors open or close asking to visitors from the cohort page and the API (can_write),
not only in the admin; the API's cohort shows the setting to everyone."""

import pytest
from django.test import Client
from django.urls import reverse

from courses.models import Cohort
from tests.api.conftest import client_for as api_client_for
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def page_client(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def stored(cohort):
    fresh = Cohort.objects.get(pk=cohort.pk)
    return fresh.open_asking, fresh.version


def test_the_cohort_pages_instructor_tools_switch_open_asking(cohort, instructor, student, staff):
    url = reverse("cohort-open-asking", args=[cohort.slug])
    html = page_client(instructor).get(cohort.get_absolute_url()).content.decode()
    assert f'action="{url}"' in html and 'value="on"' in html
    assert f'action="{url}"' not in page_client(student).get(cohort.get_absolute_url()).content.decode()
    _, version = stored(cohort)
    for who in (student, make_user("outsider"), None):
        assert page_client(who).post(url, {"open_asking": "on"}).status_code in (403, 302)
        assert stored(cohort) == (False, version)
    response = page_client(instructor).post(url, {"open_asking": "on"}, follow=True)
    assert "방문자도" in response.content.decode()
    on, moved = stored(cohort)
    assert on is True and moved > version  # announced: the page's ETag moves
    assert 'value="off"' in response.content.decode()
    page_client(staff).post(url, {"open_asking": "off"})
    assert stored(cohort)[0] is False


def test_a_private_cohort_cannot_open_asking(private_cohort, instructor):
    url = reverse("cohort-open-asking", args=[private_cohort.slug])
    assert f'action="{url}"' not in page_client(instructor).get(private_cohort.get_absolute_url()).content.decode()
    before = stored(private_cohort)
    response = page_client(instructor).post(url, {"open_asking": "on"}, follow=True)
    assert "public cohorts" in response.content.decode() and stored(private_cohort) == before


def test_the_api_shows_open_asking_and_lets_instructors_change_it(cohort, private_cohort, instructor, student):
    detail = f"/api/cohorts/{cohort.slug}/"
    assert api_client_for(None).get(detail).json()["open_asking"] is False
    assert all("open_asking" in row for row in api_client_for(student).get("/api/cohorts/").json()["results"])
    before = stored(cohort)
    assert api_client_for(student).patch(detail, {"open_asking": True}, format="json").status_code == 403
    assert api_client_for(None).patch(detail, {"open_asking": True}, format="json").status_code == 401
    teacher = api_client_for(instructor)
    for body in ({}, {"open_asking": "maybe"}, {"open_asking": None}):
        assert teacher.patch(detail, body, format="json").status_code == 400
    stale = teacher.patch(detail, {"open_asking": True}, format="json", HTTP_IF_MATCH='"stale"')
    assert stale.status_code == 412 and stale.json()["current"]["open_asking"] is False
    assert stored(cohort) == before
    etag = teacher.get(detail)["ETag"]
    changed = teacher.patch(detail, {"open_asking": True}, format="json", HTTP_IF_MATCH=etag)
    assert changed.status_code == 200 and changed.json()["open_asking"] is True and changed["ETag"] != etag
    assert stored(cohort)[0] is True
    refused = teacher.patch(f"/api/cohorts/{private_cohort.slug}/", {"open_asking": True}, format="json")
    assert refused.status_code == 400 and "open_asking" in refused.json()
    assert Cohort.objects.get(pk=private_cohort.pk).open_asking is False
