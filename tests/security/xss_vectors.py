"""Hostile markdown: each vector tries to run script, and carries a harmless
marker word (``okNN``) that must still be visible after sanitising.

Every vector that would run calls ``alert``/``confirm``/``prompt`` or
``print``, so the browser test notices any that survive by a dialog opening.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Vector:
    name: str
    markdown: str
    marker: str

    @property
    def storable(self) -> str:
        """The vector as a database can hold it: PostgreSQL refuses NUL in text, so it becomes
        U+FFFD, which is what the markdown parser turns NUL into anyway (forms and the API
        refuse NUL outright)."""
        return self.markdown.replace("\x00", "\ufffd")


_RAW = [
    # Script tags in every casing and shape.
    ("script lower", "ok01 <script>alert(1)</script>"),
    ("script upper", "ok02 <SCRIPT>alert(1)</SCRIPT>"),
    ("script mixed", "ok03 <ScRiPt>alert(1)</sCrIpT>"),
    ("script src", 'ok04 <script src="https://evil.example/x.js"></script>'),
    ("script with attrs and newline", "ok05 <script\ntype=text/javascript>alert(1)</script>"),
    ("script split by null", "ok06 <scr\x00ipt>alert(1)</script>"),
    ("script nested", "ok07 <scr<script>ipt>alert(1)</scr</script>ipt>"),
    ("script unclosed", "ok08 <script>alert(1)"),
    ("script in html block", "<div>\nok09\n<script>alert(1)</script>\n</div>"),
    ("script slash attr", "ok10 <script/xss src=data:,alert(1)></script>"),
    # Event handlers.
    ("img onerror", "ok11 <img src=x onerror=alert(1)>"),
    ("img onerror quoted", 'ok12 <img src="x" onerror="alert(1)">'),
    ("img onerror upper", "ok13 <IMG SRC=x ONERROR=alert(1)>"),
    ("body onload", "ok14 <body onload=alert(1)>"),
    ("div onmouseover", '<div onmouseover="alert(1)">ok15</div>'),
    ("a onclick", '<a href="https://example.com" onclick="alert(1)">ok16</a>'),
    ("input autofocus onfocus", "ok17 <input autofocus onfocus=alert(1)>"),
    ("details ontoggle", "<details open ontoggle=alert(1)><summary>ok18</summary></details>"),
    ("video onerror", "ok19 <video><source onerror=alert(1)></video>"),
    ("marquee onstart", "<marquee onstart=alert(1)>ok20</marquee>"),
    ("handler slash separator", "ok21 <img/src=x/onerror=alert(1)>"),
    ("handler tab separator", "ok22 <img src=x\tonerror=alert(1)>"),
    ("span onpointerenter", '<span onpointerenter="alert(1)">ok23</span>'),
    # javascript:/vbscript:/data: URLs in markdown links and images.
    ("md link javascript", "[ok24](javascript:alert(1))"),
    ("md link JavaScript case", "[ok25](JaVaScRiPt:alert(1))"),
    ("md link entity colon", "[ok26](javascript&colon;alert(1))"),
    ("md link numeric entity", "[ok27](&#106;avascript:alert(1))"),
    ("md link hex entities", "[ok28](&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;:alert(1))"),
    ("md link leading space", "[ok29]( javascript:alert(1))"),
    ("md link tab inside", "[ok30](<java\tscript:alert(1)>)"),
    ("md link newline entity", "[ok31](java&#10;script:alert(1))"),
    ("md link vbscript", "[ok32](vbscript:msgbox(1))"),
    ("md link data html", "[ok33](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"),
    ("md image javascript", "ok34 ![x](javascript:alert(1))"),
    ("md image data svg", "ok35 ![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)"),
    ("md image title break-out", 'ok36 ![x](https://example.com/a.png "t\\" onerror=\\"alert(1))'),
    ("md link title break-out", '[ok37](https://example.com "x\\" onmouseover=\\"alert(1))'),
    ("reference link javascript", "[ok38][r]\n\n[r]: javascript:alert(1)"),
    ("reference image javascript", "ok39 ![x][r]\n\n[r]: javascript:alert(1)"),
    ("autolink javascript", "ok40 <javascript:alert(1)>"),
    ("autolink vbscript", "ok41 <vbscript:msgbox(1)>"),
    # The same URLs in raw HTML.
    ("html a javascript", '<a href="javascript:alert(1)">ok42</a>'),
    ("html a entity-encoded", '<a href="&#x6a;avascript:alert(1)">ok43</a>'),
    ("html a whitespace prefix", '<a href=" &#14; javascript:alert(1)">ok44</a>'),
    ("html a data url", '<a href="data:text/html,<script>alert(1)</script>">ok45</a>'),
    ("html img javascript src", '<img src="javascript:alert(1)" alt="ok46">ok46'),
    ("html a xlink in svg", 'ok47 <svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>'),
    # Dangerous elements.
    ("svg onload", "ok48 <svg onload=alert(1)>"),
    ("svg script", "ok49 <svg><script>alert(1)</script></svg>"),
    ("svg animate href", '<svg><animate attributeName=href to="javascript:alert(1)"/></svg>ok50'),
    ("math href", 'ok51 <math><mtext><a href="javascript:alert(1)">x</a></mtext></math>'),
    ("iframe src", 'ok52 <iframe src="javascript:alert(1)"></iframe>'),
    ("iframe srcdoc", 'ok53 <iframe srcdoc="<script>alert(1)</script>"></iframe>'),
    ("object data", 'ok54 <object data="javascript:alert(1)"></object>'),
    ("embed src", 'ok55 <embed src="data:text/html,<script>alert(1)</script>">'),
    ("form action", '<form action="javascript:alert(1)"><button>ok56</button></form>'),
    ("button formaction", '<button formaction="javascript:alert(1)">ok57</button>'),
    ("style element", "ok58 <style>body{background:url(javascript:alert(1))}</style>"),
    ("style attribute url", '<p style="background:url(javascript:alert(1))">ok59</p>'),
    ("style expression", '<div style="width:expression(alert(1))">ok60</div>'),
    ("link stylesheet", 'ok61 <link rel=stylesheet href="javascript:alert(1)">'),
    ("meta refresh", 'ok62 <meta http-equiv="refresh" content="0;url=javascript:alert(1)">'),
    ("base href", 'ok63 <base href="javascript:alert(1)//">'),
    ("template content", "<template><img src=x onerror=alert(1)></template>ok64"),
    # Mutation-XSS shapes: markup that re-parses differently.
    ("noscript title", '<noscript><p title="</noscript><img src=x onerror=alert(1)>">ok65'),
    ("comment breakout", "<!--<img src=\"--><img src=x onerror=alert(1)//\">-->ok66"),
    ("svg style mxss", "<svg></p><style><a id=\"</style><img src=1 onerror=alert(1)>\">ok67"),
    ("math mglyph mxss", "ok68 <math><mtext><table><mglyph><style><img src=x onerror=alert(1)>"),
    ("textarea breakout", "<textarea><img title=\"</textarea><img src=x onerror=alert(1)>\">ok69"),
    ("xmp breakout", "<xmp><img title=\"</xmp><img src=x onerror=alert(1)>\">ok70"),
    ("cdata in svg", "<svg><![CDATA[><img src=x onerror=alert(1)>]]></svg>ok71"),
    ("select breakout", "<select><style></select><img src=x onerror=alert(1)></style>ok72"),
    # Broken tags.
    ("unclosed img", "ok73 <img src=x onerror=alert(1)"),
    ("quote-broken attr", 'ok74 <img """><script>alert(1)</script>">'),
    ("double open", "ok75 <<script>alert(1)//<</script>"),
    ("attribute without tag end", '<a href="https://example.com" onmouseover=alert(1) ok76'),
    # Markdown specifics: code spans and fences must stay text, not markup.
    ("code span", "`<script>alert(1)</script>` ok77"),
    ("fenced html", "```html\n<script>alert(1)</script>\n```\n\nok78"),
    ("fence info string", '```"><script>alert(1)</script>\ncode\n```\n\nok79'),
    ("html in table", "| ok80 | b |\n| --- | --- |\n| <img src=x onerror=alert(1)> | <script>alert(1)</script> |"),
    ("html in blockquote list", "> - ok81 <svg/onload=alert(1)>"),
    ("link in heading", "## ok82 [x](javascript:alert(1))"),
]

VECTORS = [Vector(name, markdown, f"ok{n:02d}") for n, (name, markdown) in enumerate(_RAW, start=1)]

for _vector in VECTORS:  # every marker is really in its vector (keeps the list honest as it grows)
    assert _vector.marker in _vector.markdown, _vector.name


def corpus_markdown() -> str:
    """All vectors in one document, each as its own paragraph/block (storable)."""
    return "\n\n".join(vector.storable for vector in VECTORS)
