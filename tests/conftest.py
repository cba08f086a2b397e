"""The standing characters: an instructor, a student of the cohort, an outsider."""

import pytest

from tests.chromium import launch_chromium
from tests.factories import make_cohort, make_section, make_user


def pytest_collection_modifyitems(items):
    """Every transactional test restores the saved database (``serialized_rollback``), the
    browser tests' setting. One without it ends in a flush whose post_migrate re-creates the
    content types under other ids, and every serialized test after it then fails to load the
    saved ones (UNIQUE constraint on django_content_type): the whole browser suite errored so."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker and marker.kwargs.get("transaction") and "serialized_rollback" not in marker.kwargs:
            # First, so it is the closest marker whether the test or its module carries the original.
            serialized = pytest.mark.django_db(*marker.args, **marker.kwargs, serialized_rollback=True)
            item.add_marker(serialized, append=False)


@pytest.fixture
def instructor(db):
    return make_user("instructor")


@pytest.fixture
def student(db):
    return make_user("student")


@pytest.fixture
def outsider(db):
    return make_user("outsider")


@pytest.fixture
def staff(db):
    return make_user("admin", staff=True)


@pytest.fixture
def people(instructor, student, staff):
    """Every role of the permission matrices, by name; the other two belong to another, private cohort."""
    other_instructor, other_student = make_user("other_instructor"), make_user("other_student")
    make_cohort("다른 코호트", public=False, instructors=[other_instructor], students=[other_student])
    return {
        "anonymous": None,
        "student": student,
        "other_student": other_student,
        "instructor": instructor,
        "other_instructor": other_instructor,
        "staff": staff,
    }


@pytest.fixture
def cohort(instructor, student):
    """A public cohort taught by ``instructor`` with ``student`` enrolled."""
    return make_cohort("MSP T3 - 공개 코호트", public=True, instructors=[instructor], students=[student])


@pytest.fixture
def private_cohort(instructor, student):
    return make_cohort("MSP T3 - 비공개 코호트", public=False, instructors=[instructor], students=[student])


@pytest.fixture
def teaching(client, instructor, cohort):
    """The test client, signed in as the cohort's instructor."""
    client.force_login(instructor)
    return client


@pytest.fixture
def section(cohort):
    return make_section(cohort, "Docker")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests create many users; a deliberately slow hasher would dominate the run."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def freshness_watches_closed(django_db_setup):
    """courses.freshness's own connections closed before the test database is dropped
    (PostgreSQL refuses to drop a database a connection still listens on)."""
    yield
    from courses.freshness import close_watches

    close_watches()


@pytest.fixture(scope="session")
def chromium(django_db_setup):
    """Debian's Chromium for every browser test. One per session: Playwright's sync API
    cannot run two instances at once, so browser and security tests share this one."""
    from django.db import connections
    from playwright.sync_api import sync_playwright

    before = {alias: connections[alias] for alias in connections}
    with sync_playwright() as playwright:
        # Playwright leaves an event loop running in this thread, and Django's connections
        # are context-local: from here on this thread gets new connection objects, which
        # lack the test database's serialized contents. Without them serialized_rollback
        # silently restores nothing, and every live-server test after the first one
        # finds the curriculum (a data migration) flushed away.
        for alias, connection in before.items():
            if hasattr(connection, "_test_serialized_contents"):
                connections[alias]._test_serialized_contents = connection._test_serialized_contents
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Imported images land in a throw-away folder, never in the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with empty caches: no page or throttle count leaks between tests
    (nor a cohort head kept from a cohort the last test's rollback took away)."""
    from django.core.cache import caches

    from courses.freshness import forget

    forget()
    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()
