"""The year a cohort ran: its start date, else what its run code or title says.

Imported notes carry no dates, but their run codes do (``23-5차`` → 2023, ``24-2차`` → 2024), and
some titles a full year (``MSP T3 - 2024 AWS Track``); so the archive groups by year anyway.
"""

from __future__ import annotations

import re

_FULL_YEAR = re.compile(r"(?<!\d)(20\d{2})(?!\d)")
_RUN_CODE = re.compile(r"(?<!\d)(\d{2})\s*-\s*\d{1,2}\s*차")


def year_from_text(text: str) -> int | None:
    """``2024`` or the ``YY`` of a run code ``YY-N차`` in ``text``, as a four-digit year."""
    if match := _FULL_YEAR.search(text or ""):
        return int(match.group(1))
    if match := _RUN_CODE.search(text or ""):
        return 2000 + int(match.group(1))
    return None


def cohort_year(cohort) -> int | None:
    if cohort.starts_on:
        return cohort.starts_on.year
    return year_from_text(cohort.run_code) or year_from_text(cohort.title)
