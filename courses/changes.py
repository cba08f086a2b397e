"""Telling readers that cohorts changed, and the values that tell them apart.

``announce(cohorts)`` is the one place a cohort's ``version`` moves. Every write a
reader can see goes through it: saves and deletes of cohort content, bulk updates and
deletes of its querysets, the importer, user renames. Within one unit of work (the
outermost transaction the code opened) a cohort moves once, however many rows
change; a savepoint rolled back takes its announcements with its writes. After
commit, ``cohorts_changed`` names the cohorts, for whatever keeps copies of them
outside the database.

``stamp(cohort)`` is what a page, an API response or a cache entry built from one
cohort depends on; ``fingerprint(cohorts)`` the same for a set of cohorts.
"""

from collections.abc import Iterable

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Count, F, Max, QuerySet, Sum
from django.dispatch import Signal
from django.utils import timezone

from courses import freshness
from courses.units import WHOLE_TRANSACTION, unit_of_work

# Sent after commit (at once outside a transaction) with ``cohort_ids``, a frozenset.
cohorts_changed = Signal()

class _Announcement:
    """The on-commit callback of one announcement. While the transaction is open, the
    callbacks pending on the connection are the record of what it already announced."""

    def __init__(self, cohort_ids: frozenset[int]):
        self.cohort_ids = cohort_ids

    def __call__(self):
        cohorts_changed.send(sender=None, cohort_ids=self.cohort_ids)


def _announced(connection) -> set[int]:
    """Cohorts already announced in the current unit of work."""
    unit = unit_of_work(connection)
    if unit is None:
        return set()
    ids: set[int] = set()
    for savepoints, callback, _robust in connection.run_on_commit:
        if isinstance(callback, _Announcement) and (unit is WHOLE_TRANSACTION or unit in savepoints):
            ids |= callback.cohort_ids
    return ids


def _cohorts():
    """The Cohort model, from the app registry: ``courses.models`` announces through this
    module, so importing it here would make the two import each other."""
    return apps.get_model("courses", "Cohort")


def cohort_ids(cohorts) -> set[int]:
    """The ids of ``cohorts``: a Cohort, a queryset of them, or ids."""
    if isinstance(cohorts, _cohorts()):
        return {cohorts.pk}
    if isinstance(cohorts, QuerySet):
        return set(cohorts.order_by().values_list("pk", flat=True))
    return {pk for pk in cohorts if pk is not None}


def announce(cohorts: "Iterable[int] | QuerySet | object", *, using: str = DEFAULT_DB_ALIAS) -> set[int]:
    """Record that something readers of ``cohorts`` (a Cohort, a queryset of them, or ids)
    see has changed: every page, poll, list and cache built from them gets a new ETag
    and key. Returns the cohorts whose version moved now (not those already moved in
    this unit of work)."""
    freshness.changed()  # what this process keeps for anonymous pages is stale now
    fresh = cohort_ids(cohorts) - _announced(connections[using])
    if fresh:
        _cohorts().objects.using(using).filter(pk__in=fresh).order_by().update(
            version=F("version") + 1, updated_at=timezone.now()
        )
        transaction.on_commit(_Announcement(frozenset(fresh)), using=using)
    return fresh


def claim(cohort, expected_version: int, *, using: str = DEFAULT_DB_ALIAS) -> bool:
    """Announce ``cohort`` only if its version is still ``expected_version`` (a
    compare-and-set: the importer's guard against site edits since its snapshot)."""
    moved = _cohorts().objects.using(using).filter(pk=cohort.pk, version=expected_version).update(
        version=F("version") + 1, updated_at=timezone.now()
    )
    if moved:
        transaction.on_commit(_Announcement(frozenset({cohort.pk})), using=using)
    return bool(moved)


def stamp(cohort) -> tuple:
    """What everything built from ``cohort`` depends on: its version (every announced
    change), ``updated_at`` (a save that announced nothing) and ``created_at`` (a
    re-created cohort whose key and version happen to repeat)."""
    return (cohort.pk, cohort.version, cohort.updated_at.timestamp(), cohort.created_at.timestamp())


def fingerprint(cohorts: QuerySet) -> tuple:
    """A value that changes whenever any of ``cohorts`` changes (version, updated_at) or
    the set itself does (count, sum and sum of squares of the ids): the ETag or cache
    key of whatever is built from many cohorts. One aggregate query."""
    values = cohorts.order_by().aggregate(
        n=Count("pk"),
        ids=Sum("pk"),
        squares=Sum(F("pk") * F("pk")),
        versions=Sum("version"),
        latest=Max("updated_at"),
    )
    return tuple(values.values())
