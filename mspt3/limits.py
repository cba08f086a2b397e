"""How much markdown one field (or one notes file) may ask the renderer to do.

The sanitiser's cost grows with the square of the nesting depth (``">" * 40000``
took seconds and produced 27× its size), a wide table's missing cells are
filled per row, and raw HTML nests like block quotes do. So every write path —
site forms, API, admin, the markdown preview, the notes importer — checks text
here *before* rendering it:

- a maximum size per field (characters);
- a maximum nesting depth of block quotes and lists (the real notes never go
  past 4: the limit is 4× that), and of HTML elements of any kind;
- a maximum number of table columns, and of the cells tables would produce;
- the HTML at most ``MAX_EXPANSION``× the text (plus a small allowance).

The structure is measured on cmark's HTML before the sanitiser runs (linear:
about a millisecond per 50 KB). No Django imports: models, forms, serializers,
views and the importer all call these functions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import cmarkgfm
from cmarkgfm.cmark import Options

QUESTION_MAX_CHARS = 2_000
ANSWER_MAX_CHARS = 50_000
# A section's summary board or other unmodelled content.
EXTRA_MAX_CHARS = 50_000
MAX_CONTAINER_DEPTH = 16
MAX_ELEMENT_DEPTH = 64
MAX_TABLE_COLUMNS = 64
MAX_EXPANSION = 10
# Short texts may expand more (a two-level quote of one word is 20× its size).
EXPANSION_ALLOWANCE = 4_096

# A search is one LIKE pair per word: SQLite refuses an expression tree of ~500 words.
SEARCH_MAX_CHARS = 200
SEARCH_MAX_WORDS = 20
# "Asked before" reads a whole question as it is typed (an OR of its terms, capped in search.engine).
SIMILAR_MAX_CHARS = QUESTION_MAX_CHARS
SIMILAR_MAX_RESULTS = 20

_CONTAINERS = frozenset({"blockquote", "ul", "ol"})
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
)
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)([^<>]*?)(/?)>")
_SOURCEPOS = re.compile(r' data-sourcepos="(\d+):[^"]*"')
_OPTIONS = Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_SOURCEPOS
_TABLE_CELL_HTML = len("<td></td>\n")


@dataclass(frozen=True)
class LimitExceeded:
    """Why a text is refused: one line naming the limit, the size found and, where known, the line."""

    message: str
    line: int | None = None

    def __str__(self):
        return f"line {self.line}: {self.message}" if self.line else self.message


def check_markdown(text: str, *, max_chars: int | None, nested_in: int = 0) -> LimitExceeded | None:
    """The first limit ``text`` exceeds, or None when it may be rendered.

    ``nested_in``: how many lists the text sits in (a notes file holds each answer
    under its question's bullet), allowed on top of the depth limits.
    """
    text = text or ""
    if max_chars is not None and len(text) > max_chars:
        return LimitExceeded(f"{len(text):,} characters long; the limit is {max_chars:,} characters")
    return _table_problem(text) or _structure_problem(text, nested_in)


def check_notes(text: str) -> LimitExceeded | None:
    """A whole notes file: its answers sit one list deeper than typed on the site
    (and the file's size has its own limit, NOTES_MAX_BYTES)."""
    return check_markdown(text, max_chars=None, nested_in=2)


def check_search(query: str) -> tuple[int, int] | None:
    """(characters, words) of a search query over the limits, or None when it may run."""
    chars, words = len(query), len(query.split())
    if chars > SEARCH_MAX_CHARS or words > SEARCH_MAX_WORDS:
        return chars, words
    return None


def _allowed_html(chars: int) -> int:
    return MAX_EXPANSION * chars + EXPANSION_ALLOWANCE


def _is_delimiter_row(stripped: str) -> bool:
    return "-" in stripped and "|" in stripped and not stripped.strip("|:- \t")


def _table_problem(text: str) -> LimitExceeded | None:
    """Tables, line by line before anything is rendered: every row gets a cell per
    column, so a wide header over many short rows would multiply."""
    estimated, columns, seen = 0, 0, 0
    for number, line in enumerate(text.splitlines(), start=1):
        seen += len(line) + 1
        stripped = line.strip()
        if _is_delimiter_row(stripped):
            columns = stripped.strip("|").count("|") + 1
            if columns > MAX_TABLE_COLUMNS:
                return LimitExceeded(
                    f"a table with {columns:,} columns; the limit is {MAX_TABLE_COLUMNS} columns", number
                )
        elif not stripped:
            columns = 0
        elif columns:
            estimated += columns * _TABLE_CELL_HTML
            if estimated > _allowed_html(seen):
                return LimitExceeded(
                    f"tables that would make more than {MAX_EXPANSION}× the text's size in cells", number
                )
    return None


def _structure_problem(text: str, nested_in: int) -> LimitExceeded | None:
    """Nesting depth and expansion, from cmark's HTML (with source positions, so a
    refusal can name the line)."""
    html = cmarkgfm.github_flavored_markdown_to_html(text, options=_OPTIONS)
    # Sizes are of the HTML the renderer makes, i.e. without the source positions.
    html_size = len(html) - sum(len(position.group()) for position in _SOURCEPOS.finditer(html))
    open_tags: list[str] = []
    containers = 0
    for match in _TAG.finditer(html):
        closing, name, _attributes, self_closing = match.groups()
        name = name.lower()
        if name in _VOID or self_closing:
            continue
        if closing:
            if name in open_tags:
                while open_tags:
                    popped = open_tags.pop()
                    containers -= popped in _CONTAINERS
                    if popped == name:
                        break
            continue
        open_tags.append(name)
        containers += name in _CONTAINERS
        if containers > MAX_CONTAINER_DEPTH + nested_in:
            return LimitExceeded(
                f"block quotes and lists nested more than {MAX_CONTAINER_DEPTH} levels deep; "
                f"the limit is {MAX_CONTAINER_DEPTH} levels",
                _line_at(html, match.end()),
            )
        if len(open_tags) > MAX_ELEMENT_DEPTH + 2 * nested_in:
            return LimitExceeded(
                f"HTML nested more than {MAX_ELEMENT_DEPTH} elements deep; the limit is {MAX_ELEMENT_DEPTH}",
                _line_at(html, match.end()),
            )
    if html_size > _allowed_html(len(text)):
        return _expansion(html, html_size, text)
    return None


def _line_at(html: str, end: int) -> int:
    """The source line of the last block that starts before ``end`` in cmark's HTML."""
    start = html.rfind(' data-sourcepos="', 0, end)
    position = _SOURCEPOS.match(html, start) if start >= 0 else None
    return int(position.group(1)) if position else 1


def _expansion(html: str, html_size: int, text: str) -> LimitExceeded:
    """Names the first block whose HTML runs past the allowance for the text up to its line."""
    line_ends = _line_ends(text)
    positions_seen, line = 0, 1
    for position in _SOURCEPOS.finditer(html):
        line = int(position.group(1))
        made = position.start() - positions_seen
        if made > _allowed_html(line_ends[min(line, len(line_ends)) - 1]):
            break
        positions_seen += len(position.group())
    ratio = html_size / max(len(text), 1)
    return LimitExceeded(f"its HTML would be {ratio:.0f}× its size; the limit is {MAX_EXPANSION}×", line)


def _line_ends(text: str) -> list[int]:
    """Character offset just past each line (1-based line n ends at ``[n - 1]``)."""
    ends, total = [], 0
    for line in text.splitlines(keepends=True):
        total += len(line)
        ends.append(total)
    return ends or [0]
