from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from courses.models import Cohort
from mspt3.archive import write_archive
from notes.exporter import export_cohort
from notes.parser import NotesError


class Command(BaseCommand):
    help = "Write a cohort's notes as markdown (stdout by default), or every cohort with --all DIR."

    def add_arguments(self, parser):
        parser.add_argument("slug", nargs="?", metavar="SLUG")
        parser.add_argument("-o", "--output", metavar="FILE", help="Write to FILE instead of stdout.")
        parser.add_argument(
            "--all", metavar="DIR", dest="archive",
            help="Write every cohort as DIR/<slug>.md with its images, plus DIR/dump.json.",
        )

    def handle(self, *args, slug, output, archive, **options):
        if archive:
            if slug or output:
                raise CommandError("--all DIR writes every cohort: give no SLUG or -o with it")
            return self.archive(Path(archive))
        if not slug:
            raise CommandError("give a cohort SLUG (or --all DIR)")
        cohort = Cohort.objects.filter(slug=slug).first()
        if cohort is None:
            raise CommandError(f"no cohort with slug {slug!r}")
        text = export_cohort(cohort)
        if output:
            try:
                Path(output).write_text(text, encoding="utf-8")
            except OSError as error:
                raise CommandError(f"{output}: cannot write ({error.strerror})") from None
        else:
            self.stdout.write(text, ending="")

    def archive(self, folder: Path):
        try:
            write_archive(folder, log=self.stdout.write)
        except NotesError as error:
            raise CommandError(str(error)) from None
