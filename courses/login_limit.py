"""Login rate limiting: after too many failed attempts for one username from
one address, that pair is locked out for a while, even with the right password.

A small cache-based counter rather than django-axes: axes needs an
authentication backend that refuses ``authenticate()`` calls without a request
(the test client's ``login()``, DRF token auth) and its own tables, while the
site has exactly two password forms to guard (its login page and the admin's).
The counter lives in the default cache: with several gunicorn processes, point
DJANGO_CACHE_BACKEND at a shared cache (e.g. Redis or the database cache).
"""

import functools
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

# Defaults: 5 failures lock the pair out for 15 minutes.
FAILURE_LIMIT = getattr(settings, "LOGIN_FAILURE_LIMIT", 5)
LOCKOUT_SECONDS = getattr(settings, "LOGIN_LOCKOUT_SECONDS", 15 * 60)


def _key(request) -> str:
    username = request.POST.get("username", "").strip().casefold()
    address = request.META.get("REMOTE_ADDR", "")
    digest = hashlib.sha256(f"{username}\x00{address}".encode()).hexdigest()
    return f"login-failures:{digest}"


def is_locked_out(request) -> bool:
    return cache.get(_key(request), 0) >= FAILURE_LIMIT


def record_failure(request) -> None:
    key = _key(request)
    # add() starts the window at the first failure; incr() keeps its expiry.
    if not cache.add(key, 1, LOCKOUT_SECONDS):
        try:
            cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.add(key, 1, LOCKOUT_SECONDS)


def clear_failures(request) -> None:
    cache.delete(_key(request))


def rate_limited_login(login_view):
    """Wrap a login view: refuse (429) a locked-out username+address before
    checking the password, count failed POSTs, forget them on success.

    A failed login is a POST the view answered with its form again (200); a
    successful one redirects.
    """

    @functools.wraps(login_view)
    def wrapper(request, *args, **kwargs):
        if request.method != "POST":
            return login_view(request, *args, **kwargs)
        if is_locked_out(request):
            response = render(request, "registration/locked_out.html", {"minutes": LOCKOUT_SECONDS // 60}, status=429)
            response["Retry-After"] = str(LOCKOUT_SECONDS)
            return response
        response = login_view(request, *args, **kwargs)
        if response.status_code == 200:
            record_failure(request)
        elif 300 <= response.status_code < 400:
            clear_failures(request)
        return response

    return wrapper
