"""The admin for staff and for instructors, from the one access rule (courses.access).

Staff use the admin as Django always let them (is_staff, model permissions). Since
instructors log questions in class and are usually not staff, anyone who teaches a
cohort (``policy.teaches_any``) may also sign in to it, and sees the instructor's admin:

- only the ModelAdmins built on ``CohortScopedAdmin`` answer them (questions, sections,
  progress, schedule); every other one (users, groups, tokens, cohorts, memberships,
  chapters, glossary…) is made staff-only when it is registered, so a model added later
  is closed to instructors until it opts in;
- those admins list, open, add, change and delete only rows of the cohorts they teach:
  ``get_queryset`` narrows to ``Cohort.objects.taught_by``, each ``has_*_permission``
  asks ``policy.can_write`` about the row's cohort, and every choice of a related row
  (cohort, section) is narrowed the same way, so a form cannot move a row out of reach.
  A row out of reach is a 404, as on the site.
"""

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import ValidationError
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext_lazy as _

from courses.policy import can_write, teaches_any


def is_staff(user) -> bool:
    return bool(user.is_active and user.is_staff)


def teaches(request) -> bool:
    """``policy.teaches_any`` once per request (the admin asks for every model on a page)."""
    if not hasattr(request, "_teaches_any"):
        request._teaches_any = teaches_any(request.user)
    return request._teaches_any


def scope_allows(request, obj) -> bool:
    """May this non-staff user touch ``obj``: no object (a list, an add form) needs a cohort
    they teach; an object needs its own cohort to be one (``policy.can_write``)."""
    if obj is None:
        return teaches(request)
    cohort = obj.page_cohort()
    return cohort is not None and can_write(request.user, cohort)


class AdminLoginForm(AdminAuthenticationForm):
    """The admin's password form, open to instructors too (the stock one wants is_staff)."""

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_login": _(
            "Please enter the correct %(username)s and password of a staff or instructor account. "
            "Note that both fields may be case-sensitive."
        ),
    }

    def confirm_login_allowed(self, user):
        AuthenticationForm.confirm_login_allowed(self, user)  # refuses inactive accounts
        if not (user.is_staff or teaches_any(user)):
            raise ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )


