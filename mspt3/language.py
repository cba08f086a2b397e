"""The language switch, guarded by where the request comes from rather than by a token.

Anonymous visitors' pages are shared and carry no CSRF token (``mspt3.pagecache``),
so the switch in every page's header cannot send one. A forged cross-site POST is
what the token stops; browsers say where a request comes from in headers a page
cannot forge: ``Sec-Fetch-Site`` (every current browser), or ``Origin`` (every
browser's POST). A request the browser says is same-origin is switched; any other (cross-site,
or an old browser or a script that says nothing) must carry a valid token, which
a forging site cannot have.
"""

from django.middleware.csrf import CsrfViewMiddleware
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

_token_check = CsrfViewMiddleware(lambda request: None)


def from_this_site(request) -> bool | None:
    """True when the browser says the request comes from this site, False when it says
    otherwise, None when it says nothing."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site in ("same-origin", "none")  # "none": the user typed or bookmarked it
    origin = request.headers.get("Origin")
    if origin is not None:
        return origin == f"{request.scheme}://{request.get_host()}"
    return None


@csrf_exempt
def switch_language(request):
    """Django's ``set_language`` (which changes nothing on a GET), for a POST from this site
    or one that carries a token."""
    if request.method == "POST" and not from_this_site(request):
        if refused := _token_check.process_view(request, set_language, (), {}):
            return refused
    return set_language(request)
