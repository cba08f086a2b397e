from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from markdownx.admin import MarkdownxModelAdmin

from courses.admin_site import CohortScopedAdmin, CohortScopedInline
from qa.forms import QuestionAdminForm
from qa.models import NotesImage, Question, Section, SectionExtra, StaleEdit
from qa.rendering import rendered_in_advance


class RenderBeforeTransactionAdmin(CohortScopedAdmin):
    """The admin saves a form (and its inlines) in one transaction: render the submitted
    markdown before it opens, so a slow render never holds the write lock."""

    markdown_fields = ("question", "answer", "source")

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, extra_context)
        texts = [value for key, value in request.POST.items() if key.rsplit("-", 1)[-1] in self.markdown_fields]
        with rendered_in_advance(texts, self.cohort_id_of(request, object_id)):
            return super().changeform_view(request, object_id, form_url, extra_context)

    def cohort_id_of(self, request, object_id):
        raise NotImplementedError


class QuestionInline(CohortScopedInline, admin.StackedInline):
    model = Question
    extra = 0
    fields = ["position", "question", "answer", "chapter"]
    ordering = ["position"]


class SectionExtraInline(CohortScopedInline, admin.StackedInline):
    model = SectionExtra
    extra = 0


@admin.register(Section)
class SectionAdmin(RenderBeforeTransactionAdmin):
    list_display = ["title", "cohort", "position"]
    list_filter = ["cohort__program", "cohort"]
    instructor_list_filter = (("cohort", admin.RelatedOnlyFieldListFilter),)
    search_fields = ["title", "cohort__title"]
    inlines = [QuestionInline, SectionExtraInline]

    def cohort_id_of(self, request, object_id):
        if object_id is None:
            return request.POST.get("cohort")
        return Section.objects.filter(pk=object_id).values_list("cohort_id", flat=True).first()


@admin.register(Question)
class QuestionAdmin(RenderBeforeTransactionAdmin, MarkdownxModelAdmin):
    list_display = ["question", "section", "chapter", "pending", "updated_at"]
    list_filter = ["pending", "section__cohort__program", "section__cohort__track", "section__cohort__is_public",
                   "chapter"]
    # Instructors filter by pending and by the cohorts they teach (and the shared chapters).
    instructor_list_filter = ("pending", ("section__cohort", admin.RelatedOnlyFieldListFilter), "chapter")
    instructor_readonly_fields = ("author",)
    search_fields = ["question", "answer"]
    list_select_related = ["section__cohort", "chapter"]
    autocomplete_fields = ["section"]
    readonly_fields = ["pending", "created_at", "updated_at", "revision"]
    ordering = ["-updated_at"]
    form = QuestionAdminForm

    class Media:
        # Pasted or dropped images go on a line of their own (markdownx inserts them at the cursor).
        js = ["js/image_drop.js"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is not None and "answer" in form.base_fields:
            # An image pasted into a stored question goes to its cohort's upload, which asks the policy
            # (policy.can_write) about that cohort; a new question's has markdownx's (any instructor).
            upload = reverse("cohort-image-upload", args=[obj.section.cohort.slug])
            form.base_fields["answer"].widget.attrs["data-image-upload-url"] = upload
        return form

    def cohort_id_of(self, request, object_id):
        section = request.POST.get("section", "")
        if not section.isdigit():
            return None
        return Section.objects.filter(pk=section).values_list("cohort_id", flat=True).first()

    def save_model(self, request, obj, form, change):
        if not change and "author" not in form.cleaned_data:
            obj.author = request.user  # an instructor's question is theirs, as in the quick entry
        loaded = form.cleaned_data.get("loaded_revision")
        if change and loaded is not None:
            obj.save_checked(loaded)  # the form checked already; this closes the race window
        else:
            super().save_model(request, obj, form, change)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except StaleEdit as stale:
            # Saved by someone else between the form's check and the save: nothing was written.
            messages.error(
                request,
                _("Not saved: someone else saved revision %(revision)s a moment ago. Your question: «%(question)s». "
                  "Your answer: «%(answer)s».")
                % {
                    "revision": stale.current.revision,
                    "question": request.POST.get("question", ""),
                    "answer": request.POST.get("answer", ""),
                },
            )
            return HttpResponseRedirect(request.path)


@admin.register(NotesImage)
class NotesImageAdmin(admin.ModelAdmin):
    list_display = ["original_path", "cohort", "content_type", "uploaded_at"]
    list_filter = ["cohort"]
