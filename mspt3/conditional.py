"""Conditional requests and idempotent creation, for API and site views alike.

Plain functions of the request (Django's or DRF's: both have ``.headers``)
and an entity tag, so a form view can use them as easily as a viewset:

- ``is_not_modified(request, etag)``: the client's copy (If-None-Match) is
  current; answer 304 without building the body.
- ``if_match_failed(request, etag)``: the client edited an older version
  (If-Match); answer 412 and change nothing.
- ``idempotency_key(request, user)``: the Idempotency-Key of a POST, scoped
  to the user, ready to store in a unique column.
- ``request_fingerprint(*parts)`` and ``check_same_request(stored, fingerprint)``:
  a key names one request; the same key with another body is refused
  (IdempotencyKeyReused, 422, as the IETF Idempotency-Key draft says), never
  replayed as if it were the first.
- ``tag_for(*parts)``: a strong ETag for anything computed from ``parts``
  (list pages, collections), so it changes whenever any part changes.
"""

import hashlib
import json
import re

from django.utils.http import parse_etags

IDEMPOTENCY_HEADER = "Idempotency-Key"
# Scoped keys ("<user id>:<key>") must fit Question.idempotency_key (100 chars).
IDEMPOTENCY_KEY_MAX_LENGTH = 80
_IDEMPOTENCY_KEY = re.compile(rf"[\x21-\x7e]{{1,{IDEMPOTENCY_KEY_MAX_LENGTH}}}")


class InvalidIdempotencyKey(ValueError):
    """The Idempotency-Key header is present but not a usable key."""


class IdempotencyKeyReused(ValueError):
    """The Idempotency-Key was already used for a request with a different body or target."""

    def __init__(self):
        super().__init__(
            f"This {IDEMPOTENCY_HEADER} was already used for a different request (another body or cohort). "
            "Nothing was created: send a new key for a new question."
        )


def tag_for(*parts) -> str:
    """A strong entity tag digesting ``parts`` (their ``repr``)."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return f'"{digest}"'


def _opaque(tag: str) -> str:
    return tag[2:] if tag.startswith("W/") else tag


def is_not_modified(request, etag: str) -> bool:
    """If-None-Match names ``etag`` (or ``*``): the client already has this version.

    Weak comparison, as RFC 9110 prescribes for If-None-Match.
    """
    # META, not .headers: building the whole HttpHeaders mapping cost a poll more than this check.
    header = request.META.get("HTTP_IF_NONE_MATCH")
    if not header:
        return False
    tags = parse_etags(header)
    return "*" in tags or _opaque(etag) in {_opaque(tag) for tag in tags}


def has_if_match(request) -> bool:
    return bool(request.headers.get("If-Match"))


def if_match_failed(request, etag: str) -> bool:
    """If-Match is given and does not name ``etag``: the edit is based on a stale copy.

    Strong comparison: a weak tag never matches. Without the header the
    write is unconditional and this is False.
    """
    header = request.headers.get("If-Match")
    if not header:
        return False
    tags = parse_etags(header)
    if "*" in tags:
        return False
    return etag.startswith("W/") or etag not in tags


def idempotency_key(request, user) -> str | None:
    """The request's Idempotency-Key scoped to ``user`` (``"<user id>:<key>"``), or None.

    Scoping means two users can never replay each other's results, whatever
    keys their clients pick. Raises InvalidIdempotencyKey for a key that is
    empty, too long or not printable ASCII.
    """
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if key is None:
        return None
    if not _IDEMPOTENCY_KEY.fullmatch(key):
        raise InvalidIdempotencyKey(
            f"{IDEMPOTENCY_HEADER} must be 1–{IDEMPOTENCY_KEY_MAX_LENGTH} printable ASCII characters without spaces."
        )
    return f"{user.pk}:{key}"


def request_fingerprint(*parts) -> str:
    """A digest of what a request asks for (target and body), stored with its idempotency key.

    Canonical JSON, so the same fields in another order are the same request.
    """
    canonical = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def check_same_request(stored: str, fingerprint: str) -> None:
    """Raise IdempotencyKeyReused unless ``fingerprint`` is the one stored with the key.

    Keys stored before fingerprints existed (``stored`` empty) replay as they did.
    """
    if stored and stored != fingerprint:
        raise IdempotencyKeyReused()
