"""<mark> on what a query matched, in plain text.

The query is analysed once per request (search.engine.search_words); a result's text is
not analysed again here: its written forms are compared with the query's analysed words and
the spellings of its glossary concepts (search.analysis.surface_spans), so marking a page of
results costs string scans, not twenty runs of the morphological analyser.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import mark_safe

from search.analysis import Glossary, Marks, surface_spans
from search.glossary import current_glossary

EXCERPT_CHARS = 240


def wanted_terms(words) -> set[str]:
    return {term for word in words for term in word.terms}


def marks_for(words, glossary: Glossary) -> Marks:
    """What to mark for the analysed ``words`` of a query (search.analysis.query_words)."""
    return Marks.of(wanted_terms(words), glossary, stems={stem for word in words for stem in word.stems})


def _as_marks(wanted) -> Marks:
    # A plain set of terms (as the index stores them) is read with the glossary in force.
    return wanted if isinstance(wanted, Marks) else Marks.of(wanted, current_glossary())


def excerpt(text: str, wanted, size: int = EXCERPT_CHARS) -> str:
    """The part of ``text`` around its first match, at most ``size`` characters."""
    found = surface_spans(text, _as_marks(wanted))
    start = max(0, found[0][0] - size // 4) if found else 0
    clipped = text[start : start + size]
    return ("…" if start else "") + clipped + ("…" if start + size < len(text) else "")


def highlight(text: str, wanted) -> str:
    """``text`` escaped, every matched word wrapped in <mark>; each piece escaped on its own,
    so no markup from the content can reach the page."""
    pieces, last = [], 0
    for start, end in surface_spans(text, _as_marks(wanted)):
        pieces += [escape(text[last:start]), "<mark>", escape(text[start:end]), "</mark>"]
        last = end
    pieces.append(escape(text[last:]))
    return mark_safe("".join(pieces))
