"""Read a notes file, refusing anything that is not notes with a one-line reason."""

from __future__ import annotations

from pathlib import Path

from mspt3.limits import check_notes
from notes.parser.errors import NotesFileError


def check_notes_text(text: str, *, max_bytes: int) -> str:
    """``text`` if it can be notes at all; raises NotesFileError otherwise."""
    if "\x00" in text:
        raise NotesFileError("binary content (NUL bytes), not a markdown notes file")
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise NotesFileError(f"{size} bytes, over the limit of {max_bytes} bytes")
    if not text.strip():
        raise NotesFileError("empty: no notes in it")
    if problem := check_notes(text):  # too costly to render: refused before parsing
        raise NotesFileError(str(problem))
    return text


def decode_notes(data: bytes, *, max_bytes: int) -> str:
    """Bytes of a notes file → text (UTF-8, a leading BOM dropped)."""
    if len(data) > max_bytes:
        raise NotesFileError(f"{len(data)} bytes, over the limit of {max_bytes} bytes")
    if b"\x00" in data:
        raise NotesFileError("binary content (NUL bytes), not a markdown notes file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise NotesFileError(f"not UTF-8 text (invalid byte at offset {error.start})") from None
    return check_notes_text(text, max_bytes=max_bytes)


def read_notes_file(path: Path | str, *, max_bytes: int) -> str:
    path = Path(path)
    if not path.exists():
        raise NotesFileError(f"{path}: no such file")
    if path.is_dir():
        raise NotesFileError(f"{path}: is a directory, not a notes file")
    size = path.stat().st_size
    if size > max_bytes:
        raise NotesFileError(f"{path}: {size} bytes, over the limit of {max_bytes} bytes")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise NotesFileError(f"{path}: cannot be read ({error.strerror})") from None
    try:
        return decode_notes(data, max_bytes=max_bytes)
    except NotesFileError as error:
        raise NotesFileError(f"{path}: {error}") from None
