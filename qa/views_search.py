import html
import re

from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import render
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from courses.changes import fingerprint
from courses.models import Cohort
from curriculum.models import Chapter
from mspt3.limits import SEARCH_MAX_CHARS, SEARCH_MAX_WORDS, check_search
from mspt3.pagecache import shared_page
from qa.filters import QuestionSearchFilter
from qa.models import Question

PAGE_SIZE = 20
# What the search page reads from its query string (the shared page ignores anything else).
SEARCH_PARAMETERS = ("q", "program", "cohort", "section", "chapter", "pending", "page")
EXCERPT_CHARS = 240


@require_safe
def search(request):
    query = request.GET.get("q", "").strip()
    if too_long := check_search(query):
        # Refused before any query runs (an outsized one is an error in SQLite, not an outage).
        message = _(
            "A search may have at most %(max_words)s words and %(max_chars)s characters; "
            "this one has %(words)s words and %(chars)s characters."
        ) % {"max_words": SEARCH_MAX_WORDS, "max_chars": SEARCH_MAX_CHARS, "chars": too_long[0], "words": too_long[1]}
        context = {"query": query, "query_error": message, "filters": QuestionSearchFilter(request=request)}
        return render(request, "qa/search.html", context, status=400)
    if request.user.is_authenticated:
        return render(request, "qa/search.html", _search_context(request))
    # Anonymous visitors share one rendering per query string and state of the public
    # cohorts (their fingerprint moves with every change) and of the chapters (badges,
    # filter), so a search asked again costs two small queries.
    chapters = list(Chapter.objects.values_list("number", "slug", "title"))
    key = ("search", chapters, fingerprint(Cohort.objects.visible_to(request.user)))
    return shared_page(request, "qa/search.html", key, _search_context, query=SEARCH_PARAMETERS)


def _search_context(request):
    query = request.GET.get("q", "").strip()
    words = query.split()
    questions = (
        Question.objects.visible_to(request.user)
        .search(query)
        .select_related("section__cohort", "chapter")
        .archive_order()
    )
    filters = QuestionSearchFilter(request.GET, queryset=questions, request=request)
    # A filter value that is not offered (say, a cohort the visitor may not see) is an
    # error shown on the form, never a silently widened search.
    results = filters.qs if words and filters.is_valid() else questions.none()
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    for question in page:
        question.question_marked = highlight(_plain_text(question.question_html), words)
        question.answer_marked = highlight(excerpt(_plain_text(question.answer_html), words), words)
    params = QueryDict(mutable=True)
    for name in SEARCH_PARAMETERS[:-1]:  # every filter, not the page number
        if name in request.GET:
            params.setlist(name, request.GET.getlist(name))
    return {"query": query, "filters": filters, "page": page, "params": params.urlencode()}


def _plain_text(rendered_html):
    return " ".join(html.unescape(strip_tags(rendered_html)).split())


def excerpt(text, words, size=EXCERPT_CHARS):
    """The part of ``text`` around the first matched word, at most ``size`` characters."""
    lowered = text.lower()
    hits = [i for i in (lowered.find(w.lower()) for w in words) if i >= 0]
    start = max(0, min(hits) - size // 4) if hits else 0
    clipped = text[start : start + size]
    return ("…" if start else "") + clipped + ("…" if start + size < len(text) else "")


def highlight(text, words):
    """``text`` escaped, with every occurrence of every word wrapped in <mark>.

    Matching runs on the plain text and each piece is escaped on its own, so
    no markup from the content can ever reach the page.
    """
    if not words:
        return escape(text)
    pattern = re.compile("|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)), re.IGNORECASE)
    pieces, last = [], 0
    for match in pattern.finditer(text):
        pieces += [escape(text[last : match.start()]), "<mark>", escape(match.group()), "</mark>"]
        last = match.end()
    pieces.append(escape(text[last:]))
    return mark_safe("".join(pieces))
