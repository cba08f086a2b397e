from pathlib import Path
from urllib.parse import unquote

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from courses.models import Cohort
from qa.exporter import export_cohort
from qa.images import normalize_image_path

# Everything an archive needs to rebuild the site: cohorts and members,
# curriculum progress and schedules, Q&A, and the users they refer to.
ARCHIVE_MODELS = ["courses", "curriculum.progress", "curriculum.scheduleday", "qa", "auth.user"]


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
        if folder.exists() and not folder.is_dir():
            raise CommandError(f"{folder}: exists and is not a directory")
        folder.mkdir(parents=True, exist_ok=True)
        root = folder.resolve()
        for cohort in Cohort.objects.order_by("slug"):
            (folder / f"{cohort.slug}.md").write_text(export_cohort(cohort), encoding="utf-8")
            for image in cohort.images.all():
                target = (root / normalize_image_path(unquote(image.original_path))).resolve()
                if not target.is_relative_to(root):
                    self.stderr.write(f"skipped image outside the archive: {image.original_path}")
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                with image.file.open("rb") as source:
                    data = source.read()
                if target.exists() and target.read_bytes() != data:
                    self.stderr.write(
                        f"{cohort.slug}: {image.original_path} differs from another cohort's; kept the first"
                    )
                    continue
                target.write_bytes(data)
            self.stdout.write(f"{cohort.slug}.md")
        with open(folder / "dump.json", "w", encoding="utf-8") as dump:
            call_command("dumpdata", *ARCHIVE_MODELS, indent=1, stdout=dump)
        self.stdout.write("dump.json")
