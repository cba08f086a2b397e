"""Failed logins are counted per username+address; past the limit even the right password is refused."""

import pytest
from django.core.cache import cache

from courses import login_limit
from tests.factories import make_user

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
PASSWORD = "pw-for-tests-only"


@pytest.fixture(autouse=True)
def _fresh_counter():
    cache.clear()
    yield
    cache.clear()


def _attempt(client, username, password, address="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def _lock_out(client, username, address="10.0.0.1"):
    for _ in range(login_limit.FAILURE_LIMIT):
        assert _attempt(client, username, "wrong", address).status_code == 200


def test_failed_attempts_up_to_the_limit_then_429_with_a_lockout_message(client):
    make_user("teacher", staff=True)
    _lock_out(client, "teacher")
    response = _attempt(client, "teacher", "wrong")
    assert response.status_code == 429
    assert "Retry-After" in response
    assert "Too many" in response.content.decode() or "너무" in response.content.decode()


def test_the_correct_password_is_still_refused_during_the_lockout(client):
    make_user("teacher", staff=True)
    _lock_out(client, "teacher")
    response = _attempt(client, "teacher", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_username_and_address(client):
    make_user("teacher", staff=True)
    make_user("other", staff=True)
    _lock_out(client, "teacher", "10.0.0.1")
    assert _attempt(client, "teacher", PASSWORD, "10.0.0.2").status_code == 302
    client.logout()
    assert _attempt(client, "other", PASSWORD, "10.0.0.1").status_code == 302


def test_username_case_does_not_give_extra_attempts(client):
    make_user("teacher", staff=True)
    _lock_out(client, "Teacher")
    assert _attempt(client, "TEACHER", PASSWORD).status_code == 429


def test_a_successful_login_resets_the_counter(client):
    make_user("teacher", staff=True)
    for _ in range(login_limit.FAILURE_LIMIT - 1):
        _attempt(client, "teacher", "wrong")
    assert _attempt(client, "teacher", PASSWORD).status_code == 302
    client.logout()
    for _ in range(login_limit.FAILURE_LIMIT - 1):
        _attempt(client, "teacher", "wrong")
    assert _attempt(client, "teacher", PASSWORD).status_code == 302
