"""Chromium (Debian's, driven by Playwright) for the browser tests, and logged-in contexts."""

import os

import pytest

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop


def log_in(context, user, live_server):
    """Give the browser ``context`` the session cookie of ``user`` (no login form involved)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}])


def watch_for_errors(page):
    """Collect every console error and uncaught page error of ``page`` into the returned list."""
    errors = []
    page.on("console", lambda msg: errors.append(f"console {msg.type}: {msg.text}") if msg.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
    return errors


@pytest.fixture
def page(chromium, live_server):
    """A desktop-size Korean page on a fresh context; the test fails on any console or page error."""
    context = chromium.new_context(locale="ko-KR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = watch_for_errors(page)
    yield page
    context.close()
    if errors:
        pytest.fail("The browser reported errors:\n" + "\n".join(errors))


@pytest.fixture
def logged_in_context(chromium, live_server):
    """``logged_in_context(user)``: a fresh browser context with ``user``'s session cookie."""
    contexts = []

    def open_context(user=None, **options):
        context = chromium.new_context(**{"locale": "ko-KR", **options})
        if user is not None:
            log_in(context, user, live_server)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()
