"""A whole-site archive: every cohort's notes, their images, and a database dump.

``write_archive`` lays out DIR/<slug>.md with the images under their original
relative paths, and images uploaded on the site under img/<name> (so each notes
file still renders beside them), DIR/dump.json
(memberships, privacy, progress, who did what) and DIR/media/ (the stored image
files, by storage name). ``restore_archive`` loads the dump and puts the media
files back, so an empty database comes back as the same site.
"""

import json
import tempfile
from pathlib import Path
from urllib.parse import unquote

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction

from courses.models import Cohort
from notes.exporter import export_cohort_with_images
from notes.parser import NotesError
from qa.models import NotesImage

# Everything an archive needs to rebuild the site: cohorts and members,
# curriculum progress and schedules, Q&A, and the users they refer to.
ARCHIVE_MODELS = ["courses", "curriculum.progress", "curriculum.scheduleday", "qa", "asking", "auth.user"]
# Rate-limit counters are transient (a lockout, an asking window): never archived. Archives
# written before courses.LoginAttempts became AttemptCounter may hold its rows: skipped.
NOT_ARCHIVED = ["courses.attemptcounter"]
SKIPPED_ON_RESTORE = {"courses.attemptcounter", "courses.loginattempts"}
MEDIA_DIR = "media"
DUMP = "dump.json"


def write_archive(folder: Path, log=print) -> None:
    if folder.exists() and not folder.is_dir():
        raise NotesError(f"{folder}: exists and is not a directory")
    folder.mkdir(parents=True, exist_ok=True)
    root = folder.resolve()
    for cohort in Cohort.objects.order_by("slug"):
        text, images = export_cohort_with_images(cohort)
        (folder / f"{cohort.slug}.md").write_text(text, encoding="utf-8")
        for path, stored in images.items():
            with default_storage.open(stored, "rb") as source:
                data = source.read()
            _write_inside(root, MEDIA_DIR + "/" + stored, data)
            target = (root / unquote(path)).resolve()
            if not target.is_relative_to(root):
                log(f"skipped image outside the archive: {path}")
            elif target.exists() and target.read_bytes() != data:
                log(f"{cohort.slug}: {path} differs from another cohort's; kept the first")
            else:
                _write_inside(root, str(target.relative_to(root)), data)
        log(f"{cohort.slug}.md")
    with open(folder / DUMP, "w", encoding="utf-8") as dump:
        call_command("dumpdata", *ARCHIVE_MODELS, exclude=NOT_ARCHIVED, indent=1, stdout=dump)
    log(DUMP)


def _write_inside(root: Path, relative: str, data: bytes) -> None:
    target = (root / relative).resolve()
    if not target.is_relative_to(root):
        raise NotesError(f"refusing to write outside the archive: {relative}")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


@transaction.atomic
def restore_archive(folder: Path) -> int:
    """Load DIR/dump.json and DIR/media/ into an empty site; returns the number of cohorts."""
    dump = folder / DUMP
    if not dump.is_file():
        raise NotesError(f"{folder}: not an archive (no {DUMP})")
    if Cohort.objects.exists():
        raise NotesError("restoring an archive needs an empty site: this database already has cohorts")
    records = json.loads(dump.read_text(encoding="utf-8"))
    kept = [record for record in records if record.get("model") not in SKIPPED_ON_RESTORE]
    if len(kept) == len(records):
        call_command("loaddata", str(dump), verbosity=0)
    else:
        with tempfile.TemporaryDirectory() as scratch:
            filtered = Path(scratch) / DUMP
            filtered.write_text(json.dumps(kept), encoding="utf-8")
            call_command("loaddata", str(filtered), verbosity=0)
    media = (folder / MEDIA_DIR).resolve()
    for image in NotesImage.objects.all():
        source = (media / image.file.name).resolve()
        if not source.is_relative_to(media) or not source.is_file():
            raise NotesError(f"{folder}: the archive lacks the image {image.file.name}")
        stored = default_storage.save(image.file.name, ContentFile(source.read_bytes()))
        if stored != image.file.name:
            NotesImage.objects.filter(pk=image.pk).update(file=stored)
    # Images uploaded with the markdown editor: answers name them by URL, so they go back under the same name.
    uploads = media / settings.MARKDOWNX_MEDIA_PATH
    for source in sorted(uploads.rglob("*")) if uploads.is_dir() else []:
        name = str(source.relative_to(media))
        if source.is_file() and not default_storage.exists(name):
            default_storage.save(name, ContentFile(source.read_bytes()))
    return Cohort.objects.count()