class StaffOnlyAdmin:
    """Mixed into every ModelAdmin that is not cohort-scoped: nobody but staff, whatever
    model permissions a non-staff account may have been given."""

    def has_module_permission(self, request):
        return is_staff(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return is_staff(request.user) and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return is_staff(request.user) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return is_staff(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return is_staff(request.user) and super().has_delete_permission(request, obj)


class InstructorAdminSite(admin.AdminSite):
    """``admin.site`` (installed by ``mspt3.apps.AdminConfig``): staff as always, and instructors."""

    login_form = AdminLoginForm

    def has_permission(self, request):
        user = request.user
        return user.is_active and (user.is_staff or teaches(request))

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, CohortScopedAdmin):
            bases = (StaffOnlyAdmin, admin_class)
            admin_class = type(admin_class.__name__, bases, {"__module__": admin_class.__module__})
        super().register(model_or_iterable, admin_class, **options)

    def get_log_entries(self, request):
        """The index's "recent actions": staff, every entry; anyone else, entries of rows a
        cohort-scoped admin still lists for them. An entry keeps the object's title as it was
        saved, so an instructor removed from a cohort would otherwise go on reading its titles
        (and a deleted row's cohort is unknown: hidden too). One query however many entries."""
        entries = super().get_log_entries(request)
        if is_staff(request.user):
            return entries
        reachable = Q(pk__in=[])  # nothing, while no admin is cohort-scoped
        for model, model_admin in self._registry.items():
            if isinstance(model_admin, CohortScopedAdmin):
                rows = model_admin.get_queryset(request).values(text_pk=Cast("pk", TextField()))
                reachable |= Q(content_type=ContentType.objects.get_for_model(model), object_id__in=rows)
        return entries.filter(reachable)

    def get_urls(self):
        # "View on site" redirects to any object's page by id: for instructors, only objects they may open.
        urls = [url for url in super().get_urls() if getattr(url, "name", None) != "view_on_site"]
        return [
            path("r/<int:content_type_id>/<path:object_id>/", self.admin_view(self.view_on_site), name="view_on_site"),
            *urls,
        ]

    def view_on_site(self, request, content_type_id, object_id):
        if not is_staff(request.user):
            model = get_object_or_404(ContentType, pk=content_type_id).model_class()
            model_admin = self._registry.get(model)
            if not isinstance(model_admin, CohortScopedAdmin):
                raise Http404
            if not object_id.isdigit() or not model_admin.get_queryset(request).filter(pk=object_id).exists():
                raise Http404
        return shortcut(request, content_type_id, object_id)


class CohortScoped:
    """What ModelAdmins and inlines instructors may use share: choices of related rows and
    the fields they may not edit, both narrowed for anyone who is not staff."""

    # Fields that pick people (authors, who struck a chapter): shown to instructors, not editable,
    # since a choice of users would list every account.
    instructor_readonly_fields: tuple[str, ...] = ()

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        if is_staff(request.user):
            return fields
        return fields + tuple(f for f in self.instructor_readonly_fields if f not in fields)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not is_staff(request.user):
            kwargs["queryset"] = related_choices(self.admin_site, db_field.related_model, request)
            if db_field.name == getattr(self.model, "cohort_lookup", None):
                # No cohort means every cohort's (the default schedule): not an instructor's choice.
                kwargs["required"] = True
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_autocomplete_fields(self, request):
        fields = super().get_autocomplete_fields(request)
        if is_staff(request.user):
            return fields
        # The autocomplete asks the related model's admin: only a cohort-scoped one answers an instructor.
        scoped = {
            name for name in fields
            if isinstance(self.admin_site._registry.get(self.model._meta.get_field(name).related_model),
                          CohortScopedAdmin)
        }
        return [name for name in fields if name in scoped]


def related_choices(site, model, request):
    """The rows of ``model`` a non-staff user may pick: cohorts they teach, rows a cohort-scoped
    admin lists for them, shared curriculum (chapters, labs: no cohort); nothing else."""
    from courses.models import Cohort

    if model is Cohort:
        return Cohort.objects.taught_by(request.user)
    model_admin = site._registry.get(model)
    if isinstance(model_admin, CohortScopedAdmin):
        return model_admin.get_queryset(request)
    if getattr(model, "cohort_lookup", "") is None:
        return model._default_manager.all()
    return model._default_manager.none()


class CohortScopedAdmin(CohortScoped, admin.ModelAdmin):
    """A ModelAdmin instructors may use, for the rows of the cohorts they teach
    (``model.cohort_lookup`` leads from a row to its cohort). Staff: Django's permissions."""

    # The filters an instructor gets: none whose choices could name another cohort.
    instructor_list_filter: tuple = ()

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        if is_staff(request.user):
            return rows
        from courses.models import Cohort

        return rows.filter(**{f"{self.model.cohort_lookup}__in": Cohort.objects.taught_by(request.user)})

    def get_object(self, request, object_id, from_field=None):
        found = super().get_object(request, object_id, from_field)
        if found is None and not is_staff(request.user):
            raise Http404  # another cohort's row does not exist for them (staff keep Django's redirect)
        return found

    def get_list_filter(self, request):
        return super().get_list_filter(request) if is_staff(request.user) else self.instructor_list_filter

    def has_module_permission(self, request):
        return super().has_module_permission(request) if is_staff(request.user) else teaches(request)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) if is_staff(request.user) else scope_allows(request, obj)

    def has_add_permission(self, request):
        return super().has_add_permission(request) if is_staff(request.user) else teaches(request)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) if is_staff(request.user) else scope_allows(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) if is_staff(request.user) else scope_allows(request, obj)


class CohortScopedInline(CohortScoped):
    """An inline of a cohort-scoped admin: for instructors, allowed where its parent row is."""

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) if is_staff(request.user) else scope_allows(request, obj)

    def has_add_permission(self, request, obj):
        return super().has_add_permission(request, obj) if is_staff(request.user) else scope_allows(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) if is_staff(request.user) else scope_allows(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) if is_staff(request.user) else scope_allows(request, obj)
