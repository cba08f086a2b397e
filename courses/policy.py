"""Who may do what: the lookups pages, admin and API start with, and the predicates, all
derived from the one rule in courses.access."""

import secrets

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from courses.access import ask_reach, read_reach, write_reach
from courses.models import Cohort
from courses.poll_lookup import visible_cohort


def can_view(user, cohort: Cohort) -> bool:
    """Read the cohort (courses.access.read_reach, as Cohort.objects.visible_to)."""
    return read_reach(user).allows(user, cohort)


def can_write(user, cohort: Cohort) -> bool:
    """Write Q&A and progress: the cohort's instructors, and staff (courses.access.write_reach)."""
    return write_reach(user).allows(user, cohort)


def can_ask(user, cohort: Cohort) -> bool:
    """Ask a question of the class: members, staff, and anyone on a public cohort with open asking."""
    return ask_reach(user).allows(user, cohort)


def can_vote(user, cohort: Cohort) -> bool:
    """Vote for a student question: the same people as may ask (courses.access.ask_reach)."""
    return ask_reach(user).allows(user, cohort)


def can_triage(user, cohort: Cohort) -> bool:
    """Accept, merge, answer, dismiss and undo student questions: those who write the cohort's Q&A."""
    return can_write(user, cohort)


def can_see_asker(user, cohort: Cohort) -> bool:
    """See who asked, even a question asked anonymously to classmates: those who triage."""
    return can_triage(user, cohort)


def get_cohort_for_user(user, slug: str, *, write: bool = False, only: tuple[str, ...] = ()) -> Cohort:
    """The cohort ``slug`` if ``user`` may read it (or write it, with ``write``).

    A cohort the user may not see is a 404, never a hint that it exists; one
    they may see but not change is a 403 (PermissionDenied), which pages and
    the API both turn into their own error response.
    """
    if only:  # cheap lookups (live polls): just the columns they need, by the same query compiled once
        cohort = visible_cohort(user, slug, only)
    else:
        cohort = get_object_or_404(Cohort.objects.visible_to(user), slug=slug)
    if write and not can_write(user, cohort):
        raise PermissionDenied(_("Only this cohort's instructors may change it."))
    return cohort


def teaches_any(user) -> bool:
    """Instructor tools not tied to one cohort (markdown preview, uploads, the pending queue)."""
    if not (user and user.is_authenticated):
        return False
    return user.is_staff or Cohort.objects.taught_by(user).exists()


def get_question_for_user(user, pk: int, *, write: bool = False):
    """The question ``pk`` under the same rules as its cohort: 404 if unseen, 403 if read-only."""
    from qa.models import Question

    question = get_object_or_404(Question.objects.visible_to(user).select_related("section__cohort"), pk=pk)
    if write and not can_write(user, question.section.cohort):
        raise PermissionDenied(_("Only this cohort's instructors may change it."))
    return question


def get_student_question_for_user(user, pk: int, *, triage: bool = False):
    """The student question ``pk`` under its cohort's rules: 404 if the cohort is unseen, 403 for
    ``triage`` by someone who may not triage it (asking.actions checks again)."""
    from asking.models import StudentQuestion

    found = StudentQuestion.objects.filter(cohort__in=Cohort.objects.visible_to(user)).select_related("cohort")
    student_question = get_object_or_404(found, pk=pk)
    if triage and not can_triage(user, student_question.cohort):
        raise PermissionDenied(_("Only this cohort's instructors may triage its questions."))
    return student_question


def get_cohort_by_invite(slug: str, token: str) -> Cohort:
    """The cohort an invite link names. A wrong or rotated token is a 404, even for a private cohort."""
    cohort = get_object_or_404(Cohort, slug=slug)
    if not secrets.compare_digest(cohort.invite_token.encode(), token.encode()):
        raise Http404("This invite link is not valid (any more).")
    return cohort


def can_import_notes(user) -> bool:
    """Upload a notes file in the admin: staff who may create cohorts (an import creates or rewrites one)."""
    return bool(user and user.is_authenticated and user.is_staff and user.has_perm("courses.add_cohort"))
