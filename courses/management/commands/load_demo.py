from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from notes.importer import import_notes_file
from notes.parser import NotesError

DEMO_SLUG = "demo"
DEMO_NOTES = settings.BASE_DIR / "demo" / "mspt3-demo.md"


class Command(BaseCommand):
    help = "Load the demo cohort from demo/mspt3-demo.md through the notes importer (re-running syncs it)."

    def handle(self, *args, **options):
        try:
            report = import_notes_file(DEMO_NOTES, slug=DEMO_SLUG)
        except NotesError as error:
            raise CommandError(str(error)) from None
        if report.created:
            # A newcomer should see a class in progress: today is its first day.
            cohort, today = report.cohort, timezone.localdate()
            cohort.starts_on, cohort.ends_on = today, today + timedelta(days=2)
            cohort.save(update_fields=["starts_on", "ends_on", "updated_at"])
        self.stdout.write(report.summary())
        self.stdout.write(self.style.SUCCESS(f"Demo cohort at /cohorts/{DEMO_SLUG}/"))
