"""Inspect sanitised HTML the way a browser would see it: by elements and attributes, not by regex
(escaped text such as ``&lt;img onerror=…&gt;`` is harmless and must not count)."""

import re
from html.parser import HTMLParser

FORBIDDEN_TAGS = {
    "script", "style", "iframe", "frame", "object", "embed", "form", "svg", "math", "base", "meta",
    "link", "template", "noscript", "textarea", "xmp", "button", "select", "video", "audio", "source", "marquee",
}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "srcset", "poster", "data", "background"}
# Browsers ignore leading whitespace/control characters and case in a URL's scheme.
_DANGEROUS_URL = re.compile(r"^[\x00-\x20]*(javascript|vbscript|data):", re.I)


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.elements: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in FORBIDDEN_TAGS:
            self.elements.append(tag)
        # A JSON data block (json_script) is never executed; any other script must be a file.
        if tag == "script" and not dict(attrs).get("src") and dict(attrs).get("type") != "application/json":
            self.problems.append("inline <script>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…> handler")
            if name == "style":
                self.problems.append(f"<{tag} style=…>")
            if name in URL_ATTRIBUTES and value and _DANGEROUS_URL.match(value):
                self.problems.append(f"<{tag} {name}={value!r}>")

    def handle_data(self, data):
        self.text.append(data)


def inspect_html(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector


def assert_safe_fragment(html: str, marker: str | None = None) -> None:
    """Rendered user content: no handler, dangerous URL or style, and none of the dangerous elements."""
    found = inspect_html(html)
    assert not found.problems and not found.elements, (found.problems, found.elements)
    if marker is not None:
        assert marker in "".join(found.text), f"harmless text {marker!r} was lost"


def assert_safe_page(html: str) -> str:
    """A whole page: the site's own forms and <script src> are fine; nothing inline, no handler,
    no dangerous URL, no style attribute. Returns the visible text."""
    found = inspect_html(html)
    assert not found.problems, found.problems
    return "".join(found.text)
