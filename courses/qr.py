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


def qr_for(request, cohort, writer):
    """The QR code of the ask/join link and the link itself, or None. The invite link is a
    secret of the cohort's instructors (as in their tools): only they get a QR code of it;
    everyone sees the one of an open-asking public cohort's page."""
    open_link = cohort.is_public and cohort.open_asking
    if not (writer or open_link):
        return None
    link = ask_link(request, cohort, open_asking=open_link)
    return {"svg": qr_svg(link, title=link), "link": link}
