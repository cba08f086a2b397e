from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mspt3.archive import restore_archive
from notes.importer import import_notes_file
from notes.parser import NotesError


class Command(BaseCommand):
    help = (
        "Import notes markdown files: each creates its cohort or syncs it in place "
        "(one transaction per file; a failing file changes nothing)."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", metavar="FILE")
        parser.add_argument("--cohort", metavar="SLUG", help="Cohort slug (default: derived from the title).")
        parser.add_argument("--private", action="store_true", help="Make the cohort private.")
        parser.add_argument("--dry-run", action="store_true", help="Show what would change; write nothing.")
        parser.add_argument(
            "--prefer-file", action="store_true",
            help="Where the site and the file both changed something since the last import, take the file's "
            "version (default: keep the site's). Either way each such conflict is listed.",
        )
        parser.add_argument(
            "--archive", metavar="DIR",
            help="Restore a whole archive written by 'export_notes --all DIR' into an empty site.",
        )

    def handle(self, *args, files, cohort, private, dry_run, prefer_file, archive, **options):
        if archive:
            if files or cohort or private or dry_run or prefer_file:
                raise CommandError("--archive DIR restores a whole site: give no FILE or other option with it")
            try:
                count = restore_archive(Path(archive))
            except NotesError as error:
                raise CommandError(str(error)) from None
            self.stdout.write(f"restored {count} cohorts from {archive}")
            return
        if not files:
            raise CommandError("give at least one notes FILE (or --archive DIR)")
        if cohort and len(files) > 1:
            raise CommandError("--cohort names one cohort: give a single FILE with it")
        failures = []
        for path in files:
            try:
                report = import_notes_file(
                    path, slug=cohort, private=True if private else None, dry_run=dry_run, prefer_file=prefer_file
                )
            except NotesError as error:
                message = str(error) if str(error).startswith(path) else f"{path}: {error}"
                failures.append(message)
                if len(files) > 1:  # a single file's error is the CommandError itself: said once
                    self.stderr.write(f"error: {message}")
                continue
            self.stdout.write(report.summary())
        if failures:
            if len(files) == 1:
                raise CommandError(failures[0])
            raise CommandError(f"{len(failures)} of {len(files)} files were not imported (see errors above)")
