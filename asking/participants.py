"""Who is asking or voting: a signed-in user, or an anonymous visitor known by a signed cookie.

Both are a *voter key* ("u:<user id>" / "p:<random id>"), what a vote, a question's asker and
a notification are stored under, so one unique constraint covers users and visitors alike.
The cookie is signed (django.core.signing, with its own salt): a visitor cannot pick someone
else's id, only ask for a fresh one by dropping the cookie, which is why anonymous asking and
voting are also rate-limited per address (asking.limits).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

COOKIE = "mspt3_participant"
SALT = "asking.participant"
MAX_AGE = 180 * 24 * 3600
_NEW = "_asking_new_participant"


@dataclass(frozen=True)
class Participant:
    key: str
    user: object | None = None
    address: str = ""
    # A visitor seen for the first time: the response must set the cookie (remember_participant).
    token: str = ""

    @property
    def is_user(self) -> bool:
        return self.user is not None


def user_key(user) -> str:
    return f"u:{user.pk}"


def _address(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def cookie_token(request) -> str | None:
    token = request.get_signed_cookie(COOKIE, default=None, salt=SALT, max_age=MAX_AGE)
    return token if token and len(token) <= 40 else None


def participant_of(request, *, create: bool = False) -> Participant | None:
    """The caller as a participant; a visitor without the cookie gets a new id with ``create``
    (the response then needs ``remember_participant``), else None."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return Participant(user_key(user), user, _address(request))
    if token := cookie_token(request):
        return Participant(f"p:{token}", None, _address(request))
    existing = getattr(getattr(request, "_request", request), _NEW, None)
    if existing is not None or not create:
        return existing
    token = secrets.token_urlsafe(18)
    participant = Participant(f"p:{token}", None, _address(request), token=token)
    setattr(getattr(request, "_request", request), _NEW, participant)
    return participant


def writes_as_cookie_participant(request) -> bool:
    """A write (not GET/HEAD/OPTIONS) by a visitor who is not signed in and whose browser sends
    the participant cookie: cookie-authenticated, so it needs the CSRF token like a session
    user's (pages have it from CsrfViewMiddleware; asking.api checks it). A visitor without
    the cookie is nobody yet: nothing of theirs can be written in their name."""
    user = getattr(request, "user", None)
    if request.method in ("GET", "HEAD", "OPTIONS") or (user is not None and user.is_authenticated):
        return False
    return COOKIE in request.COOKIES


def participant_keys(request) -> list[str]:
    """Every key the caller's own questions and votes may be under: the user's, and the
    cookie's (what they asked anonymously on this browser before signing in)."""
    keys = []
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        keys.append(user_key(user))
    if token := cookie_token(request):
        keys.append(f"p:{token}")
    elif new := getattr(getattr(request, "_request", request), _NEW, None):
        keys.append(new.key)  # made up during this request, its cookie not yet set
    return keys


def remember_participant(request, response):
    """Set the cookie of a visitor ``participant_of(create=True)`` made up during this request."""
    participant = getattr(getattr(request, "_request", request), _NEW, None)
    if participant is not None:
        response.set_signed_cookie(
            COOKIE,
            participant.token,
            salt=SALT,
            max_age=MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response
