from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from notes.image_usage import delete_unreferenced, find_image_usage


class Command(BaseCommand):
    help = (
        "List stored images that no notes show any more (a dry run); --delete removes them. "
        "Uploads younger than --grace-hours are kept: they may belong to a question not saved yet."
    )

    def add_arguments(self, parser):
        parser.add_argument("--delete", action="store_true", help="Remove what is listed.")
        parser.add_argument(
            "--grace-hours", type=float, default=24.0, metavar="HOURS",
            help="Leave files without a row or link alone until they are this old (default 24).",
        )

    def handle(self, *args, delete, grace_hours, **options):
        if not 0 <= grace_hours <= 24 * 365:
            raise CommandError(f"--grace-hours must be between 0 and {24 * 365}, not {grace_hours:g}")
        usage = find_image_usage(now=timezone.now(), grace=timedelta(hours=grace_hours))
        for row in usage.unused_rows:
            self.stdout.write(f"unused   {row.cohort.slug} · {row.original_path} ({row.file.name})")
        for name in usage.stray_files:
            self.stdout.write(f"stray    {name} (no notes show it)")
        for row in usage.missing_files:
            self.stdout.write(f"missing  {row.cohort.slug} · {row.original_path} ({row.file.name}): "
                              "re-import the notes with the image beside them to restore it")
        missing = f", {len(usage.missing_files)} with a missing file" if usage.missing_files else ""
        if delete:
            self.stdout.write(f"{delete_unreferenced(usage)} unreferenced image(s) deleted{missing}.")
        else:
            self.stdout.write(f"{usage.unreferenced} unreferenced image(s){missing}; "
                              "nothing deleted (dry run: --delete removes them).")
