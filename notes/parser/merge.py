"""The three-way rule of a re-import, with no Django.

The base is what the file said at the last import; the site's value is what
is stored now; the file's value is what the new file says. Whoever changed a
thing since the base wins; where both changed it differently, the site's
version stays unless the file is preferred, and the caller reports a conflict.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class _Marker:
    def __init__(self, name: str):
        self.name = name

    def __repr__(self):
        return self.name


# Not there (a row the site or the file does not have).
MISSING: Any = _Marker("MISSING")
# No base recorded (imported before bases were kept, or a cohort made on the site):
# differs from everything, so any disagreement is a conflict, never an overwrite.
UNKNOWN: Any = _Marker("UNKNOWN")


@dataclass(frozen=True)
class Merged:
    value: Any
    conflict: bool = False  # both sides changed it, differently

    @property
    def absent(self) -> bool:
        return self.value is MISSING


def merge3(base, site, file, *, prefer_file: bool = False) -> Merged:
    if site == file:
        return Merged(site)
    if file == base:
        return Merged(site)
    if site == base:
        return Merged(file)
    return Merged(file if prefer_file else site, conflict=True)


@dataclass(frozen=True)
class Conflict:
    """One thing both the site and the file changed since the last import."""

    cohort: str
    what: str  # e.g. "question 12 answer", "day 1 schedule"
    question: int | None
    site: str
    file: str
    kept: str  # "site" or "file"

    def as_dict(self) -> dict:
        return {"cohort": self.cohort, "what": self.what, "question": self.question,
                "site": self.site, "file": self.file, "kept": self.kept}
