"""Which stored images nothing shows any more (``manage.py prune_images``).

An image is in use when a cohort's notes show it: an imported image (``NotesImage``)
when the cohort's export names its path, an upload from the markdown editor when
any stored text links to its URL. Files in the image folders that no row names and
no text links to are leftovers (an upload never saved into a question, a file whose
import was interrupted). Uploads younger than the grace period are left alone: the
instructor who just dropped one may not have pressed Save yet.
"""

from __future__ import annotations

import json
import posixpath
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.storage import default_storage

from courses.models import Cohort
from notes.exporter import export_cohort, uploaded_image_names
from notes.parser.parser import image_paths
from qa.images import normalize_image_path
from qa.models import NotesImage, Question, SectionExtra

NOTES_IMAGE_FOLDER = "notes/"


@dataclass
class ImageUsage:
    unused_rows: list[NotesImage] = field(default_factory=list)  # imported, no longer shown
    stray_files: list[str] = field(default_factory=list)  # storage names nothing names or shows
    missing_files: list[NotesImage] = field(default_factory=list)  # rows whose file is gone

    @property
    def unreferenced(self) -> int:
        return len(self.unused_rows) + len(self.stray_files)


def _stored_files(folder: str) -> list[str]:
    """Every storage name under ``folder`` (recursively); none when it does not exist."""
    try:
        directories, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return []
    names = [posixpath.join(folder, name) for name in files]
    for directory in directories:
        names += _stored_files(posixpath.join(folder, directory) + "/")
    return names


def _linked_uploads() -> set[str]:
    """Storage names of the editor uploads that some stored text links to."""
    texts = [
        *Question.objects.values_list("question", flat=True),
        *Question.objects.values_list("answer", flat=True),
        *SectionExtra.objects.values_list("source", flat=True),
        *Cohort.objects.values_list("notes", flat=True),
        *(json.dumps(layout, ensure_ascii=False) for layout in Cohort.objects.values_list("notes_layout", flat=True)),
    ]
    return {name for text in texts for name in uploaded_image_names(text)}


def _shown_paths(cohort: Cohort) -> set[str]:
    return {normalize_image_path(path) for path in image_paths(export_cohort(cohort))}


def find_image_usage(*, now: datetime, grace: timedelta) -> ImageUsage:
    usage = ImageUsage()
    named_by_rows = set()
    for cohort in Cohort.objects.prefetch_related("images").order_by("slug"):
        rows = list(cohort.images.all())
        if not rows:
            continue
        shown = _shown_paths(cohort)
        for row in rows:
            named_by_rows.add(row.file.name)
            if not default_storage.exists(row.file.name):
                usage.missing_files.append(row)
            elif normalize_image_path(row.original_path) not in shown:
                usage.unused_rows.append(row)
    linked = _linked_uploads()
    for name in _stored_files(NOTES_IMAGE_FOLDER) + _stored_files(settings.MARKDOWNX_MEDIA_PATH):
        if name in named_by_rows or name in linked:
            continue
        if now - default_storage.get_modified_time(name) >= grace:
            usage.stray_files.append(name)
    return usage


def delete_unreferenced(usage: ImageUsage) -> int:
    """Remove the unused rows with their files, and the stray files; returns how many went."""
    for row in usage.unused_rows:
        row.delete()
        default_storage.delete(row.file.name)
    for name in usage.stray_files:
        default_storage.delete(name)
    return usage.unreferenced
