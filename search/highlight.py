"""<mark> on what a query matched, in plain text.

The query is analysed once per request (search.engine.search_words); a result's text is
not analysed again here: its written forms are compared with the query's analysed words and
the spellings of its glossary concepts (search.analysis.surface_spans), so marking a page of
results costs string scans, not twenty runs of the morphological analyser.
"""

from __future__ import annotations

import html
import re

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


def highlight(text: str, wanted, *, excerpt_chars: int | None = None) -> str:
    """``text`` escaped, every matched word wrapped in <mark>; each piece escaped on its own,
    so no markup from the content can reach the page. With ``excerpt_chars``, only the part
    around the first match (the spans are found once, for both)."""
    spans = surface_spans(text, _as_marks(wanted))
    start, end = 0, len(text)
    if excerpt_chars is not None:
        start, end, spans = _window(text, spans, excerpt_chars)
    pieces, last = ["…"] if start else [], start
    for span_start, span_end in spans:
        pieces += [escape(text[last:span_start]), "<mark>", escape(text[span_start:span_end]), "</mark>"]
        last = span_end
    pieces.append(escape(text[last:end]))
    if end < len(text):
        pieces.append("…")
    return mark_safe("".join(pieces))


def _window(text: str, spans, size: int):
    """Where an excerpt of ``size`` characters around the first span starts and ends, and the
    spans inside it (one cut by the edge is clipped to it)."""
    start = max(0, spans[0][0] - size // 4) if spans else 0
    end = min(len(text), start + size)
    inside = [(max(a, start), min(b, end)) for a, b in spans if a < end and b > start]
    return start, end, inside


# A tag of the sanitised HTML the renderer stores (nh3's output: well formed, attribute values
# quoted, comments removed), so a quoted ">" inside an attribute does not end it.
_TAG = re.compile(r"""<(?:[^>"']|"[^"]*"|'[^']*')*>""")


def plain_text(rendered_html: str) -> str:
    """The text of rendered, sanitised HTML, whitespace collapsed. One regular expression
    rather than Django's ``strip_tags`` (an HTML parser run until the text stops changing,
    for arbitrary input): a search page does this for forty texts per request."""
    return " ".join(html.unescape(_TAG.sub("", rendered_html)).split())
