"""The cohort a conditional poll asks about, by the policy's own query, compiled once.

A 304 to an unchanged poll is one indexed lookup, yet building that queryset and
compiling it to SQL cost Django about three times the query itself (measured:
docs/benchmarks.md). The query differs between polls only by its parameters: the
slug and, for a signed-in member, their id. So ``Cohort.objects.visible_to(user)``
is compiled once per database, kind of visitor and column list, with stand-in
values, and each poll runs that SQL with its own values. The policy is not
restated here: the SQL *is* the queryset's, whatever ``visible_to`` says.
"""

import threading

from django.contrib.auth import get_user_model
from django.db import connections
from django.http import Http404

from courses import freshness
from courses.models import Cohort

_STAND_IN_SLUG = "poll-lookup-stand-in-slug"
_STAND_IN_USER = -424242  # no user has a negative id
_per_thread = threading.local()


def _visitor_kind(user) -> str:
    if user is None or not user.is_authenticated:
        return "anonymous"
    return "staff" if user.is_staff else "member"


def _compile(alias, kind, columns):
    # An unsaved user with a stand-in id: the query takes its id as a parameter like any user's.
    visitor = None if kind == "anonymous" else get_user_model()(pk=_STAND_IN_USER, is_staff=kind == "staff")
    queryset = Cohort.objects.using(alias).visible_to(visitor).filter(slug=_STAND_IN_SLUG).values_list(*columns)
    compiler = queryset.query.get_compiler(alias)
    sql, params = compiler.as_sql()
    # The database's own value conversions (SQLite's datetimes, say), as the ORM applies them.
    converters = compiler.get_converters([expression for expression, _sql, _alias in compiler.select])
    names = [Cohort._meta.pk.attname if c == "pk" else Cohort._meta.get_field(c).attname for c in columns]
    return sql, tuple(params), names, compiler, converters


def visible_cohort(user, slug: str, columns: tuple[str, ...], alias: str = "default") -> Cohort:
    """``Cohort.objects.visible_to(user).only(*columns).get(slug=slug)``, or Http404.

    An anonymous visitor's head is kept while the table has not changed (courses.freshness):
    then an unchanged poll or a cached page asks the database nothing."""
    kind = _visitor_kind(user)
    if kind == "anonymous":
        names, row = freshness.kept(("head", columns, slug), lambda: _head(user, kind, slug, columns, alias), alias)
    else:
        names, row = _head(user, kind, slug, columns, alias)
    return Cohort.from_db(alias, names, row)


def _head(user, kind, slug, columns, alias) -> tuple[list[str], tuple]:
    """The column names and values of the cohort, by the compiled policy query."""
    # Per thread, as Django's connections are: a compiler belongs to its thread's connection.
    compiled = _per_thread.__dict__.setdefault("compiled", {})
    key = (alias, kind, columns)
    if key not in compiled:
        compiled[key] = _compile(alias, *key[1:])
    sql, stand_in, names, compiler, converters = compiled[key]
    params = [slug if p == _STAND_IN_SLUG else user.pk if p == _STAND_IN_USER else p for p in stand_in]
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchmany(2)
    if len(rows) != 1:  # slugs are unique: more than one row would be a broken policy query
        raise Http404("No cohort matches the given query.")
    row = next(iter(compiler.apply_converters(rows[:1], converters))) if converters else rows[0]
    return names, tuple(row)
