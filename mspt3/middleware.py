"""Site-wide response hardening and the database-unavailable page.

SecurityHeadersMiddleware adds the Content-Security-Policy (no inline script or
style anywhere on our pages: the site's JS and CSS are static files) and the
headers Django's SecurityMiddleware does not set. DatabaseUnavailableMiddleware
turns a lost database connection into a clean 503 instead of a 500 traceback,
and drops the broken connection so the next request reconnects.
"""

import base64
import hashlib
import re
import sys
from pathlib import Path

import drf_spectacular
from django.conf import settings
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse, JsonResponse
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views import defaults

from mspt3.limits import ANSWER_MAX_CHARS, QUESTION_MAX_CHARS

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        # Notes may show images hosted elsewhere over https, as GitHub does.
        "img-src 'self' https:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def _swagger_style_hash() -> str:
    """The hash of the one fixed <style> block in drf-spectacular's Swagger page.

    Allowing exactly that block (not 'unsafe-inline') keeps the docs page styled
    while any other inline style stays refused. Read from the installed
    template, so an upgrade that changes the block changes the hash with it.
    """
    template = Path(drf_spectacular.__file__).parent / "templates/drf_spectacular/swagger_ui.html"
    match = re.search(r"<style>(.*?)</style>", template.read_text(), re.S)
    digest = hashlib.sha256(match.group(1).encode()).digest() if match else b""
    return f"'sha256-{base64.b64encode(digest).decode()}'"


# Swagger UI (served from drf-spectacular-sidecar's static files, with its
# initialiser as a separate script by SpectacularSwaggerSplitView) draws its
# icons as data: SVG images and needs its fixed <style> block.
_API_DOCS_PREFIX = "/api/docs/"
API_DOCS_POLICY = CONTENT_SECURITY_POLICY.replace(
    "style-src 'self'", f"style-src 'self' {_swagger_style_hash()}"
).replace("img-src 'self' https:", "img-src 'self' https: data:")

PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = API_DOCS_POLICY if request.path.startswith(_API_DOCS_PREFIX) else CONTENT_SECURITY_POLICY
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


class CacheControlMiddleware:
    """Every page says whether a shared cache may keep it, and always revalidates.

    ``private`` wherever the content depends on who asks: any signed-in visitor
    (their name, their private cohorts, their tools) and any response that gives
    the visitor a new cookie (a first CSRF token is theirs alone); ``public`` for
    anonymous visitors, who all get the same page (Django re-sends the CSRF cookie
    they already hold on every page with a form: that carries nothing new, and
    Vary: Cookie and Accept-Language keep visitors and languages apart).
    Responses that set their own (the API, static files, 503s) keep it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Cache-Control" not in response:
            user = getattr(request, "user", None)
            new_cookie = any(morsel.value != request.COOKIES.get(name) for name, morsel in response.cookies.items())
            if new_cookie or (user is not None and user.is_authenticated):
                response["Cache-Control"] = "private, no-cache"
            else:
                # A signed-in visitor's request carries a session cookie: never this copy.
                response["Cache-Control"] = "public, no-cache"
                patch_vary_headers(response, ("Cookie",))
        return response


def _wants_json(request) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", "")


def database_unavailable_response(request) -> HttpResponse:
    """503 with Retry-After, as JSON for API clients and as a page for people."""
    if _wants_json(request):
        response = JsonResponse({"detail": "The database is unavailable. Try again shortly."}, status=503)
    else:
        # A template that needs no database: no user, no context processors' queries.
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = "5"
    response["Cache-Control"] = "no-store"
    return response


def drop_broken_connections() -> None:
    """Close connections the error left unusable, so the next request opens a fresh one."""
    for conn in connections.all(initialized_only=True):
        conn.close_if_unusable_or_obsolete()


# OperationalError also covers errors of one query (SQLite's "Expression tree is too
# large", "too many SQL variables"; PostgreSQL's cancelled statement): those are bugs
# or bad input, not an outage, and must not be reported as one.
_SQLITE_OUTAGES = ("unable to open database", "disk i/o error", "database is locked", "no such table",
                   "database disk image is malformed", "attempt to write a readonly database")
# PostgreSQL SQLSTATE classes: connection exception, insufficient resources, operator
# intervention except a cancelled statement, system error.
_POSTGRES_OUTAGE_CLASSES = ("08", "53", "57", "58")
_POSTGRES_QUERY_CANCELLED = "57014"


def is_database_outage(exception) -> bool:
    """The database cannot be reached or used (503), as opposed to one query failing (500)."""
    if isinstance(exception, InterfaceError):
        return True
    if not isinstance(exception, OperationalError):
        return False
    cause = exception.__cause__
    state = getattr(cause, "sqlstate", None)
    if state is not None:
        return state[:2] in _POSTGRES_OUTAGE_CLASSES and state != _POSTGRES_QUERY_CANCELLED
    if type(cause).__module__.startswith("sqlite3"):
        return any(sign in str(cause).lower() for sign in _SQLITE_OUTAGES)
    return True  # no server answered at all (e.g. psycopg could not connect)


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_outage(exception):
            return None
        drop_broken_connections()
        return database_unavailable_response(request)


def server_error(request):
    """handler500: an error raised outside a view (e.g. saving the session in a
    middleware) that is really a lost database still gets the 503 page; any other
    gets templates/500.html, or JSON (DRF's words) for API clients."""
    exception = sys.exc_info()[1]
    if is_database_outage(exception):
        drop_broken_connections()
        return database_unavailable_response(request)
    if _wants_json(request):
        return JsonResponse({"detail": "A server error occurred."}, status=500)
    return defaults.server_error(request)


class FormBodyLimitMiddleware:
    """A form post larger than DATA_UPLOAD_MAX_MEMORY_SIZE gets a 413 that names the limit and
    the size (plain text, which the quick entry shows as the reason), not Django's bare 400
    from deep inside the CSRF check. Before CsrfViewMiddleware, which reads the body first."""

    FORM_TYPES = ("application/x-www-form-urlencoded",)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if limit is not None and length > limit and request.content_type in self.FORM_TYPES:
            message = _(
                "Too large to save: this is %(size)s and the site accepts at most %(limit)s "
                "(a question may have %(question)s characters, an answer %(answer)s). Nothing was saved."
            ) % {
                "size": filesizeformat(length),
                "limit": filesizeformat(limit),
                "question": f"{QUESTION_MAX_CHARS:,}",
                "answer": f"{ANSWER_MAX_CHARS:,}",
            }
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
