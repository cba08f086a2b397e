"""Whole pages rendered once and shared by every anonymous visitor.

An anonymous visitor's page differs from another's only by the CSRF token of
the language form in the header; everything else follows from the URL, the
language and the data. So the page is rendered once per ``key`` (which must
change with every change of that data: a cohort's version, a change stamp),
path, the query parameters the page reads, and language, with a slot where
the token goes, and the slot is filled per request. Any other query parameter
is dropped before rendering: ``?v=1``, ``?v=2``… are one page, not one cached
copy each. Signed-in visitors' headers carry their own name and tools: their
pages are never shared. The caller checks permissions before asking for a page.
"""

import copy
import hashlib

from django.core.cache import caches
from django.http import HttpResponse, QueryDict
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.translation import get_language

CSRF_SLOT = "csrf-slot-7d1c0a"
TIMEOUT = 24 * 3600


def page_cache():
    """Rendered pages and page parts live apart from everything else, bounded by bytes."""
    return caches["pages"]


def canonical_request(request, query=()):
    """``request`` with only the query parameters named in ``query`` (in that order)."""
    kept = QueryDict(mutable=True)
    for name in query:
        if name in request.GET:
            kept.setlist(name, request.GET.getlist(name))
    canonical = copy.copy(request)
    canonical.META = {**request.META, "QUERY_STRING": kept.urlencode()}
    canonical.GET = QueryDict(canonical.META["QUERY_STRING"])
    return canonical


def shared_page(request, template_name, key, page_context, query=()) -> HttpResponse:
    """``template_name`` rendered with ``page_context(canonical request)`` for an anonymous
    visitor, from the cache when this ``key``, page and language were rendered before.
    ``query`` names the query parameters the page depends on; others are ignored."""
    if request.user.is_authenticated:
        raise ValueError("shared pages are for anonymous visitors only")
    canonical = canonical_request(request, query)
    identity = repr((template_name, key, canonical.get_full_path(), get_language()))
    cache_key = "page-" + hashlib.sha256(identity.encode()).hexdigest()
    pieces = page_cache().get(cache_key)
    if pieces is None:
        context = {**page_context(canonical), "csrf_token": CSRF_SLOT}
        # Kept as UTF-8 bytes cut at the slot: unpickling a large non-ASCII str
        # (a Korean page) costs milliseconds, bytes a memcpy; joining needs no search.
        pieces = render_to_string(template_name, context, request=canonical).encode().split(CSRF_SLOT.encode())
        page_cache().set(cache_key, pieces, timeout=TIMEOUT)
    return HttpResponse(get_token(request).encode().join(pieces))
