"""<mark> on what a query matched, in plain text, after the same analysis as the index."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import mark_safe

from search.analysis import matched_spans
from search.glossary import current_glossary

EXCERPT_CHARS = 240
# A long answer is read this much at a time until its first match: rarely all of it.
EXCERPT_SCAN_CHARS = 2_000


def wanted_terms(words) -> set[str]:
    return {term for word in words for term in word.terms}


def spans(text: str, wanted: set[str]) -> list[tuple[int, int]]:
    return matched_spans(text, wanted, current_glossary()) if wanted and text else []


def excerpt(text: str, wanted: set[str], size: int = EXCERPT_CHARS) -> str:
    """The part of ``text`` around its first match, at most ``size`` characters."""
    first = None
    for offset in range(0, len(text), EXCERPT_SCAN_CHARS):
        # Chunks overlap by a word's length, so a word cut at a chunk's end is still seen.
        if found := spans(text[offset : offset + EXCERPT_SCAN_CHARS + 40], wanted):
            first = offset + found[0][0]
            break
    start = max(0, first - size // 4) if first is not None else 0
    clipped = text[start : start + size]
    return ("…" if start else "") + clipped + ("…" if start + size < len(text) else "")


def highlight(text: str, wanted: set[str]) -> str:
    """``text`` escaped, every matched word wrapped in <mark>; each piece escaped on its own,
    so no markup from the content can reach the page."""
    pieces, last = [], 0
    for start, end in spans(text, wanted):
        pieces += [escape(text[last:start]), "<mark>", escape(text[start:end]), "</mark>"]
        last = end
    pieces.append(escape(text[last:]))
    return mark_safe("".join(pieces))
