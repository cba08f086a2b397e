"""Notes markdown ⇄ structure, with no Django: parse, write back, find chapter references.

``notes.importer`` and ``notes.exporter`` connect these to the database.
"""

from notes.parser.chapters import find_chapter, find_references
from notes.parser.document import Document
from notes.parser.errors import NotesContentError, NotesError, NotesFileError
from notes.parser.parser import parse_notes
from notes.parser.reading import check_notes_text, decode_notes, read_notes_file
from notes.parser.writer import write_notes

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
