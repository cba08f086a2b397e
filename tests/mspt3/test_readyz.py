"""/readyz: ready only when the database and every cache answer; the probes reach the
site by pod IP over plain HTTP, so they are served before host validation and the redirect."""

import pytest
from django.test import override_settings

from tests.deploy.instances import free_port, redis_url


def _redis_caches(location):
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": "mspt3-test-default",
            "OPTIONS": {"socket_connect_timeout": 2},
        },
    }


@pytest.mark.django_db
def test_readyz_is_200_when_the_database_and_the_cache_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_is_200_on_a_real_redis(client):
    # override_settings, not the settings fixture: the suite's cache clean-up must not see Redis.
    with override_settings(CACHES=_redis_caches(redis_url())):
        assert client.get("/readyz").json()["cache"] == "ok"


@pytest.mark.django_db
def test_readyz_is_503_naming_the_cache_when_redis_does_not_answer_while_healthz_stays_200(client):
    with override_settings(CACHES=_redis_caches(f"redis://127.0.0.1:{free_port()}/0")):
        response = client.get("/readyz")
        assert response.status_code == 503
        body = response.json()
        assert body["status"] == "error" and body["database"] == "ok"
        assert body["cache"].startswith("default: ") and "refused" in body["cache"].lower()
        assert client.get("/healthz").status_code == 200  # alive: a cache outage must not restart replicas


@pytest.mark.django_db
def test_readyz_refuses_writes(client):
    assert client.post("/readyz").status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_answer_on_a_host_the_site_does_not_serve_and_over_plain_http(client, settings, path):
    settings.ALLOWED_HOSTS = ["course.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/", HTTP_HOST="10.1.2.3:8000").status_code == 400  # the site itself refuses that host
    response = client.get(path, HTTP_HOST="10.1.2.3:8000")
    assert response.status_code == 200 and response.json()["status"] == "ok"
    assert client.get("/", HTTP_HOST="course.example.org").status_code == 301  # and redirects to HTTPS
