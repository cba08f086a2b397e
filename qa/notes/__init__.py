"""Notes markdown ⇄ structure, with no Django: parse, write back, find chapter references.

``qa.importer`` and ``qa.exporter`` connect these to the database.
"""

from qa.notes.chapters import find_chapter, find_references
from qa.notes.document import Document
from qa.notes.errors import NotesContentError, NotesError, NotesFileError
from qa.notes.parser import parse_notes
from qa.notes.reading import check_notes_text, decode_notes, read_notes_file
from qa.notes.writer import write_notes

__all__ = [
    "Document",
    "NotesContentError",
    "NotesError",
    "NotesFileError",
    "check_notes_text",
    "decode_notes",
    "find_chapter",
    "find_references",
    "parse_notes",
    "read_notes_file",
    "write_notes",
]
