#!/usr/bin/env python
"""Structure check of notes files: how many lines indented two columns or more became questions.

    .venv/bin/python scripts/notes_structure.py DIR_OR_FILE [...]

A question is the author's top-level bullet (column 0 or 1); each indented
"question" this prints is an answer line the importer would misread. Exit
status 1 when there is any.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from notes.parser import decode_notes  # noqa: E402
from notes.parser.structure import check_structure  # noqa: E402

MAX_BYTES = 8 * 1024 * 1024


def notes_files(arguments):
    for argument in map(Path, arguments):
        yield from sorted(p for p in argument.rglob("*") if p.suffix in (".md", ".txt")) if argument.is_dir() \
            else [argument]


def main(arguments) -> int:
    total = questions = 0
    for path in notes_files(arguments):
        report = check_structure(decode_notes(path.read_bytes(), max_bytes=MAX_BYTES))
        questions += report.questions
        total += len(report.indented)
        print(f"{path}: {report.questions} questions, {len(report.indented)} indented lines read as questions")
        for line in report.indented:
            print(f"    {line.rstrip()}")
    print(f"total: {questions} questions, {total} indented lines read as questions")
    return 1 if total else 0


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] in ("-h", "--help"):
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1:]))
