"""Whole pages rendered once, compressed once, and shared by every anonymous visitor.

An anonymous visitor's page follows from the URL, the language and the data alone:
it carries no CSRF token (the language switch checks the request's origin instead,
``mspt3.language``), so the same bytes serve everyone. A page is rendered once per
``key`` (which must change with every change of that data: a cohort's version, a
change stamp), path, the query parameters the page reads, and language; it is then
compressed once with Brotli and gzip and each variant kept, so a request costs a
cache read of the variant its browser accepts. Any other query parameter is
dropped before rendering: ``?v=1``, ``?v=2``… are one page, not one cached copy
each. Signed-in visitors' headers carry their own name, tools and tokens: their
pages are never shared (nor compressed: a secret beside reflected text would make a
compression oracle, the BREACH attack). The caller checks permissions first.
"""

import copy
import functools
import gzip
import hashlib

import brotli
from django.core.cache import caches
from django.http import HttpResponse, HttpResponseNotModified, QueryDict
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from mspt3.conditional import is_not_modified, tag_for

TIMEOUT = 24 * 3600
# Preferred first; "" is the page as rendered. Brotli at quality 5 compresses a 500 KB
# Korean page in about the time gzip -6 takes and ~20% smaller (docs/benchmarks.md).
ENCODINGS = ("br", "gzip", "")
_COMPRESS = {
    "br": lambda data: brotli.compress(data, quality=5),
    "gzip": lambda data: gzip.compress(data, compresslevel=6, mtime=0),
    "": lambda data: data,
}


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


def accepted_encoding(request) -> str:
    """The best of ``ENCODINGS`` that Accept-Encoding allows ("" when it names neither).

    Only what matters here is read: a coding with ``q=0`` is refused, any other
    listed one accepted; ``*`` accepts whatever is not named.
    """
    # META, not .headers (which builds a mapping of every header: most of a 304's cost here).
    return _best_encoding(request.META.get("HTTP_ACCEPT_ENCODING", ""))


@functools.lru_cache(maxsize=64)  # browsers send a handful of distinct headers
def _best_encoding(header: str) -> str:
    accepted, refused = set(), set()
    for item in header.lower().split(","):
        coding, *params = (part.strip() for part in item.split(";"))
        quality = next((p.partition("=")[2] for p in params if p.startswith("q=")), "1")
        try:
            wanted = float(quality) > 0
        except ValueError:
            wanted = False
        (accepted if wanted else refused).add(coding)
    for coding in ENCODINGS[:-1]:
        if coding in accepted or ("*" in accepted and coding not in refused):
            return coding
    return ""


def variant_etag(etag: str, encoding: str) -> str:
    """One entity tag per stored form of a page, as RFC 9110 asks of content codings."""
    return f'{etag[:-1]}-{encoding}"' if encoding else etag


def not_modified(request, etag: str) -> HttpResponse | None:
    """The 304 of a shared page whose entity tag is ``etag`` if the visitor holds the variant
    their Accept-Encoding selects (the answer to an unchanged poll), else None."""
    encoding = accepted_encoding(request)
    tag = variant_etag(etag, encoding)
    return _described(HttpResponseNotModified(), tag, encoding) if is_not_modified(request, tag) else None


def shared_page(request, template_name, key, page_context, query=(), etag=None) -> HttpResponse:
    """``template_name`` rendered with ``page_context(canonical request)`` for an anonymous
    visitor, from the cache when this ``key``, page and language were rendered before,
    in the content coding the visitor accepts. ``query`` names the query parameters the
    page depends on; others are ignored. ``etag`` is the page's entity tag if the view
    has one; otherwise one is derived from the cache identity. A request that already
    holds this version gets a 304 before anything is read from the cache."""
    if request.user.is_authenticated:
        raise ValueError("shared pages are for anonymous visitors only")
    encoding = accepted_encoding(request)
    if etag and (unchanged := not_modified(request, etag)) is not None:  # a poll: nothing else to do
        return unchanged
    canonical = canonical_request(request, query)
    identity = repr((template_name, key, canonical.get_full_path(), get_language()))
    cache_key = "page-" + hashlib.sha256(identity.encode()).hexdigest()
    tag = variant_etag(etag or tag_for(identity), encoding)
    if is_not_modified(request, tag):
        return _described(HttpResponseNotModified(), tag, encoding)
    body = page_cache().get(f"{cache_key}-{encoding}")
    if body is None:
        html = render_to_string(template_name, page_context(canonical), request=canonical).encode()
        variants = {coding: _COMPRESS[coding](html) for coding in ENCODINGS}
        page_cache().set_many({f"{cache_key}-{coding}": data for coding, data in variants.items()}, timeout=TIMEOUT)
        body = variants[encoding]
    return _described(HttpResponse(body), tag, encoding)


def _described(response, tag, encoding):
    response["ETag"] = tag
    if encoding:
        response["Content-Encoding"] = encoding
    patch_vary_headers(response, ("Accept-Encoding",))
    return response
