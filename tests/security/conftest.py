"""A Chromium page for the security browser tests (Debian's Chromium via Playwright).

Requests to anything but the live server are aborted, so hostile content can
never reach the network.
"""

import os

import pytest

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop


@pytest.fixture(scope="session")
def security_browser(chromium):
    return chromium


@pytest.fixture
def loopback_page(security_browser, live_server):
    context = security_browser.new_context()
    page = context.new_page()
    local = live_server.url
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(local) else route.abort())
    yield page
    context.close()
