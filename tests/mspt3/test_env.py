import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from mspt3.env import envbool, envint, envlist

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("raw,expected", [("1", True), ("true", True), ("On", True), ("0", False), ("no", False)])
def test_envbool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("X_FLAG", raw)
    assert envbool("X_FLAG", not expected) is expected


def test_envbool_refuses_a_value_it_cannot_read(monkeypatch):
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG='maybe' is not a boolean"):
        envbool("X_FLAG", False)


def test_envint_refuses_a_non_number_and_defaults_when_unset(monkeypatch):
    monkeypatch.delenv("X_NUM", raising=False)
    assert envint("X_NUM", 7) == 7
    monkeypatch.setenv("X_NUM", "12")
    assert envint("X_NUM", 7) == 12
    monkeypatch.setenv("X_NUM", "twelve")
    with pytest.raises(ImproperlyConfigured, match="not an integer"):
        envint("X_NUM", 7)


def test_envlist_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("X_HOSTS", "a.example, b.example,,")
    assert envlist("X_HOSTS", []) == ["a.example", "b.example"]


def _settings_in_subprocess(env_overrides, expr):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"}
    env.update(env_overrides)
    code = f"import django, os; os.environ['DJANGO_SETTINGS_MODULE']='mspt3.settings'; django.setup(); " \
           f"from django.conf import settings as s; print({expr})"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)


def test_production_refuses_to_start_without_a_secret():
    result = _settings_in_subprocess({"DJANGO_DEBUG": "0"}, "s.DEBUG")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_database_url_selects_postgresql_and_default_is_sqlite():
    pg = _settings_in_subprocess(
        {"DJANGO_DEBUG": "1", "DATABASE_URL": "postgres://u@db.example:5432/x"}, "s.DATABASES['default']['ENGINE']"
    )
    assert pg.stdout.strip() == "django.db.backends.postgresql"
    lite = _settings_in_subprocess({"DJANGO_DEBUG": "1"}, "s.DATABASES['default']['ENGINE']")
    assert lite.stdout.strip() == "django.db.backends.sqlite3"


def test_settings_read_media_root_hosts_and_ssl_redirect_from_the_environment():
    result = _settings_in_subprocess(
        {
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "x" * 60,
            "DJANGO_ALLOWED_HOSTS": "notes.example",
            "DJANGO_MEDIA_ROOT": "/srv/mspt3-media",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
        },
        "s.ALLOWED_HOSTS, str(s.MEDIA_ROOT), s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE",
    )
    assert result.stdout.strip() == "['notes.example'] /srv/mspt3-media False True"


def test_a_bad_debug_value_stops_start_up_with_its_name():
    result = _settings_in_subprocess({"DJANGO_DEBUG": "sometimes"}, "s.DEBUG")
    assert result.returncode != 0
    assert "DJANGO_DEBUG='sometimes' is not a boolean" in result.stderr


def test_redis_url_moves_every_cache_alias_to_redis_each_with_its_own_prefix():
    expr = "__import__('json').dumps({a: [c['BACKEND'], c['LOCATION'], c['KEY_PREFIX']] for a, c in s.CACHES.items()})"
    result = _settings_in_subprocess({"DJANGO_DEBUG": "1", "REDIS_URL": "redis://cache.internal:6379/3"}, expr)
    assert result.returncode == 0, result.stderr
    caches = json.loads(result.stdout)
    assert caches
    assert {tuple(c[:2]) for c in caches.values()} == {
        ("django.core.cache.backends.redis.RedisCache", "redis://cache.internal:6379/3")
    }
    assert len({c[2] for c in caches.values()}) == len(caches)  # no two aliases share keys


def test_without_redis_url_the_embedded_cache_stays():
    result = _settings_in_subprocess({"DJANGO_DEBUG": "1"}, "{c['BACKEND'] for c in s.CACHES.values()}")
    assert "RedisCache" not in result.stdout and result.returncode == 0


def test_media_storage_is_the_disk_by_default_the_database_on_request_and_nothing_else():
    backend = "s.STORAGES['default']['BACKEND']"
    assert _settings_in_subprocess({"DJANGO_DEBUG": "1"}, backend).stdout.strip().endswith("FileSystemStorage")
    database = _settings_in_subprocess({"DJANGO_DEBUG": "1", "DJANGO_MEDIA_STORAGE": "database"}, backend)
    assert database.stdout.strip() == "filestore.storage.DatabaseStorage"
    wrong = _settings_in_subprocess({"DJANGO_DEBUG": "1", "DJANGO_MEDIA_STORAGE": "s3"}, backend)
    assert wrong.returncode != 0 and "DJANGO_MEDIA_STORAGE='s3' is not one of filesystem, database" in wrong.stderr


def test_email_url_names_the_backend_and_its_server():
    from mspt3.env import email_settings

    assert email_settings("console://") == {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    smtp = email_settings("smtp://mailer:p%40ss@mail.internal:587?tls=1")
    assert smtp == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "EMAIL_HOST": "mail.internal",
        "EMAIL_PORT": 587, "EMAIL_HOST_USER": "mailer", "EMAIL_HOST_PASSWORD": "p@ss", "EMAIL_USE_SSL": False,
        "EMAIL_USE_TLS": True,
    }
    assert email_settings("smtps://mail.internal")["EMAIL_PORT"] == 465


def test_email_is_printed_by_default_and_a_wrong_url_fails_at_start():
    backend = "s.EMAIL_BACKEND"
    assert _settings_in_subprocess({"DJANGO_DEBUG": "1"}, backend).stdout.strip().endswith("console.EmailBackend")
    wrong = _settings_in_subprocess({"DJANGO_DEBUG": "1", "DJANGO_EMAIL_URL": "sendgrid://x"}, backend)
    assert wrong.returncode != 0 and "DJANGO_EMAIL_URL='sendgrid://x'" in wrong.stderr
