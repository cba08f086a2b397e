from itertools import groupby

from django.db.models import Case, IntegerField, Prefetch, Q, Value, When
from django.http import JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from courses.changes import fingerprint, stamp
from courses.counts import with_counts
from courses.freshness import kept
from courses.models import Cohort
from courses.policy import can_write, get_cohort_for_user
from courses.qr import qr_for
from courses.years import cohort_year
from curriculum.models import Chapter, Progress, ScheduleDay
from mspt3.pagecache import not_modified as shared_page_not_modified
from mspt3.pagecache import page_cache, shared_page
from notes import layout as notes_layout
from qa.models import Question
from room.context import class_questions_block, viewer_state, viewer_tag

RUNNING, UPCOMING, PAST = 0, 1, 2
# Columns a live poll needs to decide between 304 and a new payload.
_POLL_COLUMNS = ("pk", "slug", "is_public", "open_asking", "version", "created_at", "updated_at")


@require_safe
def home(request):
    today = timezone.localdate()
    if request.user.is_authenticated:
        return render(request, "courses/home.html", _home_context(request, today))
    # Anonymous visitors share one copy per day (running/upcoming/past), state of the public
    # cohorts (their change stamp) and number of chapters.
    key = ("home", today.isoformat(), *kept(("home",), lambda: (
        fingerprint(Cohort.objects.visible_to(request.user)), Chapter.objects.count()
    )))
    return shared_page(request, "courses/home.html", key, lambda page_request: _home_context(page_request, today))


def _home_context(request, today):
    cohorts = (
        with_counts(Cohort.objects.visible_to(request.user))
        .annotate(
            state=Case(
                When(Q(pk__in=Cohort.objects.running(today).values("pk")), then=Value(RUNNING)),
                When(Q(pk__in=Cohort.objects.upcoming(today).values("pk")), then=Value(UPCOMING)),
                default=Value(PAST),
                output_field=IntegerField(),
            )
        )
        .order_by("state", "program", "-starts_on", "title")
    )
    cohorts = list(cohorts)
    recorded = progress_recorded(cohorts)
    for cohort in cohorts:
        cohort.progress_recorded = cohort.pk in recorded
    current = sorted((c for c in cohorts if c.state != PAST), key=lambda c: (c.state, c.starts_on))
    # Newest year first within a program; a year read from the run code counts like a date's.
    archive = sorted((c for c in cohorts if c.state == PAST), key=lambda c: (c.program, -(cohort_year(c) or 0)))
    return {
        "current": current,
        "groups": [(key, list(items)) for key, items in groupby(archive, key=_program_and_year)],
        "chapter_total": Chapter.objects.count(),
    }


def _program_and_year(cohort):
    return cohort.program, cohort_year(cohort)


@require_safe
def cohort_detail(request, slug):
    # Anonymous visitors' conditional and shared-page paths need only the ETag's
    # columns; the whole cohort is loaded when the page is actually rendered.
    anonymous = not request.user.is_authenticated
    found, writer, viewer, etag = _found("page", request, slug, only=_POLL_COLUMNS if anonymous else ())
    shared = _shared(found, anonymous, viewer)
    if not shared and (not_modified := get_conditional_response(request, etag=etag)) is not None:
        return not_modified

    def page_context(page_request=request):
        cohort = _complete(found)
        context = {
            "cohort": cohort,
            "can_write": writer,
            "running": cohort.is_running(),
            "flow_html": _flow_html(page_request, cohort, writer),
            "live_etag": cohort_etag("live", cohort, writer, viewer=viewer),
        }
        if not shared:
            context.update(viewer=viewer_state(page_request, cohort), viewer_tag=viewer)
        if writer:
            context["qr"] = qr_for(page_request, cohort, writer)
        return context

    if shared:  # one copy for everyone, in each content coding, with its own ETag and 304
        return shared_page(request, "courses/cohort_detail.html", etag, page_context, etag=etag)
    return _tagged(render(request, "courses/cohort_detail.html", page_context()), etag)


