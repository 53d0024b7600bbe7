"""Reference data every city starts with: the seed-000 categories, targets, features."""

from django.db import migrations

from resources.reference import seed_reference_data


def seed(apps, schema_editor):
    seed_reference_data(
        apps.get_model("resources", "Category"),
        apps.get_model("resources", "Target"),
        apps.get_model("resources", "Feature"),
    )


class Migration(migrations.Migration):
    dependencies = [("resources", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
