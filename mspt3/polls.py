"""Unchanged polls of anonymous visitors answered before the session, CSRF, auth and
messages middleware (issue 18, item 2).

A browser polls an open cohort page (``/live/``) and revalidates it (``If-None-Match``)
all day; when nothing changed, the answer is a 304 decided by one indexed lookup. The
profile (scripts/profile_poll.py, docs/benchmarks.md) showed the middleware beneath
this one costing more than the lookup while contributing nothing to such a request: a
visitor without a session cookie has an empty session, hence is anonymous; a safe
method needs no CSRF check; a 304 carries no messages and no frame.

So for a GET or HEAD with ``If-None-Match`` and no session cookie, the URL is resolved
here, and a view that declares an ``unchanged_poll`` function (courses/views.py) is
asked for its 304 with ``request.user`` anonymous, the host validated and the language
activated as LocaleMiddleware would (its own code). That function does the view's own
lookup through ``courses.policy``: a cohort the visitor may not see gets None here and
then the view's 404, exactly as before. Anything but a 304 falls through to the whole
stack, which answers as it always did. Sits inside CacheControlMiddleware, so the 304
gets the same Cache-Control and Vary: Cookie as the view's.
"""

from functools import lru_cache

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import Http404
from django.middleware.locale import LocaleMiddleware
from django.urls import Resolver404, get_urlconf, resolve

_SAFE = ("GET", "HEAD")


@lru_cache(maxsize=1024)
def _poll_view(urlconf, path_info):
    """The ``unchanged_poll`` of the view at ``path_info`` with its arguments, or None.
    The URLconf does not change while the process runs, and a browser polls the same few
    paths all day: resolving each again cost a poll as much as its database lookup. Bounded,
    since the paths are the client's."""
    try:
        match = resolve(path_info, urlconf)
    except Resolver404:
        return None
    poll = getattr(match.func, "unchanged_poll", None)
    return (poll, match.args, match.kwargs) if poll else None


@receiver(setting_changed)
def _forget_resolutions(*, setting, **kwargs):
    if setting == "ROOT_URLCONF":  # as Django clears its own URL caches
        _poll_view.cache_clear()


class UnchangedPollMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.locale = LocaleMiddleware(get_response)

    def __call__(self, request):
        if (
            request.method in _SAFE
            and "HTTP_IF_NONE_MATCH" in request.META
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
        ):
            response = self.unchanged(request)
            if response is not None:
                return response
        return self.get_response(request)

    def unchanged(self, request):
        found = _poll_view(get_urlconf() or settings.ROOT_URLCONF, request.path_info)
        if found is None:
            return None
        poll, args, kwargs = found
        request.get_host()  # ALLOWED_HOSTS, checked as CommonMiddleware would (DisallowedHost: a 400)
        request.user = AnonymousUser()
        self.locale.process_request(request)
        try:
            response = poll(request, *args, **kwargs)
        except Http404:  # not visible to this visitor: the view says so, with its page
            return None
        if response is None or response.status_code != 304:
            return None
        return self.locale.process_response(request, response)
