"""Apply a notes file to the database: create the cohort, or sync it in place.

A re-import is a three-way merge against the last imported version of the file
(each question's ``import_base``, the cohort layout's curriculum and schedule):
what the file did not change keeps what the site did, what only the file
changed takes the file's version, and where both changed, the site's version
stays unless ``prefer_file`` — each such conflict is listed in the report.

Everything that takes time happens before the transaction: reading and
checking the file, parsing, matching, merging and rendering every piece of
markdown. The transaction then only writes (bulk where it helps), after
checking that the cohort did not change meanwhile (else the plan is made again).
"""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.text import slugify

from curriculum.models import Chapter, lab_chapter_numbers
from notes.import_plan import Planner, Snapshot, check_storage, read_images
from notes.import_report import ImportReport
from notes.import_write import StaleSnapshot, analysed_for_index, store_files, write_plan
from notes.parser import NotesContentError, NotesError, check_notes_text, parse_notes, read_notes_file

__all__ = ["ImportReport", "import_notes_file", "import_notes_text"]

_SLUG = re.compile(r"^[-\w]+\Z")
# A cohort edited on the site while its file is being merged: plan again, this often at most.
ATTEMPTS = 3


class _DryRun(Exception):
    """Raised to roll back a dry run's transaction."""


def import_notes_text(
    text: str,
    *,
    slug: str | None = None,
    private: bool | None = None,
    base_dir: Path | None = None,
    dry_run: bool = False,
    prefer_file: bool = False,
    user=None,
) -> ImportReport:
    """Create or sync the cohort a notes text describes, in one short transaction.

    ``private=None`` keeps an existing cohort's visibility (new cohorts are
    public). Images are looked up relative to ``base_dir``. Raises NotesError
    (nothing written) when the text holds no notes.
    """
    # The one check of the file's text before anything parses it.
    check_notes_text(text, max_bytes=settings.NOTES_MAX_BYTES)
    document = parse_notes(text)
    if document.is_empty:
        raise NotesContentError("no title, curriculum table, schedule or topic section (## Docker …) found")
    title = document.title or slug
    if not title:
        raise NotesContentError("no title line ('# …'); name the cohort with --cohort SLUG")
    slug = slug or slugify(title, allow_unicode=True)[:100]
    if not slug or not _SLUG.match(slug):
        raise NotesError(f"cannot use {slug!r} as a cohort slug; give one with --cohort (letters, digits, -, _)")
    chapters = {chapter.number: chapter for chapter in Chapter.objects.all()}
    lab_chapters = lab_chapter_numbers()
    for _attempt in range(ATTEMPTS):
        report = ImportReport(slug=slug, dry_run=dry_run, prefer_file=prefer_file)
        snapshot = Snapshot.load(slug)
        images = read_images(document, snapshot, base_dir, report)
        if images and not dry_run:
            check_storage()
        plan = Planner(
            document, snapshot, report, title=title, private=private, prefer_file=prefer_file,
            chapters=chapters, lab_chapters=lab_chapters, user=user,
        ).plan(images)
        plan.analysed = analysed_for_index(plan, snapshot)  # before the transaction, like rendering
        try:
            with transaction.atomic():
                files = write_plan(plan, snapshot, report, user=user)
                if dry_run:
                    raise _DryRun
        except _DryRun:
            report.cohort = None
            return report
        except StaleSnapshot:
            if _attempt + 1 == ATTEMPTS:
                raise NotesError("the cohort kept changing on the site while importing; try again") from None
            continue
        store_files(files)
        return report
    raise AssertionError("unreachable")


def import_notes_file(path, **options) -> ImportReport:
    """Read and check a notes file (NotesError with a one-line reason if it is not one), then import it.

    Images are looked up beside the file unless ``base_dir`` says otherwise.
    """
    path = Path(path)
    text = read_notes_file(path, max_bytes=settings.NOTES_MAX_BYTES)
    options.setdefault("base_dir", path.parent)
    return import_notes_text(text, **options)
