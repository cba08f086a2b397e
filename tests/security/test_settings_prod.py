"""Production settings, each checked in a fresh subprocess with DJANGO_DEBUG=0 (the suite itself runs in debug)."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _env(tmp_path, **overrides):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="mspt3.example.com",
        DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        DJANGO_SETTINGS_MODULE="mspt3.settings",
    )
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


def _run(args, env):
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def _manage(tmp_path, *args, **overrides):
    return _run([sys.executable, "manage.py", *args], _env(tmp_path, **overrides))


def _python(tmp_path, code, **overrides):
    result = _run([sys.executable, "-c", "import django; django.setup()\n" + code], _env(tmp_path, **overrides))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_deploy_check_passes_at_warning_level_with_production_environment(tmp_path):
    result = _manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_deploy_check_fails_on_a_short_secret(tmp_path):
    """Proves the check above is meaningful: a weak secret is a warning, and warnings fail."""
    result = _manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING", DJANGO_SECRET_KEY="short-secret")
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = _manage(tmp_path, "check", DJANGO_SECRET_KEY=None)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_security_settings(tmp_path):
    values = _python(
        tmp_path,
        "from django.conf import settings as s; import json; print(json.dumps({k: getattr(s, k) for k in ["
        "'DEBUG','SECURE_SSL_REDIRECT','SECURE_PROXY_SSL_HEADER','SECURE_HSTS_SECONDS','SECURE_HSTS_INCLUDE_SUBDOMAINS',"
        "'SESSION_COOKIE_SECURE','SESSION_COOKIE_HTTPONLY','CSRF_COOKIE_SECURE','SECURE_CONTENT_TYPE_NOSNIFF',"
        "'SECURE_REFERRER_POLICY','X_FRAME_OPTIONS']}))",
    )
    assert values == {
        "DEBUG": False,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "SECURE_REFERRER_POLICY": "same-origin",
        "X_FRAME_OPTIONS": "DENY",
    }


# A view that needs neither the database nor collected static files (a GET is sent back to /).
_REQUESTS = """
import json
from django.test import Client
client = Client()
plain = client.get('/i18n/setlang/', HTTP_HOST='mspt3.example.com')
proxied = client.get('/i18n/setlang/', HTTP_HOST='mspt3.example.com', HTTP_X_FORWARDED_PROTO='https')
probe = client.get('/healthz', HTTP_HOST='10.0.0.7:8000')
print(json.dumps({
    'plain': [plain.status_code, plain.headers.get('Location')],
    'proxied': [proxied.status_code, proxied.headers.get('Strict-Transport-Security'),
                proxied.headers.get('Content-Security-Policy', '')],
    'probe': probe.status_code,
}))
"""


def test_plain_http_is_redirected_and_https_behind_the_proxy_gets_hsts_and_csp(tmp_path):
    result = _python(tmp_path, _REQUESTS)
    assert result["plain"] == [301, "https://mspt3.example.com/i18n/setlang/"]
    # Probes come by pod IP over plain HTTP (kubelet, HEALTHCHECK): answered, not redirected.
    assert result["probe"] == 200
    status, hsts, csp = result["proxied"]
    assert status == 302
    assert hsts == "max-age=31536000; includeSubDomains; preload"
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


def test_ssl_redirect_can_be_turned_off_for_loopback_serving(tmp_path):
    result = _python(tmp_path, _REQUESTS, DJANGO_SECURE_SSL_REDIRECT="0")
    assert result["plain"] == [302, "/"]


def test_a_host_outside_allowed_hosts_is_refused(tmp_path):
    result = _python(
        tmp_path,
        "import json; from django.test import Client\n"
        "r = Client().get('/i18n/setlang/', HTTP_HOST='evil.example', HTTP_X_FORWARDED_PROTO='https')\n"
        "print(json.dumps(r.status_code))",
    )
    assert result == 400
