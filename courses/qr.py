"""The QR code of a cohort's ask/join link, drawn by the site (segno) as inline SVG, so the
projector and the instructor tools need no external service and work offline in the room."""

import io

import segno
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe


def ask_link(request, cohort, *, open_asking: bool = False) -> str:
    """The absolute link a phone in the room should open to ask.

    Where anyone may ask (a public cohort with open asking) it is the cohort page's ask
    box; otherwise it is the invite link, which makes the scanner a member (a student,
    who may ask) after signing in.
    """
    if open_asking and cohort.is_public:
        path = reverse("cohort", args=[cohort.slug]) + "#ask"
    else:
        path = reverse("cohort-join", args=[cohort.slug, cohort.invite_token])
    return request.build_absolute_uri(path)


def qr_svg(text: str, *, title: str = "") -> SafeString:
    """``text`` as a QR code: one SVG path, sized by CSS (no width/height), no XML declaration."""
    code = segno.make(text, error="m")
    out = io.BytesIO()
    code.save(
        out,
        kind="svg",
        xmldecl=False,
        svgns=True,
        scale=1,
        border=2,
        omitsize=True,
        svgclass="qr-code",
        lineclass=None,
        title=title or None,  # segno escapes it
        dark="#000",
        light="#fff",
    )
    return mark_safe(out.getvalue().decode())  # segno's own markup; it escapes the title
