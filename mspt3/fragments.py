"""Requests from static/js/instructor.js ask for fragments to patch into the page; plain form
posts get pages and redirects, so everything also works without JavaScript."""


def wants_fragment(request) -> bool:
    return request.headers.get("X-Requested-With") == "XMLHttpRequest"
