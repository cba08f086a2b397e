from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from courses.models import Cohort, Membership
from courses.policy import can_import_notes
from curriculum.models import Progress, ScheduleDay
from qa.models import Section


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


class ProgressInline(admin.TabularInline):
    model = Progress
    extra = 0
    fields = ["chapter", "theory_done_at", "theory_done_by", "lab_done_at", "lab_done_by"]
    autocomplete_fields = ["theory_done_by", "lab_done_by"]
    ordering = ["chapter__number"]


class ScheduleDayInline(admin.TabularInline):
    model = ScheduleDay
    extra = 0
    fields = ["day", "theory", "lab", "first_chapter", "last_chapter"]


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0
    fields = ["title", "heading", "position"]
    show_change_link = True


class NotesUploadForm(forms.Form):
    notes = forms.FileField(
        label=_("notes file (.md)"),
        help_text=_("Or a .zip of the notes folder (the notes file with its img/ folder): the images come along."),
    )
    cohort = forms.SlugField(
        label=_("cohort slug"), required=False, allow_unicode=True, help_text=_("Empty: derived from the title.")
    )
    private = forms.BooleanField(label=_("make the cohort private"), required=False)
    dry_run = forms.BooleanField(label=_("dry run (show what would change, write nothing)"), required=False)
    prefer_file = forms.BooleanField(
        label=_("prefer the file"), required=False,
        help_text=_("Where the site and the file both changed something since the last import, take the file's "
                    "version (default: keep the site's). Each conflict is listed either way."),
    )


def show_report(request, report):
    """The import summary as one message holding a readable list (not one run-on line); a warning
    (not a green "done") when an image is missing or refused or a conflict needs a look."""
    first, *details = report.summary().splitlines()
    items = format_html_join(
        "", '<li class="{}">{}</li>', ((_line_class(line), line.strip()) for line in details)
    )
    troubled = bool(report.conflicts or report.images_missing or report.images_rejected)
    (messages.warning if troubled else messages.success)(
        request, format_html('{}<ul class="import-summary">{}</ul>', first, items)
    )


def _line_class(line):
    text = line.strip()
    if text.startswith(("image missing", "image refused", "conflicts")):
        return "import-warning"
    return "import-detail" if line.startswith("    ") else "import-line"


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    change_list_template = "admin/courses/cohort/change_list.html"
    list_display = ["title", "program", "run_code", "track", "starts_on", "ends_on", "is_public"]
    list_filter = ["program", "track", "is_public", "open_asking"]
    search_fields = ["title", "slug", "program", "run_code", "track"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "starts_on"
    inlines = [MembershipInline, ProgressInline, ScheduleDayInline, SectionInline]
    readonly_fields = ["version", "created_at", "updated_at"]

    def get_urls(self):
        import_view = self.admin_site.admin_view(self.import_notes_view)
        return [path("import-notes/", import_view, name="courses_cohort_import_notes"), *super().get_urls()]

    def import_notes_view(self, request):
        """Upload a notes file, or a .zip of its folder with its images; the same importer as
        ``manage.py import_notes``. The summary is shown as a list, warnings in the warning style."""
        from notes.importer import import_notes_text
        from notes.parser import NotesError
        from notes.upload import notes_from_upload, upload_limit

        if not can_import_notes(request.user):
            raise PermissionDenied
        form = NotesUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                if data["notes"].size > (limit := upload_limit(data["notes"])):
                    raise NotesError(f"the upload is {data['notes'].size} bytes; at most {limit}")
                with notes_from_upload(data["notes"]) as (text, base_dir):
                    report = import_notes_text(
                        text, slug=data["cohort"] or None, private=True if data["private"] else None,
                        base_dir=base_dir, dry_run=data["dry_run"], prefer_file=data["prefer_file"],
                        user=request.user,
                    )
            except NotesError as error:
                form.add_error("notes", str(error))
            else:
                show_report(request, report)
                if report.cohort is not None:
                    return redirect(reverse("admin:courses_cohort_change", args=[report.cohort.pk]))
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "form": form,
                   "title": _("Import notes")}
        return TemplateResponse(request, "admin/courses/cohort/import_notes.html", context)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["cohort", "user", "role", "joined_at"]
    list_filter = ["role", "cohort__program"]
    search_fields = ["user__username", "cohort__title"]
    autocomplete_fields = ["user", "cohort"]
