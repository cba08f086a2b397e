"""The course glossary in force: the data file, plus the terms staff added in the admin."""

from __future__ import annotations

import threading
import tomllib
from functools import cache
from pathlib import Path

from django.db.models import Count, Max

from search.analysis import Glossary, morphemes, teach

GLOSSARY_FILE = Path(__file__).with_name("glossary.toml")
_lock = threading.Lock()
_current: tuple[object, Glossary] | None = None


@cache
def file_terms() -> tuple[dict, ...]:
    with GLOSSARY_FILE.open("rb") as data:
        return tuple(tomllib.load(data)["term"])


def admin_stamp():
    from search.models import GlossaryTerm

    return tuple(GlossaryTerm.objects.aggregate(n=Count("pk"), last=Max("updated_at")).values())


def current_glossary() -> Glossary:
    """The glossary, rebuilt in this process when staff changed a term (one small query)."""
    global _current
    stamp = admin_stamp()
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
