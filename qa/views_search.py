import hashlib

from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from courses.changes import fingerprint
from courses.freshness import kept
from courses.models import Cohort
from curriculum.models import Chapter
from mspt3.limits import SEARCH_MAX_CHARS, SEARCH_MAX_WORDS, check_search
from mspt3.pagecache import shared_page
from qa.filters import QuestionSearchFilter
from qa.models import Question
from search.engine import search_words
from search.glossary import admin_stamp, current_glossary, stamp_columns
from search.highlight import EXCERPT_CHARS, highlight, marks_for, plain_text

PAGE_SIZE = 20
# Rendered filter fields are keyed by everything they show, so this only bounds their stay.
FILTER_FIELDS_SECONDS = 3600
# What the search page reads from its query string (the shared page ignores anything else).
SEARCH_PARAMETERS = ("q", "program", "cohort", "section", "chapter", "pending", "ordering", "page")


@require_safe
def search(request):
    query = request.GET.get("q", "").strip()
    if too_long := check_search(query):
        # Refused before any query runs (an outsized one is an error in SQLite, not an outage).
        message = _(
            "A search may have at most %(max_words)s words and %(max_chars)s characters; "
            "this one has %(words)s words and %(chars)s characters."
        ) % {"max_words": SEARCH_MAX_WORDS, "max_chars": SEARCH_MAX_CHARS, "chars": too_long[0], "words": too_long[1]}
        filters = QuestionSearchFilter(request=request)
        context = {"query": query, "query_error": message, "filters": filters,
                   "filter_fields": _filter_fields(request, filters, None)}
        return render(request, "qa/search.html", context, status=400)
    if request.user.is_authenticated:
        return render(request, "qa/search.html", _search_context(request, current_glossary()))
    # Anonymous visitors share one rendering per query string and state of the public
    # cohorts (their fingerprint moves with every change), of the chapters (badges,
    # filter) and of the glossary (staff's terms change what a query means): two small
    # queries, the chapters' rows carrying the glossary's version.
    def state():
        rows = list(Chapter.objects.annotate(**stamp_columns()).values_list(
            "number", "slug", "title", "glossary_terms", "glossary_last"
        ))
        stamp = rows[0][3:] if rows else admin_stamp()
        return [row[:3] for row in rows], tuple(stamp), fingerprint(Cohort.objects.visible_to(request.user))

    # Kept while no cohort, chapter or glossary term changed (courses.freshness): a search asked
    # again is then a cache read.
    chapters, stamp, cohorts = kept(("search-state",), state)
    key = ("search", chapters, stamp, cohorts)

    def context(canonical):
        return _search_context(canonical, current_glossary(stamp), fields_key=("search-filters", chapters, cohorts))

    return shared_page(request, "qa/search.html", key, context, query=SEARCH_PARAMETERS)


def _filter_fields(request, filters, fields_key):
    """The filter form's fields as HTML. Their choices (every visible cohort, section and
    chapter) are rendered option by option through the widget templates, which cost more than
    the results themselves: an anonymous page keeps them in the cache under ``fields_key``
    (the chapters and the visible cohorts' fingerprint) with the language and chosen values."""
    if fields_key is None:
        return render_to_string("qa/_search_filter_fields.html", {"filters": filters})
    chosen = tuple(tuple(request.GET.getlist(name)) for name in filters.filters)
    identity = repr((fields_key, get_language(), chosen))
    cache_key = "search-filters-" + hashlib.sha256(identity.encode()).hexdigest()
    html = cache.get(cache_key)
    if html is None:
        html = render_to_string("qa/_search_filter_fields.html", {"filters": filters})
        cache.set(cache_key, html, FILTER_FIELDS_SECONDS)
    return mark_safe(html)


def _search_context(request, glossary, fields_key=None):
    query = request.GET.get("q", "").strip()
    # The glossary is read once and the query analysed once per request: the search and
    # every result's <mark>s use them (no query or analysis per result).
    words = search_words(query, glossary=glossary)
    questions = (
        Question.objects.visible_to(request.user).search(query, words).select_related("section__cohort", "chapter")
    )
    ordering = "newest" if request.GET.get("ordering") == "newest" else "relevance"
    if ordering == "newest":
        questions = questions.archive_order()
    filters = QuestionSearchFilter(request.GET, queryset=questions, request=request)
    # A filter value that is not offered (say, a cohort the visitor may not see) is an
    # error shown on the form, never a silently widened search.
    results = filters.qs if words and filters.is_valid() else questions.none()
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    wanted = marks_for(words, glossary)
    for question in page:
        question.question_marked = highlight(plain_text(question.question_html), wanted)
        question.answer_marked = highlight(plain_text(question.answer_html), wanted, excerpt_chars=EXCERPT_CHARS)
    params = QueryDict(mutable=True)
    for name in SEARCH_PARAMETERS[:-1]:  # every filter, not the page number
        if name in request.GET:
            params.setlist(name, request.GET.getlist(name))
    return {
        "query": query, "filters": filters, "page": page, "params": params.urlencode(), "ordering": ordering,
        "filter_fields": _filter_fields(request, filters, fields_key),
    }

