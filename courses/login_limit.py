"""Login rate limiting: after too many attempts for one username from one address,
that pair is locked out for a while, even with the right password.

The username is keyed as Django authenticates it — the login form NFKC-normalises it
(``ｓtu_ａ`` signs in as ``stu_a``) —, then case-folded, so no look-alike spelling gets
fresh guesses. The counters live in the database (courses.AttemptCounter): every
worker and machine sees them, and no amount of page traffic can evict them, as it
could from a per-process memory cache.

An attempt is counted *before* the password is checked, in one short locked
transaction, so concurrent guesses on several workers cannot all slip under the
limit; a successful sign-in forgets the count. A small model rather than
django-axes: axes needs an authentication backend that refuses ``authenticate()``
calls without a request (the test client's ``login()``, DRF token auth), while the
site has exactly two password forms to guard (its login page and the admin's).
"""

import functools
import hashlib
import unicodedata
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.shortcuts import render
from django.utils import timezone

# Defaults: 5 attempts, then the pair is locked out for 15 minutes.
FAILURE_LIMIT = getattr(settings, "LOGIN_FAILURE_LIMIT", 5)
LOCKOUT_SECONDS = getattr(settings, "LOGIN_LOCKOUT_SECONDS", 15 * 60)


def login_name(raw: str) -> str:
    """The username as the login form hands it to authenticate() (stripped, NFKC), case-folded."""
    return unicodedata.normalize("NFKC", raw.strip()).casefold()


def attempt_key(request) -> str:
    username = login_name(request.POST.get("username", ""))
    address = request.META.get("REMOTE_ADDR", "")
    return hashlib.sha256(f"{username}\x00{address}".encode()).hexdigest()


def count_attempt(key: str, seconds: int = LOCKOUT_SECONDS) -> int:
    """Record one more attempt for ``key``; the number within the current window of
    ``seconds``. Also the counter of asking.limits (keys of its own prefix)."""
    from courses.models import AttemptCounter

    now = timezone.now()
    with transaction.atomic():
        row, created = AttemptCounter.objects.select_for_update().get_or_create(
            key=key, defaults={"count": 1, "expires_at": now + timedelta(seconds=seconds)}
        )
        if created:
            AttemptCounter.objects.filter(expires_at__lte=now).delete()
            return 1
        if row.expires_at <= now:  # a new window starts with this attempt
            row.count, row.expires_at = 1, now + timedelta(seconds=seconds)
        else:
            row.count += 1
        row.save(update_fields=["count", "expires_at"])
        return row.count


def forget_attempts(key: str) -> None:
    from courses.models import AttemptCounter

    AttemptCounter.objects.filter(key=key).delete()


def rate_limited_login(login_view):
    """Wrap a login view: count the POST, refuse (429) past the limit without checking
    the password, forget the count on success (the view redirects)."""

    @functools.wraps(login_view)
    def wrapper(request, *args, **kwargs):
        if request.method != "POST":
            return login_view(request, *args, **kwargs)
        key = attempt_key(request)
        if count_attempt(key) > FAILURE_LIMIT:
            response = render(request, "registration/locked_out.html", {"minutes": LOCKOUT_SECONDS // 60}, status=429)
            response["Retry-After"] = str(LOCKOUT_SECONDS)
            return response
        response = login_view(request, *args, **kwargs)
        if 300 <= response.status_code < 400:
            forget_attempts(key)
        return response

    return wrapper
