"""The access rule, written once: who may read a cohort, and who may write its Q&A and
progress. Querysets (``Cohort.objects.visible_to``/``taught_by``) and predicates
(``courses.policy.can_view``/``can_write``) are both derived from the ``Reach`` below,
so the two forms cannot drift apart (tests/courses/test_access.py checks every role).

- read: staff everything; anyone public cohorts; a member also their own cohorts;
- write: staff everything; an instructor-member their cohorts; nobody else;
- ask and vote (asking/): staff everything; a member their cohorts; anyone, signed in or
  not, a public cohort whose "open asking" is on. Triage and seeing who asked are writes.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

INSTRUCTOR = "instructor"  # courses.models.Membership.Role.INSTRUCTOR


@dataclass(frozen=True)
class Reach:
    """Which cohorts a user reaches: all of them, the public ones, and those where they
    hold one of ``roles`` (empty: membership grants nothing; None: any role)."""

    everything: bool = False
    public: bool = False
    roles: tuple[str, ...] | None = ()
    # Public cohorts whose instructors opened asking to everyone (Cohort.open_asking).
    open_public: bool = False

    def as_q(self, user) -> Q | None:
        """The rule as a filter of cohorts (None: no filter at all)."""
        if self.everything:
            return None
        q = Q(pk__in=[])
        if self.public:
            q |= Q(is_public=True)
        if self.open_public:
            q |= Q(is_public=True, open_asking=True)
        if self.roles is None:
            q |= Q(memberships__user=user)
        elif self.roles:
            q |= Q(memberships__user=user, memberships__role__in=self.roles)
        return q

    def repeats_rows(self) -> bool:
        """Public-or-member joins every membership of a public cohort: one row each."""
        return not self.everything and (self.public or self.open_public) and self.roles != ()

    def allows(self, user, cohort) -> bool:
        """The rule for one cohort; asks the database only when a membership decides."""
        if self.everything or (self.public and cohort.is_public):
            return True
        if self.open_public and cohort.is_public and cohort.open_asking:
            return True
        if self.roles == ():
            return False
        memberships = cohort.memberships.filter(user=user)
        if self.roles is not None:
            memberships = memberships.filter(role__in=self.roles)
        return memberships.exists()


def _signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated)


def read_reach(user) -> Reach:
    if _signed_in(user) and user.is_staff:
        return Reach(everything=True)
    if not _signed_in(user):
        return Reach(public=True)
    return Reach(public=True, roles=None)


def write_reach(user) -> Reach:
    if _signed_in(user) and user.is_staff:
        return Reach(everything=True)
    if not _signed_in(user):
        return Reach()
    return Reach(roles=(INSTRUCTOR,))


def ask_reach(user) -> Reach:
    """Who may ask and vote in a cohort's "Questions from the class" (asking/)."""
    if _signed_in(user) and user.is_staff:
        return Reach(everything=True)
    if not _signed_in(user):
        return Reach(open_public=True)
    return Reach(open_public=True, roles=None)


def reached(cohorts, reach: Reach, user):
    """``cohorts`` (a queryset) narrowed to what ``reach`` allows ``user``."""
    q = reach.as_q(user)
    if q is None:
        return cohorts.all()
    narrowed = cohorts.filter(q)
    return narrowed.distinct() if reach.repeats_rows() else narrowed
