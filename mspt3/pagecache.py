"""Whole pages rendered once and shared by every anonymous visitor.

An anonymous visitor's page differs from another's only by the CSRF token of
the language form in the header; everything else follows from the URL, the
language and the data. So the page is rendered once per ``key`` (which must
change with every change of that data: a cohort's version, a change stamp),
URL and language, with a slot where the token goes, and the slot is filled per
request. Signed-in visitors' headers carry their own name and tools: their
pages are never shared. The caller checks permissions before asking for a page.
"""

import hashlib

from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.translation import get_language

CSRF_SLOT = "csrf-slot-7d1c0a"
TIMEOUT = 24 * 3600


def shared_page(request, template_name, key, page_context) -> HttpResponse:
    """``template_name`` rendered with ``page_context()`` for an anonymous visitor,
    from the cache when this ``key``, URL and language were rendered before."""
    if request.user.is_authenticated:
        raise ValueError("shared pages are for anonymous visitors only")
    identity = repr((template_name, key, request.get_full_path(), get_language()))
    cache_key = "page-" + hashlib.sha256(identity.encode()).hexdigest()
    pieces = cache.get(cache_key)
    if pieces is None:
        context = {**page_context(), "csrf_token": CSRF_SLOT}
        # Kept as UTF-8 bytes cut at the slot: unpickling a large non-ASCII str
        # (a Korean page) costs milliseconds, bytes a memcpy; joining needs no search.
        pieces = render_to_string(template_name, context, request=request).encode().split(CSRF_SLOT.encode())
        cache.set(cache_key, pieces, timeout=TIMEOUT)
    return HttpResponse(get_token(request).encode().join(pieces))
