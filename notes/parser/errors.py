"""Errors a notes file can be refused with. Each message is one line a person can act on."""


class NotesError(Exception):
    """A notes file or text that cannot be imported."""


class NotesFileError(NotesError):
    """The file itself cannot be read as notes (missing, a directory, binary, not UTF-8, too big)."""


class NotesContentError(NotesError):
    """The text was read but holds nothing the importer can use."""
