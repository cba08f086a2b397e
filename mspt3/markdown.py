"""The one way this site turns markdown into HTML.

GitHub-flavoured markdown is rendered by cmarkgfm (GitHub's own cmark fork),
fenced code is highlighted with Pygments, and the result always passes through
nh3 last, so no path (import, admin, forms, API, markdownx preview) can emit a
script, an event handler or a dangerous URL. No Django imports: the notes
importer and the tests call it directly.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import cmarkgfm
import nh3
from cmarkgfm.cmark import Options
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

_CMARK_OPTIONS = Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_GITHUB_PRE_LANG

_TAGS = set(nh3.ALLOWED_TAGS) | {"input"}
_ATTRIBUTES = {tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()}
_ATTRIBUTES.setdefault("a", set()).update({"title"})
_ATTRIBUTES.setdefault("img", set()).update({"title"})
for _tag in ("span", "pre", "code", "div"):
    _ATTRIBUTES.setdefault(_tag, set()).add("class")
_ATTRIBUTES["pre"].add("data-lang")
_ATTRIBUTES["input"] = {"type", "checked", "disabled"}
_URL_SCHEMES = {"http", "https", "mailto"}

_FENCE = re.compile(r'<pre lang="([^"]*)"><code>(.*?)</code></pre>', re.S)
_FORMATTER = HtmlFormatter(nowrap=True)
# Pygments costs about 10 µs per character of code and makes ~15× its size in spans:
# past this many characters of code in one text, the rest is shown unhighlighted.
HIGHLIGHT_BUDGET_CHARS = 5_000


def _fence_highlighter() -> Callable[[re.Match], str]:
    budget = HIGHLIGHT_BUDGET_CHARS

    def highlight_fence(match: re.Match) -> str:
        nonlocal budget
        lang, body = match.group(1), html.unescape(match.group(2))
        plain = f'<pre class="highlight" data-lang="{lang}"><code>{match.group(2)}</code></pre>'
        if len(body) > budget:
            budget = 0
            return plain
        try:
            lexer = get_lexer_by_name(lang.lower())
        except ClassNotFound:
            return plain
        budget -= len(body)
        code = highlight(body, lexer, _FORMATTER)
        return f'<pre class="highlight" data-lang="{lang}"><code>{code}</code></pre>'

    return highlight_fence


def github_html(text: str) -> str:
    """cmarkgfm's HTML as GitHub's renderer produces it, unsanitised.

    Only for comparing documents (the export fidelity check); never shown.
    """
    return cmarkgfm.github_flavored_markdown_to_html(text, options=_CMARK_OPTIONS)


def sanitize(html_text: str, image_src: Callable[[str], str] | None = None) -> str:
    """Strip everything that could run: tags, attributes, URL schemes."""

    def attribute_filter(tag: str, attr: str, value: str) -> str | None:
        if tag == "input" and attr == "type" and value != "checkbox":
            return None
        if tag == "img" and attr == "src" and image_src is not None:
            return image_src(value)
        return value

    return nh3.clean(
        html_text,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        attribute_filter=attribute_filter,
        link_rel="noopener noreferrer nofollow",
    )


def render_markdown(text: str, image_src: Callable[[str], str] | None = None) -> str:
    """Markdown → safe HTML. ``image_src`` may rewrite image URLs (e.g. to media storage)."""
    raw = github_html(text or "")
    return sanitize(_FENCE.sub(_fence_highlighter(), raw), image_src=image_src)