@require_safe
def cohort_live(request, slug):
    """What changed on a cohort page since the ETag the page holds.

    An unchanged cohort costs one indexed query and a 304; otherwise the
    rendered flow (cached per cohort version, shared by every reader) is sent
    for static/js/live.js to patch in place, with the viewer's own part (their
    questions, votes and notices: room/context.py) when they have one.
    """
    cohort, writer, viewer, etag = _found("live", request, slug, only=_POLL_COLUMNS)
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        return not_modified
    payload = {"flow": _flow_html(request, cohort, writer)}
    state = viewer_state(request, cohort)
    if viewer != "0" or state["may_ask"]:
        payload["viewer"] = render_to_string("room/_viewer.html", {"viewer": state}, request=request)
        payload["state"] = state["script"]
    response = JsonResponse(payload)
    return _tagged(response, etag)


def _found(kind, request, slug, only=()):
    """The cohort through the policy, whether the visitor may write it, who they are as a
    participant (room.context.viewer_tag) and the ETag of ``kind``."""
    cohort = get_cohort_for_user(request.user, slug, only=only)
    writer = can_write(request.user, cohort)
    viewer = viewer_tag(request)
    user_pk = request.user.pk if kind == "page" else None
    return cohort, writer, viewer, cohort_etag(kind, cohort, writer, user_pk, viewer)


def _shared(cohort, anonymous, viewer):
    """Whether every anonymous visitor gets the same page: not when it has a part of their
    own, an ask box (open asking) or the questions they asked (their participant cookie)."""
    return anonymous and viewer == "0" and not cohort.open_asking


def _page_unchanged(request, slug):
    """An anonymous visitor's poll of the page: its 304 (the shared page's, in each coding), or None."""
    cohort, _writer, viewer, etag = _found("page", request, slug, only=_POLL_COLUMNS)
    if _shared(cohort, True, viewer):
        return shared_page_not_modified(request, etag)
    return get_conditional_response(request, etag=etag)


def _live_unchanged(request, slug):
    """A poll of /live/: its 304, or None."""
    return get_conditional_response(request, etag=_found("live", request, slug, only=_POLL_COLUMNS)[3])


# What mspt3.polls.UnchangedPollMiddleware asks first for a poll without a session
# (the same lookup and ETag as the view, so the same 304); anything else goes to the view.
cohort_detail.unchanged_poll = _page_unchanged
cohort_live.unchanged_poll = _live_unchanged


def cohort_etag(kind, cohort, writer, user_pk=None, viewer=""):
    """Changes with the cohort's stamp (courses.changes.stamp: every announced change, and
    a re-created cohort), and with everything else the markup depends on: the visitor's
    language, their rights, the day (today's schedule row), for the whole page who is
    logged in, and who the viewer is as a participant (room.context.viewer_tag)."""
    parts = [kind, *stamp(cohort)]
    parts += [get_language(), int(writer)]
    parts += [timezone.localdate().isoformat(), user_pk or 0]
    if viewer and viewer != "0":
        parts.append(viewer)
    return '"' + "-".join(str(p) for p in parts) + '"'


def _complete(cohort):
    """``cohort`` with every column, loading them only if a cheap lookup left some out."""
    return Cohort.objects.get(pk=cohort.pk) if cohort.get_deferred_fields() else cohort


def _tagged(response, etag):
    """The ETag to revalidate with; Cache-Control is CacheControlMiddleware's."""
    response["ETag"] = etag
    return response


def _flow_html(request, cohort, writer):
    """The rendered flow. Readers share one rendering per cohort version (the key
    changes with every change, so it is never stale); instructors' markup carries
    their own tools and forms, so theirs is never cached."""

    def render_flow():
        today = timezone.localdate()
        full = _complete(cohort)
        context = {
            "cohort": full,
            "can_write": writer,
            "flow": _notes_flow(full, today, writer),
        }
        return render_to_string("courses/_flow.html", context, request=request)

    if writer:
        return render_flow()
    return page_cache().get_or_set(cohort_etag("flow", cohort, writer).strip('"'), render_flow, timeout=24 * 3600)


