"""Helm is a part of its own (chapter 15): questions about it go under a Helm section, as the notes do."""

from django.db import migrations, models


def helm_apart(apps, schema_editor):
    apps.get_model("curriculum", "Chapter").objects.filter(number=15, slug="15_Helm").update(part="helm")


def helm_in_kubernetes(apps, schema_editor):
    apps.get_model("curriculum", "Chapter").objects.filter(part="helm").update(part="kubernetes")


class Migration(migrations.Migration):

    dependencies = [
        ("curriculum", "0003_single_line_schedule_fields"),
    ]

    operations = [
        migrations.AlterField(
            model_name="chapter",
            name="part",
            field=models.CharField(
                choices=[("docker", "Docker"), ("kubernetes", "Kubernetes"), ("helm", "Helm")], max_length=20
            ),
        ),
        migrations.RunPython(helm_apart, helm_in_kubernetes),
    ]
