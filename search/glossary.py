"""The course glossary in force: the data file, plus the terms staff added in the admin."""

from __future__ import annotations

import threading
import tomllib
from functools import cache
from pathlib import Path

from django.db import connection
from django.db.models.expressions import RawSQL

from search.analysis import Glossary, morphemes, teach

GLOSSARY_FILE = Path(__file__).with_name("glossary.toml")
_lock = threading.Lock()
_current: tuple[object, Glossary] | None = None


@cache
def file_terms() -> tuple[dict, ...]:
    with GLOSSARY_FILE.open("rb") as data:
        return tuple(tomllib.load(data)["term"])


# The version of the staff's terms, read from the database (so every worker sees a change made
# in any other): how many there are and when the last was saved. Raw SQL, so the value is the
# same whether read alone or carried by another query (``stamp_columns``).
_STAMP_SQL = ("SELECT COUNT(*) FROM search_glossaryterm", "SELECT MAX(updated_at) FROM search_glossaryterm")


def admin_stamp() -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT ({_STAMP_SQL[0]}), ({_STAMP_SQL[1]})")
        return tuple(cursor.fetchone())


def stamp_columns() -> dict:
    """Annotations carrying ``admin_stamp()`` on every row of another query (a page that reads
    rows anyway learns the glossary's version without a query of its own)."""
    return {"glossary_terms": RawSQL(_STAMP_SQL[0], []), "glossary_last": RawSQL(_STAMP_SQL[1], [])}


def current_glossary(stamp: tuple | None = None) -> Glossary:
    """The glossary, rebuilt in this process when staff changed a term (one small query, none
    when the caller read ``stamp`` already)."""
    global _current
    stamp = admin_stamp() if stamp is None else tuple(stamp)
    if _current is None or _current[0] != stamp:
        with _lock:
            _current = (stamp, build_glossary())
    return _current[1]


def warm_up():
    """Load the analyser and teach it the data file's nouns, touching no database (so it can
    run in gunicorn's master before the workers are forked)."""
    glossary = Glossary()
    for term in file_terms():
        glossary.add(term["key"], term["spellings"], term.get("chapters", ()), term.get("stems", ()))
    teach(glossary.nouns)
    # The analyser builds its tables on the first text it reads after being taught: here,
    # so that the workers share them instead of each building its own.
    morphemes("컨테이너를 삭제하면 볼륨의 데이터는 어떻게 되나요?")


def build_glossary() -> Glossary:
    from search.models import GlossaryTerm

    glossary = Glossary()
    for term in file_terms():
        glossary.add(term["key"], term["spellings"], term.get("chapters", ()), term.get("stems", ()))
    for term in GlossaryTerm.objects.prefetch_related("chapters"):
        glossary.add(term.key, term.spelling_list(), [chapter.number for chapter in term.chapters.all()])
    teach(glossary.nouns)
    return glossary
