"""Accounts: log in and out (Django's auth views), join a cohort by invite link, rotate the link;
the cohort's dates, which its instructors set."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from courses.forms import CohortDatesForm
from courses.login_limit import rate_limited_login
from courses.models import Membership
from courses.policy import get_cohort_by_invite, get_cohort_for_user

login = rate_limited_login(auth_views.LoginView.as_view(redirect_authenticated_user=True))
logout = auth_views.LogoutView.as_view()  # POST only, as Django requires


@login_required
@require_http_methods(["GET", "POST"])
def join(request, slug, token):
    """Join as a student. GET asks for confirmation; POST joins (again: no change)."""
    cohort = get_cohort_by_invite(slug, token)
    membership = Membership.objects.filter(cohort=cohort, user=request.user).first()
    if request.method == "GET":
        return render(request, "registration/join.html", {"cohort": cohort, "membership": membership})
    _membership, created = Membership.objects.get_or_create(
        cohort=cohort, user=request.user, defaults={"role": Membership.Role.STUDENT}
    )
    if created:
        messages.success(request, _("You joined %(cohort)s.") % {"cohort": cohort.title})
    return redirect(cohort)


@require_POST
def rotate_invite(request, slug):
    """A new invite link for the cohort; the old one stops working at once."""
    cohort = get_cohort_for_user(request.user, slug, write=True)
    cohort.rotate_invite()
    messages.success(request, _("A new invite link was made; the old one no longer works."))
    return redirect(cohort.get_absolute_url() + "#invite")


@require_POST
def set_dates(request, slug):
    """The cohort's instructors set its dates on the site (the schedule's dates and today follow)."""
    cohort = get_cohort_for_user(request.user, slug, write=True)
    form = CohortDatesForm(request.POST, instance=cohort)
    if form.is_valid():
        form.save()
        messages.success(request, _("The dates were saved."))
    else:
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
    return redirect(cohort.get_absolute_url())
