"""Accounts: log in and out, join a cohort by invite link, rotate the link."""

import pytest
from django.urls import reverse

from courses.models import Cohort, Membership
from tests.factories import make_cohort, make_user

pytestmark = pytest.mark.django_db


def join_url(cohort, token=None):
    return reverse("cohort-join", args=[cohort.slug, token or cohort.invite_token])


def test_login_page_logs_in_and_redirects_to_next(client, instructor, cohort):  # cohort: they teach it
    page = client.get(reverse("login"))
    assert page.status_code == 200 and 'name="password"' in page.content.decode()
    response = client.post(
        reverse("login"), {"username": "instructor", "password": "pw-for-tests-only", "next": "/pending/"}
    )
    assert response.status_code == 302 and response["Location"] == "/pending/"
    assert client.get(reverse("pending")).status_code == 200


def test_a_wrong_password_is_refused_with_the_form_again(client, instructor):
    response = client.post(reverse("login"), {"username": "instructor", "password": "wrong"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_the_login_page_is_korean_by_default_and_english_on_request(client):
    assert "<h1>로그인</h1>" in client.get(reverse("login")).content.decode()
    assert "<h1>Log in</h1>" in client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_logout_is_a_post_and_ends_the_session(client, instructor):
    client.force_login(instructor)
    assert client.get(reverse("logout")).status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_joining_needs_a_login(client, private_cohort):
    response = client.get(join_url(private_cohort))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_an_invite_link_shows_a_private_cohort_and_joining_makes_a_student(client, outsider, private_cohort):
    client.force_login(outsider)
    assert client.get(private_cohort.get_absolute_url()).status_code == 404
    confirm = client.get(join_url(private_cohort))
    assert confirm.status_code == 200 and private_cohort.title in confirm.content.decode()
    assert not Membership.objects.filter(user=outsider).exists()  # GET only asks
    response = client.post(join_url(private_cohort))
    assert response.status_code == 302 and response["Location"] == private_cohort.get_absolute_url()
    assert Membership.objects.get(user=outsider, cohort=private_cohort).role == Membership.Role.STUDENT
    assert client.get(private_cohort.get_absolute_url()).status_code == 200


def test_joining_twice_is_one_membership(client, outsider, private_cohort):
    client.force_login(outsider)
    client.post(join_url(private_cohort))
    client.post(join_url(private_cohort))
    assert Membership.objects.filter(user=outsider, cohort=private_cohort).count() == 1


def test_an_instructor_following_the_link_stays_an_instructor(client, instructor, private_cohort):
    client.force_login(instructor)
    client.post(join_url(private_cohort))
    assert Membership.objects.get(user=instructor, cohort=private_cohort).role == Membership.Role.INSTRUCTOR


def test_a_wrong_token_is_not_found_and_joins_nothing(client, outsider, private_cohort):
    client.force_login(outsider)
    assert client.post(join_url(private_cohort, "not-the-token")).status_code == 404
    assert client.get(join_url(private_cohort, "not-the-token")).status_code == 404
    assert not Membership.objects.filter(user=outsider).exists()


def test_rotating_makes_the_old_link_stop_working(client, instructor, outsider, private_cohort):
    old_url = join_url(private_cohort)
    version = private_cohort.version
    client.force_login(instructor)
    response = client.post(reverse("cohort-rotate-invite", args=[private_cohort.slug]))
    assert response.status_code == 302
    private_cohort.refresh_from_db()
    assert join_url(private_cohort) != old_url
    assert private_cohort.version > version  # instructors' pages show the new link
    client.force_login(outsider)
    assert client.post(old_url).status_code == 404
    assert client.post(join_url(private_cohort)).status_code == 302
    assert Membership.objects.filter(user=outsider, cohort=private_cohort).exists()


@pytest.mark.parametrize("who", ["student", "outsider"])
def test_only_the_cohorts_instructors_may_rotate(client, request, private_cohort, who):
    token = private_cohort.invite_token
    client.force_login(request.getfixturevalue(who))
    response = client.post(reverse("cohort-rotate-invite", args=[private_cohort.slug]))
    assert response.status_code == (403 if who == "student" else 404)
    assert Cohort.objects.get(pk=private_cohort.pk).invite_token == token


def test_rotating_needs_a_post(client, instructor, private_cohort):
    client.force_login(instructor)
    assert client.get(reverse("cohort-rotate-invite", args=[private_cohort.slug])).status_code == 405


def test_the_instructors_page_shows_the_invite_link_and_students_pages_do_not(client, instructor, student, cohort):
    client.force_login(instructor)
    assert join_url(cohort) in client.get(cohort.get_absolute_url()).content.decode()
    client.force_login(student)
    assert cohort.invite_token not in client.get(cohort.get_absolute_url()).content.decode()


def test_another_cohorts_token_does_not_open_this_one(client, outsider, private_cohort):
    other = make_cohort("다른 반", instructors=[make_user("x")])
    client.force_login(outsider)
    assert client.post(join_url(private_cohort, other.invite_token)).status_code == 404
