"""Trigram indexes for search, on PostgreSQL only.

``Question.objects.search`` filters with ``icontains``, which PostgreSQL runs as
``UPPER(col::text) LIKE UPPER('%word%')``: a GIN trigram index on ``UPPER(col)``
answers it, Korean substrings included. SQLite has no such index; the same query
scans, which is the correct fallback there. The indexes are not part of the model
state (they cannot exist on SQLite), so ``makemigrations`` never adds or drops them.
"""

from django.db import migrations

COLUMNS = ("question", "answer")


def add_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS qa_question_{column}_trgm "
            f"ON qa_question USING gin (UPPER({column}) gin_trgm_ops)"
        )


def remove_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS qa_question_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [("qa", "0001_initial")]

    operations = [migrations.RunPython(add_trigram_indexes, remove_trigram_indexes)]
