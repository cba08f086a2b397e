"""A notes upload (admin and API): a notes file, or a .zip of a notes folder (the notes + ``img/…``).

The archive gets the command's safety rules: only paths inside the archive (no absolute path, no
``..``, no links), a member count and an unpacked size limit checked before anything is written,
one notes file; its images are then read by the importer like files beside the notes (content-checked,
size-limited, confined to the folder).
"""

from __future__ import annotations

import stat
import tempfile
import zipfile
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from django.conf import settings

from mspt3.uploads import max_image_bytes
from notes.parser import NotesFileError, decode_notes, read_notes_file

ZIP_MAGIC = b"PK\x03\x04"
MAX_MEMBERS = 500
NOTES_SUFFIXES = (".md", ".markdown", ".txt")


def max_upload_bytes() -> int:
    """The largest upload accepted: a notes file, or an archive of it with up to 20 images at their limit."""
    return settings.NOTES_MAX_BYTES + 20 * max_image_bytes()


def is_zip(upload) -> bool:
    head = upload.read(4)
    upload.seek(0)
    return head == ZIP_MAGIC


def upload_limit(upload) -> int:
    """The size this upload may have: a notes file's limit, or an archive's."""
    return max_upload_bytes() if is_zip(upload) else settings.NOTES_MAX_BYTES


@contextmanager
def notes_from_upload(upload):
    """Yield ``(text, base_dir)`` for an uploaded file: ``base_dir`` is the unpacked folder of a .zip
    (removed afterwards), None for a plain notes file. Raises NotesFileError with a one-line reason."""
    if not is_zip(upload):
        limit = settings.NOTES_MAX_BYTES
        yield decode_notes(upload.read(limit + 1), max_bytes=limit), None
        return
    with tempfile.TemporaryDirectory(prefix="notes-upload-") as folder:
        notes = unpack(upload, Path(folder))
        yield read_notes_file(notes, max_bytes=settings.NOTES_MAX_BYTES), notes.parent


def _safe_name(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if name.startswith(("/", "\\")) or "\\" in name or ":" in path.parts[0] or ".." in path.parts:
        raise NotesFileError(f"the archive has a path outside its folder: {name!r}")
    return path


def unpack(upload, folder: Path) -> Path:
    """Unpack the archive into ``folder`` after checking every member; returns the notes file's path."""
    try:
        archive = zipfile.ZipFile(upload)
    except zipfile.BadZipFile:
        raise NotesFileError("not a readable .zip archive") from None
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        if len(members) > MAX_MEMBERS:
            raise NotesFileError(f"the archive has {len(members)} files; at most {MAX_MEMBERS}")
        total = sum(m.file_size for m in members)
        if total > max_upload_bytes():
            raise NotesFileError(f"the archive unpacks to {total} bytes; at most {max_upload_bytes()}")
        for member in members:
            _safe_name(member.filename)
            if stat.S_ISLNK(member.external_attr >> 16):
                raise NotesFileError(f"the archive has a link, which is not allowed: {member.filename!r}")
        notes = [m for m in members if m.filename.lower().endswith(NOTES_SUFFIXES)]
        shallowest = min((len(PurePosixPath(m.filename).parts) for m in notes), default=0)
        top = [m for m in notes if len(PurePosixPath(m.filename).parts) == shallowest]
        if len(top) != 1:
            found = ", ".join(m.filename for m in top) or "none"
            raise NotesFileError(f"the archive must hold one notes file (.md) at its top; found {found}")
        for member in members:
            target = folder.joinpath(*_safe_name(member.filename).parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(member) as source, open(target, "wb") as out:
                # Read at most the declared size (+1 to notice a lie): a forged header cannot unpack more.
                data = source.read(member.file_size + 1)
                if len(data) > member.file_size:
                    raise NotesFileError(f"{member.filename!r} is larger than the archive says")
                out.write(data)
        return folder.joinpath(*PurePosixPath(top[0].filename).parts)
