"""On PostgreSQL, every statement that writes the cohorts table, the chapters and labs
every page shows, or the staff's glossary terms (what a search means), NOTIFYs the channel courses.freshness listens on (delivered at commit,
whoever wrote: the site, the admin, a migration, psql). SQLite needs nothing: its
data_version tells the same."""

from django.db import migrations

CHANNEL = "mspt3_cohorts"  # courses.freshness.CHANNEL, fixed here as a migration must be
TABLES = ("courses_cohort", "curriculum_chapter", "curriculum_lab", "search_glossaryterm", "search_glossaryterm_chapters")

FORWARD = [
    f"""
    CREATE OR REPLACE FUNCTION courses_cohort_notify() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM pg_notify('{CHANNEL}', '');
        RETURN NULL;
    END $$
    """,
    *(
        f"""
        CREATE TRIGGER {table}_notify
        AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
        FOR EACH STATEMENT EXECUTE FUNCTION courses_cohort_notify()
        """
        for table in TABLES
    ),
]
REVERSE = [
    *(f"DROP TRIGGER IF EXISTS {table}_notify ON {table}" for table in TABLES),
    "DROP FUNCTION IF EXISTS courses_cohort_notify()",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0006_verbose_names"), ("curriculum", "0005_verbose_names"), ("search", "0002_verbose_names"),
    ]

    operations = [migrations.RunPython(_run(FORWARD), _run(REVERSE))]
