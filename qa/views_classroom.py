"""What the instructors' text boxes ask while they type: where the question will go (qa.placement),
and a pasted or dropped image stored (static/js/image_drop.js)."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from courses.policy import get_cohort_for_user
from mspt3.uploads import ValidatedImageForm
from qa.forms import QuickEntryForm

REASONS = {
    "chosen": lambda: _("your choice"),
    "text": lambda: _("named in the question"),
    "part": lambda: _("the chapter’s topic"),
    "schedule": lambda: _("taught today"),
    "latest": lambda: _("where the last question went"),
}


def _why(reason):
    return f" ({REASONS[reason]()})" if reason else ""


@require_safe
def question_placement(request, slug):
    """``?question=&section=&chapter=`` as the quick entry holds them → the section and chapter
    a save would use, and a one-line summary to show before Enter. Instructors only (policy)."""
    cohort = get_cohort_for_user(request.user, slug, write=True)
    data = {name: request.GET.get(name, "") for name in ("question", "section", "chapter")}
    form = QuickEntryForm({**data, "question": data["question"] or "?"}, cohort=cohort)
    if not form.is_valid() and not hasattr(form, "placement"):
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    placement = form.placement
    section = placement.section_title
    chapter = placement.chapter
    parts = [
        (section + _why(placement.section_reason)) if section else _("no section yet: choose one"),
        (f"CH{chapter.number:02d} {chapter.title}" + _why(placement.chapter_reason)) if chapter else _("no chapter"),
    ]
    return JsonResponse(
        {
            "section": section,
            "section_reason": placement.section_reason,
            "chapter": chapter.number if chapter else None,
            "chapter_reason": placement.chapter_reason,
            "summary": _("Goes to: %(where)s") % {"where": " · ".join(parts)},
        }
    )


@require_POST
def image_upload(request, slug):
    """A pasted or dropped image (multipart ``image``) for a text of this cohort: content-checked
    by the one image gate (mspt3.uploads), allowed to the cohort's instructors by the policy.
    → 201 ``{"url", "markdown"}``; 400 ``{"error"}`` naming what is wrong, nothing stored."""
    get_cohort_for_user(request.user, slug, write=True)
    form = ValidatedImageForm(files=request.FILES)
    if not form.is_valid():
        errors = [message for messages in form.errors.values() for message in messages]
        return JsonResponse({"error": " ".join(errors) or _("No image was uploaded.")}, status=400)
    url = form.save()
    return JsonResponse({"url": url, "markdown": f"![]({url})"}, status=201)
