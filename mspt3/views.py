import secrets

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connection
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


def _database_error() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return str(exc)[:200]
    return None


def _cache_error() -> str | None:
    """None when every cache alias stores and returns a value (for Redis: the server answers)."""
    # A key of its own per probe: replicas probing one shared cache at once never see each other's value.
    key = f"readyz-{secrets.token_hex(8)}"
    for alias in settings.CACHES:
        try:
            cache = caches[alias]
            cache.set(key, alias, timeout=10)
            if cache.get(key) != alias:
                return f"{alias}: the value written was not read back"
            cache.delete(key)
        except Exception as exc:  # noqa: BLE001 — each client library raises its own kinds; all mean "not reachable".
            return f"{alias}: {exc}"[:200]
    return None


@never_cache
@require_safe
def healthz(request):
    """200 while the database answers a query, 503 (with the reason) when it does not."""
    error = _database_error()
    if error:
        return JsonResponse({"status": "error", "database": "unavailable", "detail": error}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@never_cache
@require_safe
def readyz(request):
    """200 when this process can serve: the database and every cache answer; 503 names what does not.

    Liveness stays /healthz: a cache outage makes a replica unready (taken out of the
    load balancer), never restarted."""
    database, cache = _database_error(), _cache_error()
    ready = not (database or cache)
    body = {"status": "ok" if ready else "error", "database": database or "ok", "cache": cache or "ok"}
    return JsonResponse(body, status=200 if ready else 503)


@require_safe
def favicon(request):
    """/favicon.ico, which browsers ask for on pages that link no icon (the admin's): the site's SVG."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a form sent from a stale page (its token changed at a sign-in or sign-out
    in another tab) or without cookies gets the site's page with the way back, not Django's bare
    one. Unlike Django's view it renders with the request, so the header shows who is signed in."""
    return render(request, "403_csrf.html", status=403)
