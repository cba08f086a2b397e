"""API clients for the standing characters, authenticated by token as scripts are."""

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


@pytest.fixture(autouse=True)
def fresh_throttle_history():
    """Throttle counts live in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def anon(db):
    return APIClient()


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def as_instructor(instructor):
    return client_for(instructor)


@pytest.fixture
def as_student(student):
    return client_for(student)


@pytest.fixture
def as_outsider(outsider):
    return client_for(outsider)


@pytest.fixture
def as_staff(staff):
    return client_for(staff)


# Operation → {status: count}, filled by test_schemathesis.py and reported at the end.
schemathesis_tally: dict[str, dict[int, int]] = {}


def pytest_terminal_summary(terminalreporter):
    if not schemathesis_tally:
        return
    total = sum(sum(counts.values()) for counts in schemathesis_tally.values())
    statuses: dict[int, int] = {}
    for counts in schemathesis_tally.values():
        for code, n in counts.items():
            statuses[code] = statuses.get(code, 0) + n
    by_status = ", ".join(f"{code}: {n}" for code, n in sorted(statuses.items()))
    terminalreporter.write_line(
        f"schemathesis: {total} cases over {len(schemathesis_tally)} operations ({by_status})"
    )
