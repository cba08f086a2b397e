"""Analyse every question again and rewrite the search index (after a glossary or analyser change)."""

import time

from django.core.management.base import BaseCommand

from qa.models import Question
from search.index import index_questions
from search.models import SearchDocument


class Command(BaseCommand):
    help = "Rewrite the search index of every question (--changed: only those whose text or analysis changed)."

    def add_arguments(self, parser):
        parser.add_argument("--changed", action="store_true", help="Only questions whose document is out of date.")

    def handle(self, *args, changed=False, **options):
        started = time.monotonic()
        if not changed:
            SearchDocument.objects.all().delete()
        written = index_questions(Question.objects.order_by("pk"))
        self.stdout.write(f"Indexed {written} of {Question.objects.count()} questions in "
                          f"{time.monotonic() - started:.1f} s.")
