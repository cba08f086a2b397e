"""The search index and the glossary, and the full-text structures of each database.

SQLite: an external-content FTS5 table over ``search_searchdocument`` (its rowid is the
question id), kept in sync by three triggers. PostgreSQL: a generated ``tsvector`` column
(question terms weight A, answer terms weight B, the ``simple`` configuration: the terms
are analysed already) with a GIN index. Neither is in the model state, so makemigrations
never touches them. A later migration that alters ``search_searchdocument`` on SQLite makes
Django rebuild the table, which drops the triggers: recreate them there.
"""

from django.db import migrations, models
import django.db.models.deletion

SQLITE = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(question_terms, answer_terms, "
    "content='search_searchdocument', content_rowid='question_id', tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchdocument BEGIN "
    "INSERT INTO search_fts(rowid, question_terms, answer_terms) "
    "VALUES (new.question_id, new.question_terms, new.answer_terms); END",
    "CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchdocument BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, question_terms, answer_terms) "
    "VALUES ('delete', old.question_id, old.question_terms, old.answer_terms); END",
    "CREATE TRIGGER search_fts_update AFTER UPDATE ON search_searchdocument BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, question_terms, answer_terms) "
    "VALUES ('delete', old.question_id, old.question_terms, old.answer_terms); "
    "INSERT INTO search_fts(rowid, question_terms, answer_terms) "
    "VALUES (new.question_id, new.question_terms, new.answer_terms); END",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TABLE IF EXISTS search_fts",
]
POSTGRESQL = [
    "ALTER TABLE search_searchdocument ADD COLUMN vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple'::regconfig, question_terms), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, answer_terms), 'B')) STORED",
    "CREATE INDEX search_document_vector ON search_searchdocument USING gin (vector)",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX IF EXISTS search_document_vector",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS vector",
]


def _run(statements):
    def run(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, ()):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("curriculum", "0003_single_line_schedule_fields"),
        ("qa", "0006_single_line_section_title"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                ("question", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True,
                                                  related_name="search_document", serialize=False,
                                                  to="qa.question")),
                ("question_terms", models.TextField(blank=True)),
                ("answer_terms", models.TextField(blank=True)),
                ("digest", models.CharField(max_length=64)),
            ],
        ),
        migrations.CreateModel(
            name="GlossaryTerm",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("key", models.SlugField(help_text="ASCII letters and digits naming the concept, e.g. 'serviceaccount'. The same key as a term of the built-in glossary adds spellings to it.", max_length=60, unique=True, verbose_name="key")),
                ("spellings", models.TextField(help_text="One per line: the English term, its Korean spellings, short forms (e.g. volume, 볼륨, vol).", verbose_name="spellings")),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("chapters", models.ManyToManyField(blank=True, to="curriculum.chapter", verbose_name="chapters")),
            ],
            options={"verbose_name": "glossary term", "verbose_name_plural": "glossary terms", "ordering": ["key"]},
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
    ]
