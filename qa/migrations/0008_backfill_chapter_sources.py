"""Every stored question gets a chapter source, and those without a chapter one inferred from their
content (qa.chapter_sources.backfill). Not atomic: the analysis runs before, and outside, the short
transactions that write its results (on SQLite a write transaction holds the one write lock)."""

from django.db import migrations


def backfill(apps, schema_editor):
    from qa.chapter_sources import backfill as backfill_sources

    backfill_sources(apps.get_model("qa", "Question"))


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("qa", "0007_chapter_source_and_similar_to"),
        ("search", "0001_initial"),
        ("curriculum", "0004_helm_part"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
