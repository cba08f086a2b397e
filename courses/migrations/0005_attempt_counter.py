"""courses.LoginAttempts also counts asks and votes (asking.limits) now: the name says so."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("courses", "0004_cohort_open_asking"),
    ]

    operations = [
        migrations.RenameModel("LoginAttempts", "AttemptCounter"),
        migrations.AlterModelOptions(
            name="attemptcounter",
            options={"verbose_name": "attempt counter", "verbose_name_plural": "attempt counters"},
        ),
    ]
