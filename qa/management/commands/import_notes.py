from django.core.management.base import BaseCommand, CommandError

from qa.importer import import_notes_file
from qa.notes import NotesError


class Command(BaseCommand):
    help = (
        "Import notes markdown files: each creates its cohort or syncs it in place "
        "(one transaction per file; a failing file changes nothing)."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--cohort", metavar="SLUG", help="Cohort slug (default: derived from the title).")
        parser.add_argument("--private", action="store_true", help="Make the cohort private.")
        parser.add_argument("--dry-run", action="store_true", help="Show what would change; write nothing.")

    def handle(self, *args, files, cohort, private, dry_run, **options):
        if cohort and len(files) > 1:
            raise CommandError("--cohort names one cohort: give a single FILE with it")
        failures = []
        for path in files:
            try:
                report = import_notes_file(path, slug=cohort, private=True if private else None, dry_run=dry_run)
            except NotesError as error:
                message = str(error) if str(error).startswith(path) else f"{path}: {error}"
                failures.append(message)
                self.stderr.write(f"error: {message}")
                continue
            self.stdout.write(report.summary())
        if failures:
            if len(files) == 1:
                raise CommandError(failures[0])
            raise CommandError(f"{len(failures)} of {len(files)} files were not imported (see errors above)")