def _notes_flow(cohort, today, writer=False):
    """The page body in the order of the notes: curriculum, schedule, Q&A sections and
    the notes' unmodelled blocks where they were. Sections added on the site, and the
    curriculum/schedule of a cohort without notes, keep the usual order."""
    sections = list(
        cohort.sections.prefetch_related(
            Prefetch("questions", queryset=Question.objects.select_related("chapter").order_by("position", "id")),
            "extras",
        )
    )
    blocks = {"curriculum": {"kind": "curriculum", **_curriculum(cohort)}}
    if days := _schedule(cohort, today):
        blocks["schedule"] = {"kind": "schedule", "days": days}
    flow = []
    for block in notes_layout.page_blocks(cohort.notes_layout):
        if block.kind == "schedule_title" and "schedule" in blocks:
            blocks["schedule"]["title"] = block.title
        elif block.kind in blocks:
            flow.append(blocks.pop(block.kind))
        elif block.kind == "section":
            section = next((s for s in sections if s.title == block.title), None)
            if section is not None:
                sections.remove(section)
                flow.append(_section_block(section))
        elif block.kind in ("verbatim", "schedule_title"):
            flow.append({"kind": "verbatim", "html": block.html, "index": len(flow)})
    flow = list(blocks.values()) + flow + [_section_block(s) for s in sections]
    # Instructors' quick entry goes just before the first Q&A section (or last, if none yet).
    first_section = next((i for i, block in enumerate(flow) if block["kind"] == "section"), len(flow))
    flow.insert(first_section, {"kind": "qa_start"})
    # The class's questions lead the page: what the room is asking now.
    flow.insert(0, class_questions_block(cohort, writer))
    return flow


def _section_block(section):
    """The section's questions and extras (summary boards) in their shared position order."""
    items = [("question", q) for q in section.questions.all()] + [("extra", x) for x in section.extras.all()]
    items.sort(key=lambda item: (item[1].position, item[0] == "question"))
    return {"kind": "section", "section": section, "items": items}


def progress_recorded(cohorts):
    """The pks of ``cohorts`` that have recorded progress: a curriculum table in their notes, or a
    chapter struck (or un-struck) on the site. The others show "progress not recorded", not
    "0 of 15 completed" for a class that may well have finished."""
    from_site = set(Progress.objects.filter(cohort__in=cohorts).values_list("cohort_id", flat=True).distinct())
    return from_site | {c.pk for c in cohorts if _notes_have_curriculum(c)}


def _notes_have_curriculum(cohort):
    return notes_layout.has(cohort.notes_layout, notes_layout.CURRICULUM)


def _curriculum(cohort):
    progress = {p.chapter_id: p for p in cohort.progress.all()}
    rows = [(chapter, progress.get(chapter.pk)) for chapter in Chapter.objects.select_related("lab")]
    done = sum(1 for _, p in rows if p and p.theory_done)
    recorded = bool(progress) or _notes_have_curriculum(cohort)
    return {"rows": rows, "done": done, "total": len(rows), "recorded": recorded}


def _schedule(cohort, today):
    """The cohort's own plan; the default plan only while the cohort is running or upcoming
    (a past class that never had a plan shows none rather than a generic one)."""
    own = ScheduleDay.objects.filter(cohort=cohort)
    if not own.exists():
        current = cohort.starts_on and (cohort.is_running(today) or cohort.starts_on > today)
        if not current:
            return []
        own = ScheduleDay.objects.default()
    days = list(own.select_related("first_chapter", "last_chapter"))
    today_number = cohort.course_day(today)
    for day in days:
        day.date = day.date_for(cohort)
        day.is_today = day.day == today_number
    return days
