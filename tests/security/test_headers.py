"""Every response carries the security headers; the CSP forbids inline script and style."""

import re

import pytest

pytestmark = pytest.mark.django_db


def _directives(policy: str) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in policy.split(";"))


def test_pages_send_a_csp_without_unsafe_inline_or_eval(client, cohort):
    response = client.get(f"/cohorts/{cohort.slug}/")
    policy = response["Content-Security-Policy"]
    directives = _directives(policy)
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


# /healthz and /readyz are answered before the site's middleware (mspt3/probes.py): not pages.
@pytest.mark.parametrize("path", ["/", "/api/cohorts/", "/no-such-page/", "/admin/login/"])
def test_every_kind_of_response_carries_nosniff_referrer_policy_and_frame_denial(client, path):
    response = client.get(path)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_site_pages_contain_no_inline_script_or_style_attribute(client, cohort, instructor):
    """The CSP would block them, so their presence would be a broken page."""
    client.force_login(instructor)
    for path in ["/", f"/cohorts/{cohort.slug}/", "/chapters/6/"]:
        html = client.get(path).content.decode()
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag or 'type="application/json"' in tag, (path, tag)
        assert not re.search(r"\sstyle\s*=", html), path
        assert not re.search(r"<style\b", html), path
        assert not re.search(r"\son[a-z]+\s*=", html), path


def test_api_docs_policy_allows_only_the_swagger_style_block_by_hash_not_unsafe_inline(client):
    from mspt3.middleware import API_DOCS_POLICY

    directives = _directives(API_DOCS_POLICY)
    assert directives["script-src"] == "'self'"
    assert re.fullmatch(r"'self' 'sha256-[A-Za-z0-9+/]{43}='", directives["style-src"])
    assert "unsafe-inline" not in API_DOCS_POLICY
