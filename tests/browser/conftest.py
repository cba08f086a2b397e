"""Chromium (Debian's, driven by Playwright) for the browser tests, and logged-in contexts."""

import os

import pytest

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def logged_in_context(chromium, live_server):
    """``logged_in_context(user)``: a fresh browser context with ``user``'s session cookie."""
    from django.test import Client

    contexts = []

    def open_context(user=None):
        context = chromium.new_context(locale="ko-KR")
        if user is not None:
            client = Client()
            client.force_login(user)
            cookie = client.cookies["sessionid"]
            context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()
